package dev.idmint.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A child JVM (a node or the ZooKeeper server) whose output is copied, line by line and stamped
 * with the campaign's own clock, into a log file and to a listener. Signals go through {@code
 * kill}, so SIGSTOP and SIGCONT work as they would on a real host.
 */
final class ChildProcess {
  private final String name;
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread pump;

  private ChildProcess(String name, Process process, Path log, BiConsumer<Long, String> listener) {
    this.name = name;
    this.process = process;
    this.pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter out =
                      new PrintWriter(
                          Files.newBufferedWriter(
                              log, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                          true)) {
                out.println("---- " + name + " pid " + process.pid() + " started");
                String line;
                while ((line = in.readLine()) != null) {
                  long now = System.currentTimeMillis();
                  out.println(now + " " + line);
                  if (lines.size() < 2_000) {
                    lines.add(line);
                  }
                  listener.accept(now, line);
                }
                out.println("---- " + name + " pid " + process.pid() + " output ended");
              } catch (IOException e) {
                // the process went away
              }
            },
            "chaos-output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path log,
      BiConsumer<Long, String> listener) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      return new ChildProcess(name, builder.start(), log, listener);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  List<String> lines() {
    return lines;
  }

  void signal(String signal) {
    if (!process.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes one line to the process's standard input (a command for it). */
  void send(String line) {
    try {
      java.io.OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + name, e);
    }
  }

  /** SIGKILL and wait until it is gone. */
  void kill() {
    signal("CONT"); // a stopped process dies on SIGKILL too, but let its sockets close promptly
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(20));
  }

  /** SIGTERM and wait (the node releases its lease); SIGKILL if it does not exit in time. */
  void terminate(Duration grace) {
    signal("CONT");
    process.destroy();
    if (awaitExit(grace) == null) {
      kill();
    }
  }

  /** The exit code, or null if still running after {@code within}. */
  Integer awaitExit(Duration within) {
    try {
      if (process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        pump.join(2_000);
        return process.exitValue();
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
