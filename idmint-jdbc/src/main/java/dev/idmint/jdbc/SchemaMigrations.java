package dev.idmint.jdbc;

import dev.idmint.core.CoordinatorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Creates or upgrades idmint's tables: the scripts of {@link #SCRIPTS} under {@link
 * Dialect#migrationFolder()}, in order, each once, each recorded in {@code idmint_schema_history}.
 *
 * <p>Design notes. The history table keeps the layout and the rows that Flyway wrote there for
 * idmint's earlier releases (the same columns; version, description, type {@code SQL}, script name
 * and Flyway's checksum: CRC-32 of the script's lines without their line ends), so a database
 * migrated by an earlier release is recognised as it is, and an earlier release started against a
 * database migrated here finds its own history. Flyway itself scanned the class path for migrations
 * and callbacks at every start, for two scripts: without it a node's cold start loads some 650
 * classes fewer and took about 75 ms less here.
 *
 * <p>Nodes started together on an empty database: each holds one lock for the whole run
 * (PostgreSQL's advisory lock, MySQL's {@code GET_LOCK}; for embedded H2, which serves one process,
 * a monitor), so one creates the tables and the others find them recorded. PostgreSQL runs the
 * whole migration, history rows included, in one transaction, which also holds its lock. H2 and
 * MySQL commit DDL as they go, so a script that fails there half-way leaves a row with {@code
 * success = false}, and later starts refuse, naming the script, until the tables are fixed by hand
 * and the row deleted. A script recorded as applied whose text has changed since (its checksum
 * differs) is refused too: the tables may not be what this code expects. Versions this release does
 * not know (a newer release migrated the database) are left alone.
 */
final class SchemaMigrations {
  /** The history table, separate from any history table of the application's own. */
  static final String HISTORY_TABLE = "idmint_schema_history";

  /** Every migration script, oldest first; version N is the N-th. */
  static final List<String> SCRIPTS = List.of("V1__idmint_schema.sql", "V2__idmint_registry.sql");

  /** A plain or double-quoted SQL identifier, as it may stand in a search_path. */
  private static final Pattern SCHEMA_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*|\"([^\"]|\"\")+\"");

  static final long PG_LOCK_KEY = 0x69646d696e74L; // "idmint"

  /** PostgreSQL's SQLSTATE lock_not_available, raised when lock_timeout ends a wait. */
  private static final String PG_LOCK_NOT_AVAILABLE = "55P03";

  /** MySQL's lock is server-wide: one per database, within GET_LOCK's 64 characters. */
  static final String MYSQL_LOCK_NAME =
      "LEFT(CONCAT('idmint_schema:', COALESCE(DATABASE(), '')), 64)";

  private final DataSource pool;
  private final Dialect dialect;
  private final String where;
  private final String user;
  private final int lockWaitSeconds;

  /**
   * Migrations through {@code pool}; {@code where} names the database in messages, {@code user}
   * goes into the history's {@code installed_by}, and a node waits at most {@code lockWaitSeconds}
   * for another node's migration.
   */
  SchemaMigrations(
      DataSource pool, Dialect dialect, String where, String user, int lockWaitSeconds) {
    this.pool = pool;
    this.dialect = dialect;
    this.where = where;
    this.user = user == null || user.isEmpty() ? "idmint" : user;
    this.lockWaitSeconds = Math.max(1, lockWaitSeconds);
  }

  /** Applies every script not applied yet. */
  void migrate() {
    if (dialect == Dialect.H2) {
      // Embedded H2 serves one process, so a monitor is its lock; the others lock in the database.
      synchronized (SchemaMigrations.class) {
        run();
      }
    } else {
      run();
    }
  }

  /** One migration under the database's lock (see the design notes). */
  private void run() {
    try (Connection connection = pool.getConnection()) {
      try {
        // PostgreSQL: one transaction for the whole run, whose end also releases the lock.
        connection.setAutoCommit(!transactional());
        lock(connection);
        try {
          createSchema(connection);
          createHistory(connection);
          Set<Integer> applied = applied(connection);
          for (int version = 1; version <= SCRIPTS.size(); version++) {
            if (!applied.contains(version)) {
              apply(connection, version, nextRank(connection));
            }
          }
          if (transactional()) {
            connection.commit();
          }
        } finally {
          unlock(connection);
        }
      } catch (SQLException | RuntimeException e) {
        if (transactional()) {
          try {
            connection.rollback();
          } catch (SQLException notRolledBack) {
            e.addSuppressed(notRolledBack);
          }
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Only PostgreSQL rolls DDL back; H2 and MySQL commit each DDL statement at once. */
  private boolean transactional() {
    return dialect == Dialect.POSTGRESQL;
  }

  private CoordinatorException failed(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new CoordinatorException(
        "could not create or upgrade the idmint tables in "
            + where
            + ": "
            + message.strip()
            + "; grant the account DDL rights, or apply the migrations and use schema=validate",
        e);
  }

  private void lock(Connection connection) throws SQLException {
    switch (dialect) {
      case POSTGRESQL -> {
        // Held until the transaction ends. SET LOCAL: this transaction's wait only, below the
        // socket timeout that the session's own lock_timeout equals.
        try (Statement wait = connection.createStatement()) {
          wait.execute("SET LOCAL lock_timeout = " + lockWaitSeconds * 1000L);
        }
        try (PreparedStatement lock =
            connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, PG_LOCK_KEY);
          lock.executeQuery().close();
        } catch (SQLException e) {
          if (PG_LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            throw lockHeld(e);
          }
          throw e;
        }
      }
      case MYSQL -> {
        try (PreparedStatement lock =
            connection.prepareStatement("SELECT GET_LOCK(" + MYSQL_LOCK_NAME + ", ?)")) {
          lock.setInt(1, lockWaitSeconds);
          try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next() || rs.getInt(1) != 1) {
              throw lockHeld(null);
            }
          }
        }
      }
      case H2 -> {} // one process: the monitor in migrate() is enough
    }
  }

  private CoordinatorException lockHeld(SQLException cause) {
    return new CoordinatorException(
        "could not create or upgrade the idmint tables in "
            + where
            + ": another node held the schema lock for over "
            + lockWaitSeconds
            + " s; start this node again once that one is up",
        cause);
  }

  private void unlock(Connection connection) throws SQLException {
    switch (dialect) {
      case POSTGRESQL -> {} // the transaction's end releases it
      case MYSQL -> {
        try (Statement unlock = connection.createStatement()) {
          unlock.executeQuery("SELECT RELEASE_LOCK(" + MYSQL_LOCK_NAME + ")").close();
        }
      }
      case H2 -> {}
    }
  }

  /**
   * PostgreSQL: creates the schema the tables go into (the first entry of the session's {@code
   * search_path}, which a URL's {@code currentSchema} sets) when it does not exist, as Flyway did.
   * MySQL names a database that must exist before one can connect; H2 creates its own.
   */
  private void createSchema(Connection connection) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return;
    }
    String path;
    try (Statement read = connection.createStatement();
        ResultSet rs =
            read.executeQuery("SELECT current_schema(), current_setting('search_path')")) {
      rs.next();
      if (rs.getString(1) != null) {
        return;
      }
      path = rs.getString(2);
    }
    String first = path == null ? "" : path.split(",")[0].strip();
    if (!SCHEMA_NAME.matcher(first).matches() || first.equals("\"$user\"")) {
      throw new CoordinatorException(
          "no schema to create the idmint tables in at "
              + where
              + " (search_path is '"
              + path
              + "'); name one with currentSchema=… in the URL");
    }
    try (Statement create = connection.createStatement()) {
      create.execute("CREATE SCHEMA IF NOT EXISTS " + first);
    }
  }

  /** Flyway's layout, so that either can read the other's rows. */
  private void createHistory(Connection connection) throws SQLException {
    try (Statement create = connection.createStatement()) {
      create.execute(
          "CREATE TABLE IF NOT EXISTS "
              + quote(HISTORY_TABLE)
              + " ("
              + quote("installed_rank")
              + " INT NOT NULL PRIMARY KEY, "
              + quote("version")
              + " VARCHAR(50), "
              + quote("description")
              + " VARCHAR(200) NOT NULL, "
              + quote("type")
              + " VARCHAR(20) NOT NULL, "
              + quote("script")
              + " VARCHAR(1000) NOT NULL, "
              + quote("checksum")
              + " INT, "
              + quote("installed_by")
              + " VARCHAR(100) NOT NULL, "
              + quote("installed_on")
              + " TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
              + quote("execution_time")
              + " INT NOT NULL, "
              + quote("success")
              + " BOOLEAN NOT NULL)");
    }
  }

  /**
   * The versions of this release's scripts recorded as applied; refuses a failed or changed one.
   */
  private Set<Integer> applied(Connection connection) throws SQLException {
    Set<Integer> applied = new HashSet<>();
    Map<Integer, String> failed = new TreeMap<>();
    try (Statement read = connection.createStatement();
        ResultSet rs =
            read.executeQuery(
                "SELECT "
                    + quote("version")
                    + ", "
                    + quote("checksum")
                    + ", "
                    + quote("success")
                    + ", "
                    + quote("type")
                    + " FROM "
                    + quote(HISTORY_TABLE))) {
      while (rs.next()) {
        int version = knownVersion(rs.getString(1), rs.getString(4));
        if (version == 0) {
          continue;
        }
        String script = SCRIPTS.get(version - 1);
        if (!rs.getBoolean(3)) {
          failed.put(version, script);
          continue;
        }
        int checksum = rs.getInt(2);
        if (rs.wasNull() || checksum != checksum(read(script))) {
          throw new CoordinatorException(
              "the idmint tables in "
                  + where
                  + " were made by another text of "
                  + script
                  + " than this release's (its checksum in "
                  + HISTORY_TABLE
                  + " differs); compare the tables with that script before going on");
        }
        applied.add(version);
      }
    }
    failed.keySet().removeAll(applied);
    if (!failed.isEmpty()) {
      throw new CoordinatorException(
          "the idmint tables in "
              + where
              + " are half made: "
              + failed.values().iterator().next()
              + " failed part-way before; complete its statements by hand, then delete its row"
              + " (success = false) from "
              + HISTORY_TABLE);
    }
    return applied;
  }

  /** The rank after every row of the history, whoever wrote it. */
  private int nextRank(Connection connection) throws SQLException {
    try (Statement read = connection.createStatement();
        ResultSet rs =
            read.executeQuery(
                "SELECT MAX(" + quote("installed_rank") + ") FROM " + quote(HISTORY_TABLE))) {
      return rs.next() ? rs.getInt(1) + 1 : 1;
    }
  }

  /** The script version of a history row, or 0 for a row that is no script of this release. */
  private static int knownVersion(String version, String type) {
    if (version == null || !"SQL".equals(type)) {
      return 0;
    }
    try {
      int v = Integer.parseInt(version.strip());
      return v >= 1 && v <= SCRIPTS.size() ? v : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void apply(Connection connection, int version, int rank) throws SQLException {
    String text = read(SCRIPTS.get(version - 1));
    long start = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements(text)) {
        statement.execute(sql);
      }
      record(connection, version, rank, text, start, true);
    } catch (SQLException e) {
      if (!transactional()) {
        // What ran is committed: say so in the history, so that later starts refuse.
        try {
          record(connection, version, rank, text, start, false);
        } catch (SQLException unrecorded) {
          e.addSuppressed(unrecorded);
        }
      }
      throw e;
    }
  }

  private void record(
      Connection connection, int version, int rank, String text, long start, boolean success)
      throws SQLException {
    String script = SCRIPTS.get(version - 1);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + quote(HISTORY_TABLE)
                + " ("
                + String.join(
                    ", ",
                    quote("installed_rank"),
                    quote("version"),
                    quote("description"),
                    quote("type"),
                    quote("script"),
                    quote("checksum"),
                    quote("installed_by"),
                    quote("execution_time"),
                    quote("success"))
                + ") VALUES (?, ?, ?, 'SQL', ?, ?, ?, ?, ?)")) {
      insert.setInt(1, rank);
      insert.setString(2, Integer.toString(version));
      insert.setString(3, description(script));
      insert.setString(4, script);
      insert.setInt(5, checksum(text));
      insert.setString(6, truncate(user, 100));
      insert.setInt(7, (int) ((System.nanoTime() - start) / 1_000_000));
      insert.setBoolean(8, success);
      insert.executeUpdate();
    }
  }

  private String quote(String name) {
    return dialect == Dialect.MYSQL ? '`' + name + '`' : '"' + name + '"';
  }

  private String read(String script) {
    String path = "/" + dialect.migrationFolder() + "/" + script;
    try (InputStream in = SchemaMigrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the jar: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "V2__idmint_registry.sql" → "idmint registry", as Flyway describes a script. */
  static String description(String script) {
    String name = script.substring(script.indexOf("__") + 2, script.length() - ".sql".length());
    return name.replace('_', ' ');
  }

  /**
   * Flyway's checksum of a script: CRC-32 of its lines' UTF-8 bytes, line ends and BOM left out.
   */
  static int checksum(String text) {
    CRC32 crc = new CRC32();
    try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
      boolean first = true;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (first && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        first = false;
        crc.update(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) crc.getValue();
  }

  /**
   * The statements of a script: split at semicolons outside quotes, {@code --} comments dropped.
   * Enough for idmint's own scripts, which hold only DDL.
   */
  static List<String> statements(String text) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!quoted && c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
        continue;
      }
      if (c == '\'') {
        quoted = !quoted;
      }
      if (!quoted && c == ';') {
        add(statements, current);
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    add(statements, current);
    return statements;
  }

  private static void add(List<String> statements, StringBuilder statement) {
    String sql = statement.toString().strip();
    if (!sql.isEmpty()) {
      statements.add(sql);
    }
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
