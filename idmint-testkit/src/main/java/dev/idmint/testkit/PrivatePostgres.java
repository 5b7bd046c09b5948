package dev.idmint.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of this test's own: {@code initdb} in a temporary directory, trust
 * authentication, listening on a free loopback port, with a database {@code test}. Unlike the
 * machine's shared engine it may be stopped, killed ({@code kill -9} of the postmaster) and
 * restored from a backup — which is what outage tests need. {@link #close()} stops it and deletes
 * the directory; a shutdown hook, a watchdog and a sweep of stale directories make sure no
 * postmaster survives the JVM (see {@link PrivateInstanceDir}).
 *
 * <p>Binaries: {@code IDMINT_PG_BIN} if set, else the directory of {@code pg_ctl} on the {@code
 * PATH}, else the newest {@code /usr/lib/postgresql/<version>/bin}. PostgreSQL refuses to run as
 * root, so under root every command runs as the user {@code postgres} ({@code runuser}).
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class PrivatePostgres implements AutoCloseable {
  private static final String SERVER_COMMAND = "postgres";
  private static final String OS_USER = "postgres";

  private final Path bin;
  private final PrivateInstanceDir dir;
  private final Path data;
  private final Path log;
  private final int port;
  private boolean closed;

  private PrivatePostgres(Path bin, PrivateInstanceDir dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.root.resolve("data");
    this.log = dir.root.resolve("postgres.log");
    this.port = port;
  }

  /** Skips the calling test (fails it under {@code CI=true}) without the PostgreSQL binaries. */
  public static void requireInstalled() {
    PrivateInstanceDir.requireBinary(
        "PostgreSQL", binaries(), "apt-get install -y postgresql (initdb and pg_ctl)");
  }

  /** Creates, starts and prepares a new cluster (a few seconds). */
  public static PrivatePostgres start() {
    Path bin =
        binaries()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "PostgreSQL binaries not found (set IDMINT_PG_BIN or install postgresql)"));
    PrivatePostgres[] self = new PrivatePostgres[1];
    PrivateInstanceDir dir =
        PrivateInstanceDir.create(
            "pg",
            SERVER_COMMAND,
            () -> {
              if (self[0] != null) {
                self[0].close();
              }
            });
    PrivatePostgres pg = new PrivatePostgres(bin, dir, PrivateInstanceDir.freePort());
    self[0] = pg;
    try {
      if (PrivateInstanceDir.runningAsRoot()) {
        PrivateInstanceDir.chown(dir.root, OS_USER);
      }
      dir.guard(pg.data.resolve("postmaster.pid"));
      pg.command(
          "initdb",
          List.of(
              "-D", pg.data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"),
          Duration.ofSeconds(120));
      pg.startServer();
      pg.command(
          "createdb",
          List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port), "-U", "postgres", "test"),
          Duration.ofSeconds(30));
      return pg;
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}; user {@code postgres}, no password. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The server's log (every start, stop and crash recovery). */
  public Path logFile() {
    return log;
  }

  /** True while a postmaster of this cluster runs. */
  public boolean running() {
    return PrivateInstanceDir.serverProcess(data.resolve("postmaster.pid"), SERVER_COMMAND)
        .isPresent();
  }

  /** {@code pg_ctl stop -m immediate}: every backend ends without a checkpoint (a crash). */
  public void stopImmediate() {
    pgCtl(List.of("stop", "-m", "immediate", "-w", "-t", "60"));
  }

  /**
   * {@code kill -9} of the postmaster. Its backends exit by themselves once they notice; {@link
   * #startServer()} waits for them.
   *
   * @return true if a postmaster was running
   */
  public boolean killPostmaster() {
    return PrivateInstanceDir.killServer(data.resolve("postmaster.pid"), SERVER_COMMAND);
  }

  /**
   * Starts the server on the same port and data directory (after a stop or a kill, with crash
   * recovery as needed); returns once it accepts connections. Retries while backends of a killed
   * postmaster still hold the old shared memory.
   */
  public void startServer() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      int code =
          run(
              List.of(
                  bin.resolve("pg_ctl").toString(),
                  "start",
                  "-D",
                  data.toString(),
                  "-l",
                  log.toString(),
                  "-w",
                  "-t",
                  "30",
                  "-o",
                  "-p "
                      + port
                      + " -k "
                      + dir.root
                      + " -c listen_addresses=127.0.0.1 -c fsync=off"
                      + " -c synchronous_commit=on -c max_connections=60"),
              Duration.ofSeconds(45));
      if (code == 0 && PrivateInstanceDir.accepts(port)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "private PostgreSQL did not start on port "
                + port
                + " (pg_ctl exit "
                + code
                + "):\n"
                + PrivateInstanceDir.tail(log));
      }
      sleep(300);
    }
  }

  /**
   * An online base backup ({@code pg_basebackup}) of the running cluster, as it is now. Restoring
   * it later takes the database back to this moment.
   */
  public Backup backup() {
    Path target = dir.root.resolve("backup-" + System.nanoTime());
    command(
        "pg_basebackup",
        List.of(
            "-D",
            target.toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            "postgres",
            "-X",
            "fetch",
            "--no-sync",
            "-c",
            "fast"),
        Duration.ofSeconds(120));
    return new Backup(target);
  }

  /**
   * Replaces the data directory by a copy of {@code backup}. The server must be stopped (or
   * killed); start it again with {@link #startServer()}. The backup stays usable.
   */
  public void restore(Backup backup) {
    if (running()) {
      throw new IllegalStateException("stop or kill the private PostgreSQL before a restore");
    }
    PrivateInstanceDir.deleteTree(data);
    int code =
        run(List.of("cp", "-a", backup.dir.toString(), data.toString()), Duration.ofSeconds(120));
    if (code != 0) {
      throw new IllegalStateException("cannot copy " + backup.dir + " to " + data);
    }
  }

  /** Stops the server (immediate) and deletes the directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (running()) {
        pgCtl(List.of("stop", "-m", "immediate", "-w", "-t", "30"));
      }
    } catch (RuntimeException e) {
      // kill below
    }
    killPostmaster();
    dir.delete();
  }

  /** A base backup taken by {@link #backup()}. */
  public static final class Backup {
    private final Path dir;

    private Backup(Path dir) {
      this.dir = dir;
    }
  }

  private void pgCtl(List<String> args) {
    List<String> all = new ArrayList<>(List.of("-D", data.toString()));
    all.addAll(args);
    command("pg_ctl", all, Duration.ofSeconds(90));
  }

  private void command(String program, List<String> args, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve(program).toString());
    command.addAll(args);
    int code = run(command, timeout);
    if (code != 0) {
      throw new IllegalStateException(
          program + " failed (exit " + code + "):\n" + PrivateInstanceDir.tail(log));
    }
  }

  private int run(List<String> command, Duration timeout) {
    List<String> full = new ArrayList<>();
    if (PrivateInstanceDir.runningAsRoot()) {
      full.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    full.addAll(command);
    return PrivateInstanceDir.run(full, dir.root.resolve("commands.log"), timeout);
  }

  private static Optional<Path> binaries() {
    String configured = System.getenv("IDMINT_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(p -> Files.isExecutable(p.resolve("pg_ctl")));
    }
    Optional<Path> onPath = PrivateInstanceDir.onPath("pg_ctl");
    if (onPath.isPresent()) {
      try {
        Path real = onPath.get().toRealPath().getParent();
        if (Files.isExecutable(real.resolve("initdb"))
            && Files.isExecutable(real.resolve("pg_basebackup"))) {
          return Optional.of(real);
        }
      } catch (IOException e) {
        // fall through
      }
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(
              (a, b) ->
                  Integer.compare(
                      versionOf(a.getParent().getFileName().toString()),
                      versionOf(b.getParent().getFileName().toString())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
