package dev.idmint.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A MariaDB server of this test's own: {@code mariadb-install-db} in a temporary directory, {@code
 * root} without a password, a free loopback port, a database {@code test}. It may be killed ({@code
 * kill -9}) and started again on the same data directory (InnoDB crash recovery), unlike the
 * machine's shared engine. {@link #close()} stops it and deletes the directory; no {@code mariadbd}
 * survives the JVM (see {@link PrivateInstanceDir}).
 *
 * <p>Binaries: {@code mariadb-install-db} and {@code mariadbd} on the {@code PATH} or in {@code
 * /usr/bin}, {@code /usr/sbin}. Under root the server runs with {@code --user=root}.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class PrivateMariaDb implements AutoCloseable {
  private static final String SERVER_COMMAND = "mariadbd";

  private final PrivateInstanceDir dir;
  private final Path data;
  private final Path pidFile;
  private final Path log;
  private final int port;
  private final ServerProcess server;
  private boolean closed;

  private PrivateMariaDb(PrivateInstanceDir dir, int port) {
    this.dir = dir;
    this.data = dir.root.resolve("data");
    this.pidFile = dir.root.resolve("mariadbd.pid");
    this.log = dir.root.resolve("mariadbd.log");
    this.port = port;
    this.server = new ServerProcess("MariaDB on port " + port, SERVER_COMMAND, pidFile, log);
  }

  /** Skips the calling test (fails it under {@code CI=true}) without the MariaDB binaries. */
  public static void requireInstalled() {
    PrivateInstanceDir.requireBinary(
        "MariaDB",
        binary("mariadbd").flatMap(d -> binary("mariadb-install-db")),
        "apt-get install -y mariadb-server");
  }

  /** Creates, starts and prepares a new server (a few seconds). */
  public static PrivateMariaDb start() {
    PrivateMariaDb[] self = new PrivateMariaDb[1];
    PrivateInstanceDir dir =
        PrivateInstanceDir.create(
            "mariadb",
            SERVER_COMMAND,
            () -> {
              if (self[0] != null) {
                self[0].close();
              }
            });
    PrivateMariaDb db = new PrivateMariaDb(dir, PrivateInstanceDir.freePort());
    self[0] = db;
    try {
      dir.guard(db.pidFile);
      int code =
          PrivateInstanceDir.run(
              List.of(
                  required("mariadb-install-db").toString(),
                  "--no-defaults",
                  "--datadir=" + db.data,
                  "--user=" + System.getProperty("user.name"),
                  "--auth-root-authentication-method=normal",
                  "--skip-test-db"),
              dir.root.resolve("install.log"),
              Duration.ofSeconds(120));
      if (code != 0) {
        throw new IllegalStateException(
            "mariadb-install-db failed (exit "
                + code
                + "):\n"
                + PrivateInstanceDir.tail(dir.root.resolve("install.log")));
      }
      db.startServer();
      db.sql("CREATE DATABASE IF NOT EXISTS test");
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** {@code jdbc:mariadb://127.0.0.1:<port>/<database>}; user {@code root}, no password. */
  public String jdbcUrl(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
  }

  public Path logFile() {
    return log;
  }

  public boolean running() {
    return server.running();
  }

  /** {@code kill -9} of the server; returns once it is gone. */
  public boolean kill() {
    return server.kill();
  }

  /** Starts the server on the same port and data directory; returns once it accepts connections. */
  public void startServer() {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                required("mariadbd").toString(),
                "--no-defaults",
                "--datadir=" + data,
                "--socket=" + dir.root.resolve("mariadbd.sock"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--pid-file=" + pidFile,
                "--skip-log-bin",
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M",
                "--max-connections=80"));
    if (PrivateInstanceDir.runningAsRoot()) {
      command.add("--user=root");
    }
    server.start(command, () -> PrivateInstanceDir.accepts(port), Duration.ofSeconds(60));
  }

  /** Stops the server (SIGTERM, then SIGKILL) and deletes the directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop();
    dir.delete();
  }

  private void sql(String statement) {
    Path client = required("mariadb");
    int code =
        PrivateInstanceDir.run(
            List.of(
                client.toString(),
                "--no-defaults",
                "--protocol=TCP",
                "-h",
                "127.0.0.1",
                "-P",
                Integer.toString(port),
                "-u",
                "root",
                "-e",
                statement),
            dir.root.resolve("commands.log"),
            Duration.ofSeconds(30));
    if (code != 0) {
      throw new IllegalStateException(
          "'"
              + statement
              + "' failed:\n"
              + PrivateInstanceDir.tail(dir.root.resolve("commands.log")));
    }
  }

  private static Path required(String name) {
    return binary(name)
        .orElseThrow(() -> new IllegalStateException(name + " not found; install mariadb-server"));
  }

  private static Optional<Path> binary(String name) {
    Optional<Path> onPath = PrivateInstanceDir.onPath(name);
    if (onPath.isPresent()) {
      return onPath;
    }
    for (String dir : List.of("/usr/sbin", "/usr/bin")) {
      Path candidate = Path.of(dir, name);
      if (candidate.toFile().canExecute()) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
