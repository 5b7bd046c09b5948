package dev.idmint.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node slot: a port, a directory, a configuration file and a libfaketime timestamp file, served
 * by a sequence of server processes ("incarnations") as the campaign kills and restarts them.
 */
final class NodeProcess {
  static final String FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
  private static final Pattern CLAIMED =
      Pattern.compile(
          "claimed worker (\\d+) \\(fencing token (\\d+), previous horizon (-?\\d+)\\)");
  private static final AtomicInteger INCARNATIONS = new AtomicInteger();

  /**
   * A worker claim as the node logged it.
   *
   * @param seenMillis the campaign's clock when the line was read (at or after the claim)
   */
  /**
   * @param previousHorizon the floor the node published for the claim: the previous holders'
   *     horizon, or above it when the node found that the coordinator lost writes
   * @param raisedForLostWrites the node raised the coordinator's answer because it lost writes
   */
  record Claim(
      int incarnation,
      int slot,
      int worker,
      long fencingToken,
      long previousHorizon,
      long seenMillis,
      boolean raisedForLostWrites) {}

  /** How a start ended. */
  record Start(boolean listening, Integer exitCode, String output) {}

  final int slot;
  final int port;
  final Path dir;
  private final Path serverJar;
  private final Path config;
  private final Path faketimeFile;
  private final boolean faketime;

  /** Null, or the broken build this slot's processes run (see {@link NegativeControl}). */
  private final NegativeControl negativeControl;

  private final Consumer<Claim> claims;
  private volatile ChildProcess process;
  private volatile int incarnation = -1;

  NodeProcess(
      int slot,
      int port,
      Path dir,
      Path serverJar,
      String configYaml,
      boolean faketime,
      NegativeControl negativeControl,
      Consumer<Claim> claims) {
    this.slot = slot;
    this.port = port;
    this.dir = dir;
    this.serverJar = serverJar;
    this.faketime = faketime;
    this.negativeControl = negativeControl;
    this.claims = claims;
    this.config = dir.resolve("idmint.yaml");
    this.faketimeFile = dir.resolve("faketime");
    try {
      Files.createDirectories(dir);
      Files.writeString(config, configYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    setClockOffset("+0");
  }

  /** Where this module's classes are: a negative-control node runs {@link NegativeControlNode}. */
  private static String ownClasses() {
    try {
      return Path.of(
              NegativeControlNode.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate the chaos module's classes", e);
    }
  }

  /** The incarnation serving now, or -1 while the slot has no running process. */
  int incarnation() {
    return incarnation;
  }

  ChildProcess process() {
    return process;
  }

  /**
   * Sets the node's wall-clock offset, libfaketime syntax ({@code +0}, {@code -2}, {@code -0.005},
   * {@code -1h}); written atomically, picked up by the process within a second.
   */
  void setClockOffset(String offset) {
    try {
      Path tmp = dir.resolve("faketime.tmp");
      Files.writeString(tmp, offset + "\n");
      Files.move(
          tmp, faketimeFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a process and waits until it listens or exits.
   *
   * @return how the start ended; on success the slot serves the new incarnation
   */
  Start start(Duration within) {
    int number = INCARNATIONS.incrementAndGet();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-Xss512k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Djava.net.preferIPv4Stack=true"));
    if (negativeControl == null) {
      command.addAll(List.of("-jar", serverJar.toString(), "serve"));
    } else {
      command.addAll(
          List.of(
              "-cp",
              serverJar + java.io.File.pathSeparator + ownClasses(),
              NegativeControlNode.class.getName(),
              negativeControl.id));
    }
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--data-dir",
            dir.resolve("data").toString(),
            "--config",
            config.toString()));
    Map<String, String> env = new LinkedHashMap<>();
    if (faketime) {
      env.put("LD_PRELOAD", FAKETIME_LIBRARY);
      env.put("FAKETIME_TIMESTAMP_FILE", faketimeFile.toString());
      env.put("FAKETIME_NO_CACHE", "1");
      env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
      // glibc turns on libfaketime's pthread_cond_timedwait workaround by default; in a JVM it
      // makes
      // every clock read ~10x dearer and the start of a node ~15x slower. The JVM does not need it
      // (its timed waits use CLOCK_MONOTONIC, which is not faked here).
      env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }
    CountDownLatch listening = new CountDownLatch(1);
    AtomicReference<String> listenLine = new AtomicReference<>();
    ChildProcess child =
        ChildProcess.start(
            "node" + slot + "-" + number,
            command,
            env,
            dir.resolve("node.log"),
            (now, line) -> {
              Matcher m = CLAIMED.matcher(line);
              if (m.find()) {
                claims.accept(
                    new Claim(
                        number,
                        slot,
                        Integer.parseInt(m.group(1)),
                        Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)),
                        now,
                        line.contains("raised because it lost writes")));
              }
              if (line.startsWith("idmint listening on port")) {
                listenLine.set(line);
                listening.countDown();
              }
            });
    // The slot's process from now on: it may answer before its "listening" line has been read.
    process = child;
    incarnation = number;
    long deadline = System.nanoTime() + within.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (listening.await(100, TimeUnit.MILLISECONDS)) {
          return new Start(true, null, listenLine.get());
        }
        if (!child.alive()) {
          Integer code = child.awaitExit(Duration.ofSeconds(5));
          incarnation = -1;
          process = null;
          return new Start(false, code, String.join("\n", child.lines()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    incarnation = -1;
    process = null;
    child.kill();
    return new Start(false, null, "no 'idmint listening' within " + within);
  }

  /** kill -9; the slot has no process afterwards. */
  void kill() {
    ChildProcess p = process;
    if (p != null) {
      p.kill();
    }
    incarnation = -1;
    process = null;
  }

  /** SIGTERM (graceful, releases the lease). */
  void stopGracefully() {
    ChildProcess p = process;
    incarnation = -1;
    process = null;
    if (p != null) {
      p.terminate(Duration.ofSeconds(20));
    }
  }

  void signal(String signal) {
    ChildProcess p = process;
    if (p != null) {
      p.signal(signal);
    }
  }
}
