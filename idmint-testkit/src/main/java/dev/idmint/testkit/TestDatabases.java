package dev.idmint.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The shared PostgreSQL and MariaDB that engine tests run against, and the one way to give a test
 * an empty schema (PostgreSQL) or database (MariaDB) of its own. Hosts and ports can be overridden
 * with {@code IDMINT_PG_HOST}/{@code IDMINT_PG_PORT} and {@code IDMINT_MARIADB_HOST}/{@code
 * IDMINT_MARIADB_PORT}; PostgreSQL is used as {@code postgres} in database {@code test}, MariaDB as
 * {@code root}, both without a password. The JDBC driver comes from the calling module's test class
 * path.
 *
 * <p>Every method first {@linkplain Engines#require requires} the engine: a test skips on a machine
 * without it and fails under {@code CI=true}.
 */
public final class TestDatabases {
  public static final String PG_HOST = Engines.env("IDMINT_PG_HOST", "127.0.0.1");
  public static final int PG_PORT = Integer.parseInt(Engines.env("IDMINT_PG_PORT", "5432"));
  public static final String PG_USER = "postgres";
  public static final String MARIADB_HOST = Engines.env("IDMINT_MARIADB_HOST", "127.0.0.1");
  public static final int MARIADB_PORT =
      Integer.parseInt(Engines.env("IDMINT_MARIADB_PORT", "3306"));
  public static final String MARIADB_USER = "root";

  private TestDatabases() {}

  /** {@code jdbc:postgresql://host:port/test}, without a schema. */
  public static String postgresUrl() {
    return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/test";
  }

  /** The URL of {@code schema} in database {@code test}, on {@code host:port} (e.g. a proxy). */
  public static String postgresUrl(String host, int port, String schema) {
    return "jdbc:postgresql://" + host + ":" + port + "/test?currentSchema=" + schema;
  }

  /** {@code jdbc:mariadb://host:port/}, without a database. */
  public static String mariaDbUrl() {
    return "jdbc:mariadb://" + MARIADB_HOST + ":" + MARIADB_PORT + "/";
  }

  /** Skips (or fails under CI) unless PostgreSQL runs. */
  public static void requirePostgres() {
    Engines.require(
        "PostgreSQL",
        PG_HOST,
        PG_PORT,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
  }

  /** Skips (or fails under CI) unless MariaDB runs. */
  public static void requireMariaDb() {
    Engines.require(
        "MariaDB", MARIADB_HOST, MARIADB_PORT, "service mariadb start (or mysqld_safe &)");
  }

  /**
   * Drops {@code schema} with everything in it and creates it empty.
   *
   * @return the JDBC URL of a connection whose current schema it is
   */
  public static String freshPostgresSchema(String schema) {
    postgres("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    return postgresUrl(PG_HOST, PG_PORT, schema);
  }

  /** Drops {@code schema} with everything in it, if it exists. */
  public static void dropPostgresSchema(String schema) {
    postgres("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /**
   * Drops {@code database} and creates it empty.
   *
   * @return its JDBC URL
   */
  public static String freshMariaDbDatabase(String database) {
    mariaDb("DROP DATABASE IF EXISTS " + database, "CREATE DATABASE " + database);
    return mariaDbUrl() + database;
  }

  /** Runs {@code statements} in order as {@code postgres} in database {@code test}. */
  public static void postgres(String... statements) {
    requirePostgres();
    execute("PostgreSQL", postgresUrl(), PG_USER, statements);
  }

  /** Runs {@code statements} in order as {@code root}, with no database selected. */
  public static void mariaDb(String... statements) {
    requireMariaDb();
    execute("MariaDB", mariaDbUrl(), MARIADB_USER, statements);
  }

  private static void execute(String engine, String url, String user, String... statements) {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not prepare " + engine + ": " + e.getMessage(), e);
    }
  }
}
