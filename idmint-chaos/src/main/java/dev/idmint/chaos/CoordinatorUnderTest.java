package dev.idmint.chaos;

import dev.idmint.testkit.PrivateMariaDb;
import dev.idmint.testkit.PrivatePostgres;
import dev.idmint.testkit.PrivateRedis;
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
    /** A schema in the machine's shared PostgreSQL, reached through a fault proxy. */
    POSTGRES("postgres", FaultType.Needs.NOTHING),
    ZOOKEEPER("zookeeper", FaultType.Needs.NOTHING),
    /** A database in the machine's shared MariaDB, reached through a fault proxy. */
    MARIADB("mariadb", FaultType.Needs.NOTHING),
    /** A PostgreSQL cluster of the campaign's own ({@link PrivatePostgres}): really killed. */
    POSTGRES_PRIVATE("postgres-private", FaultType.Needs.PRIVATE_POSTGRES),
    /** A MariaDB server of the campaign's own ({@link PrivateMariaDb}): really killed. */
    MARIADB_PRIVATE("mariadb-private", FaultType.Needs.PRIVATE_ENGINE),
    /** Three ZooKeeper servers (Curator {@code TestingCluster}) in a JVM of their own. */
    ZOOKEEPER_ENSEMBLE("zookeeper-ensemble", FaultType.Needs.ZOOKEEPER_ENSEMBLE),
    /**
     * A {@code redis-server} of the campaign's own ({@link PrivateRedis}) without persistence: each
     * kill starts it again empty.
     */
    REDIS_PRIVATE("redis-private", FaultType.Needs.PRIVATE_ENGINE);

    final String id;
    private final FaultType.Needs offers;

    Kind(String id, FaultType.Needs offers) {
      this.id = id;
      this.offers = offers;
    }

    /** Whether this coordinator can undergo the fault (database faults need a private engine). */
    boolean supports(FaultType fault) {
      return switch (fault.needs) {
        case NOTHING -> true;
        case PRIVATE_ENGINE ->
            offers == FaultType.Needs.PRIVATE_ENGINE || offers == FaultType.Needs.PRIVATE_POSTGRES;
        case PRIVATE_POSTGRES, ZOOKEEPER_ENSEMBLE -> offers == fault.needs;
      };
    }

    static Kind of(String id) {
      for (Kind kind : values()) {
        if (kind.id.equals(id.strip())) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "unknown coordinator '"
              + id
              + "'; known: postgres, zookeeper, mariadb, postgres-private, mariadb-private,"
              + " zookeeper-ensemble");
    }
  }

  static CoordinatorUnderTest create(Kind kind, String label, Path dir) {
    return switch (kind) {
      case POSTGRES -> new Postgres(label, false);
      case MARIADB -> new MariaDb(label, false);
      case POSTGRES_PRIVATE -> new Postgres(label, true);
      case MARIADB_PRIVATE -> new MariaDb(label, true);
      case ZOOKEEPER -> new ZooKeeper(dir, false);
      case ZOOKEEPER_ENSEMBLE -> new ZooKeeper(dir, true);
      case REDIS_PRIVATE -> new Redis();
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

  /** {@code kill -9} of the engine's server process (a private engine only). */
  void engineKill() {
    throw new UnsupportedOperationException(kind().id + " is shared: it is never killed");
  }

  /** {@code pg_ctl stop -m immediate} (a private PostgreSQL only). */
  void engineStopImmediate() {
    throw new UnsupportedOperationException(kind().id + " cannot be stopped by the campaign");
  }

  /** Starts the killed or stopped engine again on the same port and data. */
  void engineStart() {
    throw new UnsupportedOperationException(kind().id + " cannot be started by the campaign");
  }

  /** Takes an online backup, kept for {@link #engineRestoreBackup()}. */
  void engineBackup() {
    throw new UnsupportedOperationException(kind().id + " has no backup in the campaign");
  }

  /** Kills the engine, replaces its data by the last backup and starts it again. */
  void engineRestoreBackup() {
    throw new UnsupportedOperationException(kind().id + " has no backup in the campaign");
  }

  /** Kills the ZooKeeper ensemble's leader; returns which server that was. */
  String killLeader() {
    throw new UnsupportedOperationException(kind().id + " has no ensemble");
  }

  /** Starts the killed ZooKeeper server again. */
  void restartKilledServer() {
    throw new UnsupportedOperationException(kind().id + " has no ensemble");
  }

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
    private final boolean own;
    private PrivatePostgres engine;
    private PrivatePostgres.Backup backup;

    Postgres(String label, boolean own) {
      super(label);
      this.own = own;
    }

    @Override
    Kind kind() {
      return own ? Kind.POSTGRES_PRIVATE : Kind.POSTGRES;
    }

    @Override
    void start() {
      if (own) {
        engine = PrivatePostgres.start();
      }
      super.start();
    }

    @Override
    String host() {
      return own ? engine.host() : PG_HOST;
    }

    @Override
    int port() {
      return own ? engine.port() : PG_PORT;
    }

    @Override
    Connection admin() throws SQLException {
      return DriverManager.getConnection(
          "jdbc:postgresql://" + host() + ":" + port() + "/test?connectTimeout=2", "postgres", "");
    }

    @Override
    String outageMethod() {
      return own
          ? "TCP fault proxy cut; the database faults kill or restore the private PostgreSQL"
          : super.outageMethod();
    }

    @Override
    void engineKill() {
      requireOwn();
      engine.killPostmaster();
    }

    @Override
    void engineStopImmediate() {
      requireOwn();
      engine.stopImmediate();
    }

    @Override
    void engineStart() {
      requireOwn();
      engine.startServer();
    }

    @Override
    void engineBackup() {
      requireOwn();
      backup = engine.backup();
    }

    /**
     * Restores the backup as an operator must (docs/operations.md): the nodes are kept away (the
     * proxy cut) until every segment counter is raised back to what had been served, because a
     * segment counter that goes back hands out ranges again and no node can tell. The worker table
     * stays as restored: its horizons and fencing tokens go back, which the nodes must handle.
     */
    @Override
    void engineRestoreBackup() {
      requireOwn();
      proxy.cut();
      try {
        Map<String, Long> served = segmentCounters();
        engine.killPostmaster();
        engine.restore(backup);
        engine.startServer();
        raiseSegmentCounters(served);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot carry the segment counters over a restore", e);
      } finally {
        proxy.restore();
      }
    }

    private Map<String, Long> segmentCounters() throws SQLException {
      Map<String, Long> result = new HashMap<>();
      try (Connection connection = admin();
          Statement statement = connection.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT namespace, max_id FROM " + space + ".idmint_segment")) {
        while (rs.next()) {
          result.put(rs.getString(1), rs.getLong(2));
        }
      }
      return result;
    }

    private void raiseSegmentCounters(Map<String, Long> served) throws SQLException {
      try (Connection connection = admin();
          java.sql.PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE "
                      + space
                      + ".idmint_segment SET max_id = GREATEST(max_id, ?) WHERE namespace = ?")) {
        for (Map.Entry<String, Long> e : served.entrySet()) {
          update.setLong(1, e.getValue());
          update.setString(2, e.getKey());
          update.executeUpdate();
        }
      }
    }

    private void requireOwn() {
      if (!own) {
        super.engineKill(); // throws: the shared engine is never touched
      }
    }

    @Override
    public synchronized void close() {
      super.close();
      if (engine != null) {
        engine.close();
      }
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
    private final boolean own;
    private PrivateMariaDb engine;

    MariaDb(String label, boolean own) {
      super(label);
      this.own = own;
    }

    @Override
    Kind kind() {
      return own ? Kind.MARIADB_PRIVATE : Kind.MARIADB;
    }

    @Override
    void start() {
      if (own) {
        engine = PrivateMariaDb.start();
      }
      super.start();
    }

    @Override
    String host() {
      return own ? engine.host() : MARIADB_HOST;
    }

    @Override
    int port() {
      return own ? engine.port() : MARIADB_PORT;
    }

    @Override
    Connection admin() throws SQLException {
      return DriverManager.getConnection(
          "jdbc:mariadb://" + host() + ":" + port() + "/test?connectTimeout=2000", "root", "");
    }

    @Override
    String outageMethod() {
      return own
          ? "TCP fault proxy cut; the database faults kill the private MariaDB"
          : super.outageMethod();
    }

    @Override
    void engineKill() {
      if (!own) {
        super.engineKill();
      }
      engine.kill();
    }

    @Override
    void engineStart() {
      if (!own) {
        super.engineStart();
      }
      engine.startServer();
    }

    @Override
    public synchronized void close() {
      super.close();
      if (engine != null) {
        engine.close();
      }
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

  /**
   * A ZooKeeper server ({@link ZooKeeperMain}) or a 3-server ensemble ({@link
   * ZooKeeperEnsembleMain}) in a JVM of its own, really killed for an outage (the whole JVM: every
   * server), on the same ports and data when started again.
   */
  static final class ZooKeeper extends CoordinatorUnderTest {
    static final String CHROOT = "/chaos";
    private final Path dir;
    private final boolean ensemble;
    private final int port = freePort();
    private final int[] ensemblePorts = new int[9];
    private final java.util.concurrent.BlockingQueue<String> replies =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private ChildProcess server;
    private CuratorFramework reader;

    ZooKeeper(Path dir, boolean ensemble) {
      this.dir = dir.resolve("zookeeper");
      this.ensemble = ensemble;
      for (int i = 0; i < ensemblePorts.length; i++) {
        ensemblePorts[i] = freePort();
      }
    }

    @Override
    Kind kind() {
      return ensemble ? Kind.ZOOKEEPER_ENSEMBLE : Kind.ZOOKEEPER;
    }

    @Override
    void start() {
      launch();
      reader =
          CuratorFrameworkFactory.builder()
              .connectString(connectString())
              .sessionTimeoutMs(10_000)
              .connectionTimeoutMs(2_000)
              .retryPolicy(new RetryOneTime(200))
              .build();
      reader.start();
    }

    private String connectString() {
      if (!ensemble) {
        return "127.0.0.1:" + port;
      }
      return "127.0.0.1:"
          + ensemblePorts[0]
          + ",127.0.0.1:"
          + ensemblePorts[1]
          + ",127.0.0.1:"
          + ensemblePorts[2];
    }

    private String ports(int from) {
      return ensemblePorts[from] + "," + ensemblePorts[from + 1] + "," + ensemblePorts[from + 2];
    }

    private void launch() {
      java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  ensemble ? "-Xmx256m" : "-Xmx128m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-Dzookeeper.admin.enableServer=false",
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  "-cp",
                  System.getProperty("java.class.path")));
      if (ensemble) {
        command.addAll(
            List.of(
                ZooKeeperEnsembleMain.class.getName(),
                dir.resolve("data").toString(),
                ports(0),
                ports(3),
                ports(6)));
      } else {
        command.addAll(
            List.of(
                ZooKeeperMain.class.getName(),
                Integer.toString(port),
                dir.resolve("data").toString()));
      }
      server =
          ChildProcess.start(
              "zookeeper",
              command,
              Map.of(),
              dirLog(),
              (now, line) -> {
                if (line.startsWith("zookeeper ready") || line.startsWith("ensemble ready")) {
                  ready.countDown();
                } else if (line.startsWith("killed leader")
                    || line.startsWith("no leader")
                    || line.startsWith("restarted")) {
                  replies.add(line);
                }
              });
      try {
        if (!ready.await(90, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              "ZooKeeper did not start within 90 s: " + String.join("\n", server.lines()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    @Override
    String killLeader() {
      if (!ensemble) {
        return super.killLeader();
      }
      server.send("kill-leader");
      return reply();
    }

    @Override
    void restartKilledServer() {
      if (!ensemble) {
        super.restartKilledServer();
      }
      server.send("restart");
      reply();
    }

    private String reply() {
      try {
        String line = replies.poll(60, java.util.concurrent.TimeUnit.SECONDS);
        if (line == null) {
          throw new IllegalStateException("the ZooKeeper ensemble did not answer within 60 s");
        }
        return line;
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
      return "coordinator:\n  url: zookeeper://"
          + connectString()
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
      return ensemble
          ? "the JVM of the whole 3-server ensemble killed (kill -9) and restarted on the same"
              + " ports and data; zk-leader-kill kills the leader only"
          : "ZooKeeper server process killed (kill -9) and restarted on the same port and data";
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

  /**
   * A private Redis without persistence behind a TCP fault proxy. The outages cut the proxy; the
   * engine faults kill {@code redis-server} and start it again empty, which is what a Redis without
   * AOF does after a crash: every claim, horizon and segment counter is gone. What a node can know
   * of that is what it saw before (the highest horizon, its segments' high-water marks); an
   * operator must raise the segment counters again before any node that never saw them starts
   * (docs/coordinators.md). The campaign does so while the nodes are kept away, as for {@code
   * db-restore-backup}; the worker keys stay empty, which the nodes must handle.
   */
  static final class Redis extends CoordinatorUnderTest {
    private static final String PREFIX = "idmint:";
    private PrivateRedis engine;
    private TcpFaultProxy proxy;
    private Map<String, Long> counters = Map.of();

    @Override
    Kind kind() {
      return Kind.REDIS_PRIVATE;
    }

    @Override
    void start() {
      engine = PrivateRedis.start();
      try {
        proxy = TcpFaultProxy.start(engine.host(), engine.port());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    String nodeConfigYaml() {
      return "coordinator:\n  url: redis://"
          + proxy.host()
          + ":"
          + proxy.port()
          + "\n  options: { connect-timeout: 1s, command-timeout: 2s }\n";
    }

    @Override
    Map<Integer, Long> horizons() throws IOException {
      Map<Integer, Long> result = new HashMap<>();
      for (int worker = 0; worker < 8; worker++) {
        int w = worker;
        engine
            .call("HGET", PREFIX + "worker:" + worker, "horizon")
            .ifPresent(h -> result.put(w, Long.parseLong(h)));
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
      return "TCP fault proxy cut; the database faults kill redis-server, which starts again empty"
          + " (no persistence)";
    }

    /** Keeps the nodes away, reads the segment counters and kills the server. */
    @Override
    void engineKill() {
      proxy.cut();
      try {
        Map<String, Long> read = new HashMap<>();
        for (String namespace : List.of("seg")) {
          engine
              .call("GET", PREFIX + "segment:" + namespace)
              .ifPresent(v -> read.put(namespace, Long.parseLong(v)));
        }
        counters = read;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the segment counters before the kill", e);
      }
      engine.kill();
    }

    /** Starts the server again (empty), raises the segment counters back, lets the nodes in. */
    @Override
    void engineStart() {
      try {
        engine.startServer();
        for (Map.Entry<String, Long> counter : counters.entrySet()) {
          engine.call("SET", PREFIX + "segment:" + counter.getKey(), counter.getValue().toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot raise the segment counters after the restart", e);
      } finally {
        proxy.restore();
      }
      // The nodes still hold leases that look valid and so report ready until a renewal finds
      // the loss (then they wait for their raised floor): let every one renew before the campaign
      // waits for a ready cluster, or the next fault would start while all of them refuse.
      try {
        Thread.sleep(Campaign.RENEW.toMillis() * 3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      if (proxy != null) {
        proxy.close();
      }
      if (engine != null) {
        engine.close();
      }
    }
  }
}
