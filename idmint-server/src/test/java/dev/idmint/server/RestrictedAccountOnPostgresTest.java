package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restricted database account of docs/operations.md works: the {@code GRANT} statements are
 * read from the page, run for a fresh role on tables a privileged node created, and a node started
 * with that role and {@code schema: validate} issues snowflake and segment IDs, records the first
 * issue in the registry and removes its node record at shutdown. The grants the page used to give
 * (worker and segment tables only) are shown to fail.
 */
class RestrictedAccountOnPostgresTest {
  static final String NAMESPACES =
      "namespaces:\n  order: { strategy: snowflake }\n  invoice: { strategy: segment }\n";

  @TempDir Path dir;
  String schema;
  String role;

  @BeforeEach
  void createTablesAsThePrivilegedAccount() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    schema = "restricted_" + suffix;
    role = "idmint_app_" + suffix;
    TestDatabases.freshPostgresSchema(schema);
    try (TestServer privileged =
        TestServer.start(
            dir.resolve("migrate"),
            url(),
            "coordinator: { options: { user: postgres } }\n" + NAMESPACES,
            Map.of())) {
      assertThat(privileged.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
    }
    execute("CREATE ROLE " + role + " LOGIN");
    execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
  }

  @AfterEach
  void drop() {
    if (schema != null) {
      TestDatabases.dropPostgresSchema(schema);
      execute("DROP ROLE IF EXISTS " + role);
    }
  }

  @Test
  void theGrantsOfTheOperationsPageAreEnough() throws SQLException {
    List<String> grants = documentedGrants();
    assertThat(grants).as("GRANT statements in docs/operations.md").isNotEmpty();
    for (String grant : grants) {
      execute("SET search_path TO " + schema + "; " + grant.replace("idmint_app", role));
    }
    try (TestServer node =
        TestServer.start(dir.resolve("restricted"), url(), restricted(), Map.of())) {
      assertThat(node.post("/v1/namespaces/invoice/ids?count=3").ids()).hasSize(3);
      assertThat(node.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
      assertThat(count("idmint_node")).isEqualTo(1);
    }
    assertThat(count("idmint_node")).as("the node removed its record at shutdown").isZero();
  }

  @Test
  void theOldGrantsWithoutTheRegistryTablesAreNot() {
    execute(
        "SET search_path TO "
            + schema
            + "; GRANT SELECT, INSERT, UPDATE ON idmint_worker, idmint_segment TO "
            + role);
    assertThatThrownBy(
            () -> TestServer.start(dir.resolve("old"), url(), restricted(), Map.of()).close())
        .hasMessageContaining(
            "idmint_namespace (ERROR: permission denied for table idmint_namespace)");
  }

  @Test
  void withoutDeleteOnTheNodeTableTheNodeRecordStays() throws SQLException {
    for (String grant : documentedGrants()) {
      execute(
          "SET search_path TO "
              + schema
              + "; "
              + grant.replace("idmint_app", role).replace(", DELETE", ""));
    }
    try (TestServer node =
        TestServer.start(dir.resolve("nodelete"), url(), restricted(), Map.of())) {
      assertThat(node.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
    }
    assertThat(count("idmint_node")).as("without DELETE the record is left behind").isEqualTo(1);
  }

  private String restricted() {
    return "coordinator: { options: { user: " + role + ", schema: validate } }\n" + NAMESPACES;
  }

  private String url() {
    return TestDatabases.postgresUrl(TestDatabases.PG_HOST, TestDatabases.PG_PORT, schema);
  }

  /** The GRANT lines of the page's sql blocks. */
  static List<String> documentedGrants() {
    List<String> grants = new ArrayList<>();
    for (Docs.Block block : Docs.blocks(Docs.lines(Docs.root().resolve("docs/operations.md")))) {
      if (block.language().equals("sql")) {
        for (String line : block.lines()) {
          if (line.strip().startsWith("GRANT ")) {
            grants.add(line.strip());
          }
        }
      }
    }
    return grants;
  }

  private long count(String table) throws SQLException {
    try (Connection connection = admin();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(TestDatabases.postgresUrl(), TestDatabases.PG_USER, "");
  }

  private static void execute(String sql) {
    TestDatabases.postgres(sql);
  }
}
