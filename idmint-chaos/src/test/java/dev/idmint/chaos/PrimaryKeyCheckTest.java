package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** Against the shared PostgreSQL, as the campaign's own ledger check. */
class PrimaryKeyCheckTest {
  @Test
  void refusedRowsAreCountedPerNamespaceAndACleanLedgerLeavesNoTable() throws Exception {
    Ledger dirty = new Ledger();
    // Two books (load threads) that both got flake ID 7 and seg ID 3; flake 3 and seg 7 are not
    // duplicates of those (another namespace).
    add(dirty.newBook(), 0, 1, 2, 3, 7);
    add(dirty.newBook(), 0, 7, 8);
    add(dirty.newBook(), 1, 3, 7, 3);
    assertThat(PrimaryKeyCheck.duplicates("pk_unit_dirty", dirty)).isEqualTo(2);
    assertThat(tableExists("ids_pk_unit_dirty")).as("kept for inspection").isTrue();

    Ledger clean = new Ledger();
    add(clean.newBook(), 0, 1, 2, 3);
    add(clean.newBook(), 1, 1, 2, 3);
    assertThat(PrimaryKeyCheck.duplicates("pk_unit_clean", clean)).isZero();
    assertThat(tableExists("ids_pk_unit_clean")).as("dropped once clean").isFalse();
  }

  private static void add(Ledger.Book book, int namespace, long... ids) {
    int first = book.addIds(ids, ids.length);
    book.calls.add(
        new Ledger.Call(Ledger.Via.GRPC, namespace, 0, 1, 1, 0, 1, 10, null, first, ids.length));
  }

  private static boolean tableExists(String name) throws Exception {
    try (var connection = PrimaryKeyCheck.connect();
        var statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT 1 FROM pg_tables WHERE schemaname = 'chaos_ledger' AND tablename = '"
                    + name
                    + "'")) {
      return rows.next();
    }
  }
}
