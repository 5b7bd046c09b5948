package dev.idmint.chaos;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The second opinion on duplicates: every acknowledged ID goes into a PostgreSQL table whose
 * PRIMARY KEY is (namespace, id); the rows the key refuses are the duplicates.
 */
final class PrimaryKeyCheck {
  private PrimaryKeyCheck() {}

  /** Returns how many acknowledged IDs the primary key refused. */
  static long duplicates(String label, Ledger ledger) throws SQLException, IOException {
    String table = "chaos_ledger.ids_" + label.replaceAll("[^a-z0-9_]", "_");
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://"
                    + CoordinatorUnderTest.PG_HOST
                    + ":"
                    + CoordinatorUnderTest.PG_PORT
                    + "/test",
                "postgres",
                "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS chaos_ledger");
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute(
          "CREATE TABLE "
              + table
              + " (ns SMALLINT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (ns, id))");
      statement.execute("CREATE TEMPORARY TABLE staged (ns SMALLINT NOT NULL, id BIGINT NOT NULL)");
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      long total = 0;
      StringBuilder chunk = new StringBuilder();
      for (Ledger.Book book : ledger.books()) {
        for (Ledger.Call call : book.calls) {
          for (int i = 0; i < call.idCount(); i++) {
            chunk
                .append(call.namespace())
                .append('\t')
                .append(book.ids[call.firstId() + i])
                .append('\n');
            total++;
          }
          if (chunk.length() > 4_000_000) {
            copy.copyIn("COPY staged (ns, id) FROM STDIN", new StringReader(chunk.toString()));
            chunk.setLength(0);
          }
        }
      }
      copy.copyIn("COPY staged (ns, id) FROM STDIN", new StringReader(chunk.toString()));
      int inserted =
          statement.executeUpdate(
              "INSERT INTO " + table + " SELECT ns, id FROM staged ON CONFLICT DO NOTHING");
      statement.execute("DROP TABLE staged");
      return total - inserted;
    }
  }
}
