package dev.idmint.chaos;

import dev.idmint.testkit.TcpFaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/**
 * The engine the nodes share, seen from outside the nodes: how nodes reach it, how to take it away
 * for a while, and what it says about each worker's reserved horizon (read directly, never through
 * a node).
 */
abstract class CoordinatorUnderTest implements AutoCloseable {
  static final String PG_HOST = env("IDMINT_PG_HOST", "127.0.0.1");
  static final int PG_PORT = Integer.parseInt(env("IDMINT_PG_PORT", "5432"));
  static final String MARIADB_HOST = env("IDMINT_MARIADB_HOST", "127.0.0.1");
  static final int MARIADB_PORT = Integer.parseInt(env("IDMINT_MARIADB_PORT", "3306"));

  /** Which engine. */
  enum Kind {
    POSTGRES("postgres"),
    ZOOKEEPER("zookeeper"),
    MARIADB("mariadb");

    final String id;

    Kind(String id) {
      this.id = id;
    }

    static Kind of(String id) {
      for (Kind kind : values()) {
        if (kind.id.equals(id.strip())) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "unknown coordinator '" + id + "'; known: postgres, zookeeper, mariadb");
    }
  }

  static CoordinatorUnderTest create(Kind kind, String label, Path dir) {
    return switch (kind) {
      case POSTGRES -> new Postgres(label);
      case MARIADB -> new MariaDb(label);
      case ZOOKEEPER -> new ZooKeeper(dir);
    };
  }

  abstract Kind kind();

  /** Prepares a fresh, empty space for this round (schema, database, ZooKeeper server). */
  abstract void start();

  /** The {@code coordinator:} block of the node configuration. */
  abstract String nodeConfigYaml();

  /** Each worker's reserved horizon as the coordinator holds it now. */
  abstract Map<Integer, Long> horizons() throws Exception;

  /** Takes the coordinator away from every node (the engine itself may keep running). */
  abstract void outageBegin();

  /** Gives it back; returns once nodes can reach it again. */
  abstract void outageEnd();

  /** How an outage is made, for the report. */
  abstract String outageMethod();

  @Override
  public abstract void close();

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PostgreSQL or MariaDB behind a TCP fault proxy; the engine itself is shared and stays up. */
  abstract static class Jdbc extends CoordinatorUnderTest {
    final String space;
    TcpFaultProxy proxy;
    Connection reader;

    Jdbc(String label) {
      this.space = "chaos_" + label.replaceAll("[^a-z0-9_]", "_");
    }

    abstract String host();

    abstract int port();

    abstract Connection admin() throws SQLException;

    abstract void recreateSpace(Statement statement) throws SQLException;

    abstract String table();

    @Override
    void start() {
      try (Connection connection = admin();
          Statement statement = connection.createStatement()) {
        recreateSpace(statement);
        proxy = TcpFaultProxy.start(host(), port());
      } catch (SQLException e) {
        throw new IllegalStateException("cannot prepare " + space + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    synchronized Map<Integer, Long> horizons() throws SQLException {
      if (reader == null || !reader.isValid(1)) {
        reader = admin();
      }
      Map<Integer, Long> result = new HashMap<>();
      try (Statement statement = reader.createStatement()) {
        statement.setQueryTimeout(2);
        try (ResultSet rs =
            statement.executeQuery("SELECT worker, reserved_until FROM " + table())) {
          while (rs.next()) {
            result.put(rs.getInt(1), rs.getLong(2));
          }
        } catch (SQLException e) {
          if (e.getMessage() != null && e.getMessage().contains("exist")) {
            return result; // the first node has not created the table yet
          }
          throw e;
        }
      }
      return result;
    }

    @Override
    void outageBegin() {
      proxy.cut();
    }

    @Override
    void outageEnd() {
      proxy.restore();
    }

    @Override
    String outageMethod() {
      return "TCP fault proxy between the nodes and the engine cut (the shared engine stays up)";
    }

    @Override
    public synchronized void close() {
      if (proxy != null) {
        proxy.close();
      }
      try {
        if (reader != null) {
          reader.close();
        }
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }

  static final class Postgres extends Jdbc {
    Postgres(String label) {
      super(label);
    }

    @Override
    Kind kind() {
      return Kind.POSTGRES;
    }

    @Override
    String host() {
      return PG_HOST;
    }

    @Override
    int port() {
      return PG_PORT;
    }

    @Override
    Connection admin() throws SQLException {
      return DriverManager.getConnection(
          "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/test", "postgres", "");
    }

    @Override
    void recreateSpace(Statement statement) throws SQLException {
      statement.execute("DROP SCHEMA IF EXISTS " + space + " CASCADE");
      statement.execute("CREATE SCHEMA " + space);
    }

    @Override
    String table() {
      return space + ".idmint_worker";
    }

    @Override
    String nodeConfigYaml() {
      return "coordinator:\n  url: jdbc:postgresql://"
          + proxy.host()
          + ":"
          + proxy.port()
          + "/test?currentSchema="
          + space
          + "\n  options: { user: postgres, pool-size: 2, connect-timeout: 1s,"
          + " socket-timeout: 2s }\n";
    }
  }

  static final class MariaDb extends Jdbc {
    MariaDb(String label) {
      super(label);
    }

    @Override
    Kind kind() {
      return Kind.MARIADB;
    }

    @Override
    String host() {
      return MARIADB_HOST;
    }

    @Override
    int port() {
      return MARIADB_PORT;
    }

    @Override
    Connection admin() throws SQLException {
      return DriverManager.getConnection(
          "jdbc:mariadb://" + MARIADB_HOST + ":" + MARIADB_PORT + "/test", "root", "");
    }

    @Override
    void recreateSpace(Statement statement) throws SQLException {
      statement.execute("DROP DATABASE IF EXISTS " + space);
      statement.execute("CREATE DATABASE " + space);
    }

    @Override
    String table() {
      return space + ".idmint_worker";
    }

    @Override
    String nodeConfigYaml() {
      return "coordinator:\n  url: jdbc:mariadb://"
          + proxy.host()
          + ":"
          + proxy.port()
          + "/"
          + space
          + "\n  options: { user: root, pool-size: 2, connect-timeout: 1s,"
          + " socket-timeout: 2s }\n";
    }
  }

  /** A ZooKeeper server in its own JVM ({@link ZooKeeperMain}), really killed for an outage. */
  static final class ZooKeeper extends CoordinatorUnderTest {
    static final String CHROOT = "/chaos";
    private final Path dir;
    private final int port = freePort();
    private ChildProcess server;
    private CuratorFramework reader;

    ZooKeeper(Path dir) {
      this.dir = dir.resolve("zookeeper");
    }

    @Override
    Kind kind() {
      return Kind.ZOOKEEPER;
    }

    @Override
    void start() {
      launch();
      reader =
          CuratorFrameworkFactory.builder()
              .connectString("127.0.0.1:" + port)
              .sessionTimeoutMs(10_000)
              .connectionTimeoutMs(2_000)
              .retryPolicy(new RetryOneTime(200))
              .build();
      reader.start();
    }

    private void launch() {
      java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
      server =
          ChildProcess.start(
              "zookeeper",
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx128m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-Dzookeeper.admin.enableServer=false",
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ZooKeeperMain.class.getName(),
                  Integer.toString(port),
                  dir.resolve("data").toString()),
              Map.of(),
              dirLog(),
              (now, line) -> {
                if (line.startsWith("zookeeper ready")) {
                  ready.countDown();
                }
              });
      try {
        if (!ready.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              "ZooKeeper did not start within 60 s: " + String.join("\n", server.lines()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    private Path dirLog() {
      try {
        java.nio.file.Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return dir.resolve("zookeeper.log");
    }

    @Override
    String nodeConfigYaml() {
      return "coordinator:\n  url: zookeeper://127.0.0.1:"
          + port
          + CHROOT
          + "\n  options: { session-timeout: 4s, connect-timeout: 2s }\n";
    }

    @Override
    Map<Integer, Long> horizons() throws Exception {
      Map<Integer, Long> result = new HashMap<>();
      String path = CHROOT + "/workers/horizons";
      if (reader.checkExists().forPath(path) == null) {
        return result;
      }
      for (String child : reader.getChildren().forPath(path)) {
        byte[] data = reader.getData().forPath(path + "/" + child);
        result.put(
            Integer.parseInt(child),
            Long.parseLong(new String(data, StandardCharsets.UTF_8).strip()));
      }
      return result;
    }

    @Override
    void outageBegin() {
      server.kill();
    }

    @Override
    void outageEnd() {
      launch();
    }

    @Override
    String outageMethod() {
      return "ZooKeeper server process killed (kill -9) and restarted on the same port and data";
    }

    @Override
    public void close() {
      if (reader != null) {
        reader.close();
      }
      if (server != null) {
        server.kill();
      }
    }

    Duration startupAllowance() {
      return Duration.ofSeconds(60);
    }
  }
}
