package dev.idmint.jdbc;

import dev.idmint.core.CoordinatorException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What differs between the databases idmint runs on; everything else is shared SQL. */
enum Dialect {
  POSTGRESQL(
      "PostgreSQL",
      "postgresql",
      "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
      "PostgreSQL's clock_timestamp()") {
    @Override
    long allocate(Connection connection, String namespace, long step) throws SQLException {
      // One statement: creates the row on first use, otherwise adds the step; RETURNING gives the
      // new max_id of exactly this update (DESIGN.md rule 5).
      try (PreparedStatement update =
          connection.prepareStatement(
              "INSERT INTO idmint_segment (namespace, max_id, step, updated_at)"
                  + " VALUES (?, 1 + ?, ?, now())"
                  + " ON CONFLICT (namespace) DO UPDATE SET"
                  + " max_id = idmint_segment.max_id + EXCLUDED.step,"
                  + " step = EXCLUDED.step, updated_at = now()"
                  + " RETURNING max_id")) {
        update.setString(1, namespace);
        update.setLong(2, step);
        update.setLong(3, step);
        try (ResultSet rs = update.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }
  },

  MYSQL(
      "MySQL/MariaDB",
      "mysql",
      "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)",
      "MySQL/MariaDB's NOW(3)") {
    @Override
    long allocate(Connection connection, String namespace, long step) throws SQLException {
      // MariaDB has no UPDATE … RETURNING: LAST_INSERT_ID(expr) remembers the value this update
      // wrote, per connection, and SELECT LAST_INSERT_ID() on the same connection reads it back.
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE idmint_segment SET max_id = LAST_INSERT_ID(max_id + ?), step = ?,"
                  + " updated_at = CURRENT_TIMESTAMP(3) WHERE namespace = ?")) {
        update.setLong(1, step);
        update.setLong(2, step);
        update.setString(3, namespace);
        if (update.executeUpdate() == 0) {
          try (PreparedStatement create =
              connection.prepareStatement(
                  "INSERT IGNORE INTO idmint_segment (namespace, max_id, step) VALUES (?, 1, ?)")) {
            create.setString(1, namespace);
            create.setLong(2, step);
            create.executeUpdate();
          }
          if (update.executeUpdate() == 0) {
            throw new CoordinatorException("segment row of " + namespace + " could not be created");
          }
        }
      }
      try (PreparedStatement read = connection.prepareStatement("SELECT LAST_INSERT_ID()");
          ResultSet rs = read.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  },

  H2("H2", "h2", "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)", null) {
    @Override
    long allocate(Connection connection, String namespace, long step) throws SQLException {
      // One transaction (the caller commits): the update locks the row, the select reads what
      // this transaction wrote. On first use the row is created first, committed on its own:
      // creating it inside concurrent transactions deadlocks in H2.
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE idmint_segment SET max_id = max_id + ?, step = ?,"
                  + " updated_at = CURRENT_TIMESTAMP WHERE namespace = ?")) {
        update.setLong(1, step);
        update.setLong(2, step);
        update.setString(3, namespace);
        if (update.executeUpdate() == 0) {
          connection.rollback();
          connection.setAutoCommit(true);
          try (PreparedStatement create =
              connection.prepareStatement(
                  "INSERT INTO idmint_segment (namespace, max_id, step) VALUES (?, 1, ?)")) {
            create.setString(1, namespace);
            create.setLong(2, step);
            create.executeUpdate();
          } catch (SQLException e) {
            if (!JdbcWorkerLeaseStore.isDuplicateKey(e)) {
              throw e;
            }
          }
          connection.setAutoCommit(false);
          if (update.executeUpdate() == 0) {
            throw new CoordinatorException("segment row of " + namespace + " could not be created");
          }
        }
      }
      try (PreparedStatement read =
          connection.prepareStatement("SELECT max_id FROM idmint_segment WHERE namespace = ?")) {
        read.setString(1, namespace);
        try (ResultSet rs = read.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    @Override
    boolean allocatesInTransaction() {
      return true;
    }
  };

  private final String displayName;
  private final String migrationFolder;
  private final String nowMillis;
  private final String clockSource;

  Dialect(String displayName, String migrationFolder, String nowMillis, String clockSource) {
    this.displayName = displayName;
    this.migrationFolder = migrationFolder;
    this.nowMillis = nowMillis;
    this.clockSource = clockSource;
  }

  /** The dialect of a JDBC URL, or {@code null} if none applies. */
  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
      return MYSQL;
    }
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    return null;
  }

  String displayName() {
    return displayName;
  }

  /** Where this dialect's migration scripts are, as a resource path. */
  String migrationFolder() {
    return "dev/idmint/jdbc/migration/" + migrationFolder;
  }

  /** An SQL expression for the database's own current time in milliseconds since the epoch. */
  String nowMillis() {
    return nowMillis;
  }

  /**
   * Names the database's clock for operators, or {@code null} when the database has no clock of its
   * own to compare a node's with: embedded H2 reads the clock of the JVM it runs in.
   */
  String clockSource() {
    return clockSource;
  }

  /**
   * Adds {@code step} to the namespace's {@code max_id} (creating the row with {@code max_id = 1}
   * on first use) and returns the new {@code max_id}; the range is {@code [new − step, new)}.
   */
  abstract long allocate(Connection connection, String namespace, long step) throws SQLException;

  /** True when {@link #allocate} must run inside a transaction the caller commits. */
  boolean allocatesInTransaction() {
    return false;
  }
}
