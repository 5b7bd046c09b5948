package dev.idmint.jdbc;

import dev.idmint.core.registry.Registry;
import dev.idmint.testkit.RegistryContract;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/** The testkit's registry contract on each real database, in a schema of its own. */
class JdbcRegistryContractTest {
  /** Not the shared {@code idmint_it}: other test classes empty tables there. */
  static final String SCHEMA = "registry_it";

  abstract static class OnDatabase extends RegistryContract {
    private final TestDatabase database;
    private final List<JdbcCoordinator> opened = new ArrayList<>();

    OnDatabase(TestDatabase database) {
      this.database = database;
    }

    @BeforeEach
    void requireDatabase() {
      database.require();
      database.execute(
          database == TestDatabase.POSTGRESQL
              ? "CREATE SCHEMA IF NOT EXISTS " + SCHEMA
              : "CREATE DATABASE IF NOT EXISTS " + SCHEMA);
    }

    @AfterEach
    void closePools() {
      opened.forEach(JdbcCoordinator::close);
      opened.clear();
    }

    @Override
    protected Registry newRegistry() {
      JdbcCoordinator coordinator =
          JdbcCoordinator.builder(database.urlOf(SCHEMA))
              .user(database.user)
              .password(database.password)
              .poolSize(2)
              .build()
              .start();
      opened.add(coordinator);
      return coordinator.registry();
    }
  }

  @Nested
  class Postgres extends OnDatabase {
    Postgres() {
      super(TestDatabase.POSTGRESQL);
    }
  }

  @Nested
  class MariaDb extends OnDatabase {
    MariaDb() {
      super(TestDatabase.MARIADB);
    }
  }

  @Nested
  class H2 extends RegistryContract {
    private final String url = "jdbc:h2:mem:registry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final List<JdbcCoordinator> opened = new ArrayList<>();

    @AfterEach
    void closePools() {
      opened.forEach(JdbcCoordinator::close);
    }

    @Override
    protected Registry newRegistry() {
      JdbcCoordinator coordinator = JdbcCoordinator.builder(url).poolSize(2).build().start();
      opened.add(coordinator);
      return coordinator.registry();
    }
  }
}
