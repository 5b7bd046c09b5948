package dev.idmint.bench.insert;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What differs between the two engines: URLs, DDL, how to read a table's size and the position of
 * the write-ahead (PostgreSQL) or redo (InnoDB) log. Both logs are per server, not per table, so a
 * log figure also counts whatever else wrote to the server meanwhile (other tests on a shared
 * machine); the report says so.
 */
enum Engine {
  POSTGRESQL("postgresql", "PostgreSQL"),
  MARIADB("mariadb", "MariaDB");

  private final String id;
  private final String label;

  Engine(String id, String label) {
    this.id = id;
    this.label = label;
  }

  String id() {
    return id;
  }

  String label() {
    return label;
  }

  static Optional<Engine> byId(String id) {
    String wanted = id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(e -> e.id.equals(wanted)).findFirst();
  }

  /** A connection to the server, not to the benchmark's database (which may not exist yet). */
  Connection admin(InsertBenchConfig.Server server) throws SQLException {
    String url =
        this == POSTGRESQL
            ? "jdbc:postgresql://" + server.host() + ":" + server.port() + "/postgres"
            : "jdbc:mariadb://" + server.host() + ":" + server.port() + "/";
    return DriverManager.getConnection(url, server.user(), server.password());
  }

  /**
   * A connection to the benchmark's database with the driver's batch rewriting on: a JDBC batch
   * becomes one multi-row {@code INSERT} (PostgreSQL) or one bulk command (MariaDB).
   */
  Connection open(InsertBenchConfig.Server server, String database) throws SQLException {
    String url =
        this == POSTGRESQL
            ? "jdbc:postgresql://"
                + server.host()
                + ":"
                + server.port()
                + "/"
                + database
                + "?reWriteBatchedInserts=true"
            : "jdbc:mariadb://"
                + server.host()
                + ":"
                + server.port()
                + "/"
                + database
                + "?useBulkStmts=true&useBulkStmtsForInserts=true";
    return DriverManager.getConnection(url, server.user(), server.password());
  }

  void recreateDatabase(Connection admin, String database) throws SQLException {
    dropDatabase(admin, database);
    try (Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
  }

  void dropDatabase(Connection admin, String database) throws SQLException {
    try (Statement statement = admin.createStatement()) {
      statement.execute(
          this == POSTGRESQL
              ? "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"
              : "DROP DATABASE IF EXISTS " + database);
    }
  }

  String createTable(KeyType key) {
    String timestamp = this == POSTGRESQL ? "timestamptz" : "DATETIME(6)";
    return "CREATE TABLE "
        + key.table()
        + " (id "
        + key.columnType(this)
        + " PRIMARY KEY, account_id BIGINT NOT NULL, amount_cents INTEGER NOT NULL,"
        + " status VARCHAR(12) NOT NULL, created_at "
        + timestamp
        + " NOT NULL, note VARCHAR(64) NOT NULL)"
        + (this == MARIADB ? " ENGINE=InnoDB" : "");
  }

  String insert(KeyType key) {
    return key.generatedByDatabase()
        ? "INSERT INTO "
            + key.table()
            + " (account_id, amount_cents, status, created_at, note) VALUES (?, ?, ?, ?, ?)"
        : "INSERT INTO "
            + key.table()
            + " (id, account_id, amount_cents, status, created_at, note)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
  }

  /**
   * Bytes of the primary-key index and of the whole table. On PostgreSQL the index is a B-tree
   * beside the heap; on InnoDB the primary key is the clustered index, i.e. the table itself, so
   * both figures are the size of the table's tablespace file.
   */
  long[] sizes(Connection connection, String database, KeyType key) throws SQLException {
    if (this == POSTGRESQL) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT pg_indexes_size(?::regclass), pg_total_relation_size(?::regclass)")) {
        statement.setString(1, key.table());
        statement.setString(2, key.table());
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          return new long[] {rows.getLong(1), rows.getLong(2)};
        }
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT FILE_SIZE FROM information_schema.INNODB_SYS_TABLESPACES WHERE NAME = ?")) {
      statement.setString(1, database + "/" + key.table());
      try (ResultSet rows = statement.executeQuery()) {
        long bytes = rows.next() ? rows.getLong(1) : -1;
        return new long[] {bytes, bytes};
      }
    }
  }

  /** The server's log position in bytes: WAL LSN (PostgreSQL) or InnoDB's current redo LSN. */
  long logPosition(Connection connection) throws SQLException {
    String sql =
        this == POSTGRESQL
            ? "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
            : "SHOW GLOBAL STATUS LIKE 'Innodb_lsn_current'";
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return this == POSTGRESQL ? rows.getLong(1) : Long.parseLong(rows.getString(2));
    }
  }

  /** What the log figure is called in the report. */
  String logName() {
    return this == POSTGRESQL ? "WAL" : "redo log";
  }

  /** The settings the report states: version, buffer size, durability. Defaults are not changed. */
  Map<String, String> settings(Connection connection) throws SQLException {
    Map<String, String> settings = new LinkedHashMap<>();
    String[][] queries =
        this == POSTGRESQL
            ? new String[][] {
              {"version", "SHOW server_version"},
              {"shared_buffers", "SHOW shared_buffers"},
              {"synchronous_commit", "SHOW synchronous_commit"},
              {"max_wal_size", "SHOW max_wal_size"},
              {"full_page_writes", "SHOW full_page_writes"}
            }
            : new String[][] {
              {"version", "SELECT VERSION()"},
              {"innodb_buffer_pool_size", "SELECT @@innodb_buffer_pool_size"},
              {"innodb_flush_log_at_trx_commit", "SELECT @@innodb_flush_log_at_trx_commit"},
              {"innodb_flush_method", "SELECT @@innodb_flush_method"},
              {"innodb_log_file_size", "SELECT @@innodb_log_file_size"}
            };
    try (Statement statement = connection.createStatement()) {
      for (String[] query : queries) {
        try (ResultSet rows = statement.executeQuery(query[1])) {
          rows.next();
          settings.put(query[0], rows.getString(1));
        }
      }
    }
    return settings;
  }
}
