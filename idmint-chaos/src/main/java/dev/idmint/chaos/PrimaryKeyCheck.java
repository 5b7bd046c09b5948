package dev.idmint.chaos;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The second opinion on duplicates: every acknowledged ID goes into a PostgreSQL table whose
 * PRIMARY KEY is (namespace, id); the rows the key refuses are the duplicates.
 *
 * <p>Built for rounds of hundreds of millions of IDs: the table is UNLOGGED (no WAL; it is rebuilt
 * by every run anyway), each namespace is loaded over a connection of its own, each chunk is COPied
 * straight into the table, and only a chunk the key refuses is loaded again through a staging table
 * with {@code ON CONFLICT DO NOTHING} to count the refused rows. A table that refused nothing is
 * dropped at the end (a round of 150 million IDs fills about 10 GB); one that refused rows is kept
 * for inspection.
 */
final class PrimaryKeyCheck {
  private static final int CHUNK_CHARS = 4_000_000;
  private static final String UNIQUE_VIOLATION = "23505";

  private PrimaryKeyCheck() {}

  /**
   * Returns how many acknowledged IDs the primary key refused. Each namespace is loaded over its
   * own connection at the same time (the rows of two namespaces never conflict), so both cores work
   * on it.
   */
  static long duplicates(String label, Ledger ledger) throws SQLException, IOException {
    String table = "chaos_ledger.ids_" + label.replaceAll("[^a-z0-9_]", "_");
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS chaos_ledger");
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute(
          "CREATE UNLOGGED TABLE "
              + table
              + " (ns SMALLINT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (ns, id))");
      List<Callable<Long>> loads = new ArrayList<>();
      for (int ns = 0; ns < Load.NAMESPACES.length; ns++) {
        int namespace = ns;
        loads.add(() -> loadNamespace(table, ledger, namespace));
      }
      ExecutorService pool = Executors.newFixedThreadPool(loads.size());
      long refused = 0;
      try {
        for (Future<Long> load : pool.invokeAll(loads)) {
          refused += load.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while loading the PRIMARY KEY ledger", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        throw new IOException("loading the PRIMARY KEY ledger failed", e.getCause());
      } finally {
        pool.shutdownNow();
      }
      if (refused == 0) {
        statement.execute("DROP TABLE " + table);
      }
      return refused;
    }
  }

  /** A connection to the shared PostgreSQL that holds the ledger tables. */
  static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + CoordinatorUnderTest.PG_HOST
            + ":"
            + CoordinatorUnderTest.PG_PORT
            + "/test",
        "postgres",
        "");
  }

  /** COPies one namespace's IDs, in the ledger's order; returns the rows the key refused. */
  private static long loadNamespace(String table, Ledger ledger, int namespace)
      throws SQLException, IOException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TEMPORARY TABLE staged (ns SMALLINT NOT NULL, id BIGINT NOT NULL)");
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      long refused = 0;
      StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 64);
      for (Ledger.Book book : ledger.books()) {
        for (Ledger.Call call : book.calls) {
          if (call.namespace() != namespace) {
            continue;
          }
          for (int i = 0; i < call.idCount(); i++) {
            chunk.append(namespace).append('\t').append(book.id(call.firstId() + i)).append('\n');
          }
          if (chunk.length() > CHUNK_CHARS) {
            refused += load(copy, statement, table, chunk);
          }
        }
      }
      return refused + load(copy, statement, table, chunk);
    }
  }

  /** COPies one chunk into the table and empties it; returns the rows the key refused. */
  private static long load(CopyManager copy, Statement statement, String table, StringBuilder chunk)
      throws SQLException, IOException {
    String rows = chunk.toString();
    chunk.setLength(0);
    if (rows.isEmpty()) {
      return 0;
    }
    try {
      copy.copyIn("COPY " + table + " (ns, id) FROM STDIN", new StringReader(rows));
      return 0;
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
    }
    // The key refused a row: the COPY (its own transaction) loaded nothing. Count row by row.
    long staged = copy.copyIn("COPY staged (ns, id) FROM STDIN", new StringReader(rows));
    int inserted =
        statement.executeUpdate(
            "INSERT INTO " + table + " SELECT ns, id FROM staged ON CONFLICT DO NOTHING");
    statement.execute("TRUNCATE staged");
    return staged - inserted;
  }
}
