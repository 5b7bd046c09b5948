package dev.idmint.integrations.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.IdMintClients;
import dev.idmint.integrations.TestNode;
import dev.idmint.testkit.Engines;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MintedId} entities persisted with Hibernate (bootstrapped without any framework) into a
 * real PostgreSQL and a real MariaDB, their ids minted by a real idmint node.
 */
class MintedIdHibernateTest {
  static final String PG_HOST = Engines.env("IDMINT_PG_HOST", "127.0.0.1");
  static final int PG_PORT = Integer.parseInt(Engines.env("IDMINT_PG_PORT", "5432"));
  static final String MARIADB_HOST = Engines.env("IDMINT_MARIADB_HOST", "127.0.0.1");
  static final int MARIADB_PORT = Integer.parseInt(Engines.env("IDMINT_MARIADB_PORT", "3306"));
  static final String SCHEMA = "idmint_integrations_it";
  static final int ENTITIES = 500;

  @TempDir static Path dir;
  static TestNode node;
  IdMintClient client;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(dir);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @BeforeEach
  void register() {
    client = node.client();
    IdMintClients.register(client);
  }

  @AfterEach
  void unregister() {
    IdMintClients.unregister(client);
    client.close();
  }

  @Test
  void postgresql() throws SQLException {
    Engines.require(
        "PostgreSQL",
        PG_HOST,
        PG_PORT,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    String base = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/test";
    try (Connection connection = DriverManager.getConnection(base, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      statement.execute("CREATE SCHEMA " + SCHEMA);
    }
    persistAndCheck(base + "?currentSchema=" + SCHEMA, "postgres");
  }

  @Test
  void mariadb() throws SQLException {
    Engines.require(
        "MariaDB", MARIADB_HOST, MARIADB_PORT, "service mariadb start (or mysqld_safe &)");
    String base = "jdbc:mariadb://" + MARIADB_HOST + ":" + MARIADB_PORT + "/";
    try (Connection connection = DriverManager.getConnection(base, "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + SCHEMA);
      statement.execute("CREATE DATABASE " + SCHEMA);
    }
    persistAndCheck(base + SCHEMA, "root");
  }

  @Test
  void withoutRegisteredClientTheErrorSaysWhatToDo() {
    IdMintClients.unregister(client);
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
