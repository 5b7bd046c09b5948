package dev.idmint.server;

import dev.idmint.testkit.Engines;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** {@link RegistryServerTest} on PostgreSQL, each test in a schema of its own. */
class RegistryOnPostgresTest extends RegistryServerTest {
  static final String HOST = Engines.env("IDMINT_PG_HOST", "127.0.0.1");
  static final int PORT = Integer.parseInt(Engines.env("IDMINT_PG_PORT", "5432"));
  private String schema;

  @Override
  protected String newCoordinator() {
    Engines.require(
        "PostgreSQL",
        HOST,
        PORT,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    schema = "registry_srv_" + UUID.randomUUID().toString().substring(0, 8);
    execute("CREATE SCHEMA " + schema);
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/test?currentSchema=" + schema;
  }

  @Override
  protected String coordinatorYaml() {
    return "coordinator: { options: { user: postgres } }\n";
  }

  @Override
  protected void dropCoordinator() {
    if (schema != null) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void execute(String sql) {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://" + HOST + ":" + PORT + "/test", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("could not prepare PostgreSQL: " + e.getMessage(), e);
    }
  }
}
