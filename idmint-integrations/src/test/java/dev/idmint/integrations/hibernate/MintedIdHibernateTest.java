package dev.idmint.integrations.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.IdMintClients;
import dev.idmint.integrations.TestNode;
import dev.idmint.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MintedId} entities persisted with Hibernate (bootstrapped without any framework) into a
 * real PostgreSQL and a real MariaDB, their ids minted by a real idmint node.
 */
class MintedIdHibernateTest {
  static final String SCHEMA = "idmint_integrations_it";
  static final int ENTITIES = 500;

  @RegisterExtension static final TestNode node = TestNode.registeringAClientPerTest();

  @Test
  void postgresql() {
    persistAndCheck(TestDatabases.freshPostgresSchema(SCHEMA), TestDatabases.PG_USER);
  }

  @Test
  void mariadb() {
    persistAndCheck(TestDatabases.freshMariaDbDatabase(SCHEMA), TestDatabases.MARIADB_USER);
  }

  @Test
  void withoutRegisteredClientTheErrorSaysWhatToDo() {
    IdMintClients.unregister(node.registered());
    MintedIdGenerator generator = new MintedIdGenerator();
    assertThatThrownBy(() -> generator.generate(null, null, null, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no IdMintClient registered")
        .hasMessageContaining("IdMintClients.register(client)");
  }

  private void persistAndCheck(String url, String user) {
    List<Purchase> saved = new ArrayList<>();
    try (SessionFactory factory = sessionFactory(url, user)) {
      factory.inTransaction(
          session -> {
            for (int i = 0; i < ENTITIES; i++) {
              Purchase purchase = new Purchase("item-" + i);
              session.persist(purchase);
              saved.add(purchase);
            }
          });

      Set<Long> ids = new HashSet<>();
      for (Purchase purchase : saved) {
        assertThat(purchase.getId()).isNotNull().isPositive();
        ids.add(purchase.getId());
      }
      assertThat(ids).hasSize(ENTITIES);

      // The rows are in the database under the ids the node handed out.
      List<Long> stored =
          factory.fromSession(
              session ->
                  session.createSelectionQuery("select p.id from Purchase p", Long.class).list());
      assertThat(new HashSet<>(stored)).isEqualTo(ids);
      factory.inSession(
          session ->
              assertThat(session.find(Purchase.class, saved.get(7).getId()).getItem())
                  .isEqualTo("item-7"));

      // They came from the node: IDs the node hands to another client never collide with them.
      try (IdMintClient other = node.unbufferedClient()) {
        for (int i = 0; i < 50; i++) {
          assertThat(ids.add(other.nextId("order"))).isTrue();
        }
      }
    }
  }

  private static SessionFactory sessionFactory(String url, String user) {
    return new Configuration()
        .addAnnotatedClass(Purchase.class)
        .setProperty("hibernate.connection.url", url)
        .setProperty("hibernate.connection.username", user)
        .setProperty("hibernate.connection.password", "")
        .setProperty("hibernate.hbm2ddl.auto", "create-drop")
        .setProperty("hibernate.connection.pool_size", "2")
        .buildSessionFactory();
  }
}
