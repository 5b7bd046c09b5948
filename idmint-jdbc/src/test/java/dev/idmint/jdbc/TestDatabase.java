package dev.idmint.jdbc;

import dev.idmint.testkit.Engines;
import dev.idmint.testkit.TestDatabases;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The real databases the JDBC tests run against, each in a schema or database of its own ({@code
 * idmint_it}) so that tests never touch anything else. Hosts and ports can be overridden with
 * {@code IDMINT_PG_HOST}/{@code IDMINT_PG_PORT} and {@code IDMINT_MARIADB_HOST}/{@code
 * IDMINT_MARIADB_PORT}.
 */
enum TestDatabase {
  POSTGRESQL(
      "PostgreSQL",
      TestDatabases.PG_HOST,
      TestDatabases.PG_PORT,
      TestDatabases.PG_USER,
      "",
      "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start") {
    @Override
    String url(String host, int port) {
      return "jdbc:postgresql://" + host + ":" + port + "/test?currentSchema=" + SCHEMA;
    }

    @Override
    String createSchema() {
      return "CREATE SCHEMA IF NOT EXISTS " + SCHEMA;
    }

    @Override
    String dropSchema(String name) {
      return "DROP SCHEMA IF EXISTS " + name + " CASCADE";
    }

    @Override
    String urlOf(String schema) {
      return "jdbc:postgresql://" + host + ":" + port + "/test?currentSchema=" + schema;
    }
  },

  MARIADB(
      "MariaDB",
      TestDatabases.MARIADB_HOST,
      TestDatabases.MARIADB_PORT,
      TestDatabases.MARIADB_USER,
      "",
      "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd") {
    @Override
    String url(String host, int port) {
      return "jdbc:mariadb://" + host + ":" + port + "/" + SCHEMA;
    }

    @Override
    String createSchema() {
      return "CREATE DATABASE IF NOT EXISTS " + SCHEMA;
    }

    @Override
    String dropSchema(String name) {
      return "DROP DATABASE IF EXISTS " + name;
    }

    @Override
    String urlOf(String schema) {
      return "jdbc:mariadb://" + host + ":" + port + "/" + schema;
    }
  };

  static final String SCHEMA = "idmint_it";

  final String engine;
  final String host;
  final int port;
  final String user;
  final String password;
  final String howToStart;

  TestDatabase(
      String engine, String host, int port, String user, String password, String howToStart) {
    this.engine = engine;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.howToStart = howToStart;
  }

  abstract String url(String host, int port);

  abstract String createSchema();

  abstract String dropSchema(String name);

  abstract String urlOf(String schema);

  String url() {
    return url(host, port);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /** Skips (or fails under CI) when the engine is not running; creates the test schema. */
  void require() {
    Engines.require(engine, host, port, howToStart);
    execute(createSchema());
  }

  /** Runs {@code statements} as the engine's administrator ({@link TestDatabases}). */
  void execute(String... statements) {
    if (this == POSTGRESQL) {
      TestDatabases.postgres(statements);
    } else {
      TestDatabases.mariaDb(statements);
    }
  }

  /** Coordinators opened by a test, closed by {@link Opened#close()}. */
  static final class Opened implements AutoCloseable {
    private final List<JdbcCoordinator> coordinators = new ArrayList<>();

    JdbcCoordinator open(TestDatabase database, String host, int port) {
      JdbcCoordinator coordinator =
          JdbcCoordinator.builder(database.url(host, port))
              .user(database.user)
              .password(database.password)
              .connectTimeout(java.time.Duration.ofSeconds(2))
              .socketTimeout(java.time.Duration.ofSeconds(3))
              .build()
              .start();
      coordinators.add(coordinator);
      return coordinator;
    }

    @Override
    public void close() {
      coordinators.forEach(JdbcCoordinator::close);
      coordinators.clear();
    }
  }
}
