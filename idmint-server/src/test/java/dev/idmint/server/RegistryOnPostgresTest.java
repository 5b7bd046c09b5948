package dev.idmint.server;

import dev.idmint.testkit.TestDatabases;
import java.util.UUID;

/** {@link RegistryServerTest} on PostgreSQL, each test in a schema of its own. */
class RegistryOnPostgresTest extends RegistryServerTest {
  private String schema;

  @Override
  protected String newCoordinator() {
    schema = "registry_srv_" + UUID.randomUUID().toString().substring(0, 8);
    return TestDatabases.freshPostgresSchema(schema);
  }

  @Override
  protected String coordinatorYaml() {
    return "coordinator: { options: { user: postgres } }\n";
  }

  @Override
  protected void dropCoordinator() {
    if (schema != null) {
      TestDatabases.dropPostgresSchema(schema);
    }
  }
}
