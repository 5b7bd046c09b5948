package dev.idmint.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server process of a private engine that runs in the foreground ({@code mariadbd}, {@code
 * redis-server}): started with its output appended to a log, killed with {@code kill -9} (itself
 * and whatever the pid file names), stopped with SIGTERM and then SIGKILL. One place for what
 * {@link PrivateMariaDb} and {@link PrivateRedis} do alike; PostgreSQL runs through {@code pg_ctl}.
 */
final class ServerProcess {
  private final String engine;
  private final String serverCommand;
  private final Path pidFile;
  private final Path log;
  private Process process;

  ServerProcess(String engine, String serverCommand, Path pidFile, Path log) {
    this.engine = engine;
    this.serverCommand = serverCommand;
    this.pidFile = pidFile;
    this.log = log;
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /**
   * Starts {@code command} and returns once {@code ready} holds.
   *
   * @throws IllegalStateException if it is running already, exits, or is not ready within {@code
   *     timeout} (it is killed then), with the tail of its log
   */
  void start(List<String> command, BooleanSupplier ready, Duration timeout) {
    if (running()) {
      throw new IllegalStateException("the private " + engine + " is running already");
    }
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + serverCommand, e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        kill();
        throw new IllegalStateException(
            "private " + engine + " did not start:\n" + PrivateInstanceDir.tail(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** {@code kill -9}; returns once it is gone. True if it was running. */
  boolean kill() {
    boolean wasRunning = running();
    if (process != null) {
      process.destroyForcibly();
      process.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> process).join();
    }
    PrivateInstanceDir.killServer(pidFile, serverCommand);
    return wasRunning;
  }

  /** SIGTERM, SIGKILL after 10 s. */
  void stop() {
    if (running()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
      }
    }
    PrivateInstanceDir.killServer(pidFile, serverCommand);
  }
}
