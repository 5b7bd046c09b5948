package dev.idmint.integrations.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.integrations.TestNode;
import dev.idmint.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.MappingException;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.id.IdentifierGenerationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MintedId} on a {@link UUID} id (a uuid7 namespace, PostgreSQL {@code uuid} column) and on
 * a {@link String} id (a pattern namespace's business numbers), persisted with Hibernate into a
 * real PostgreSQL from a real node; and the errors for an id type that fits no namespace or not the
 * namespace it names.
 */
class MintedIdKindsHibernateTest {
  static final String SCHEMA = "idmint_integrations_kinds";
  static final int ENTITIES = 300;

  @RegisterExtension
  static final TestNode node = TestNode.registeringAClientPerTest(TestNode.YAML_WITH_EVERY_KIND);

  @Test
  void uuidIdsGoIntoAPostgresqlUuidColumnInTheOrderTheyWereIssued() throws SQLException {
    String url = TestDatabases.freshPostgresSchema(SCHEMA);
    List<UUID> issued = new ArrayList<>();
    try (SessionFactory factory = sessionFactory(url, Happening.class)) {
      factory.inTransaction(
          session -> {
            for (int i = 0; i < ENTITIES; i++) {
              Happening happening = new Happening("thing-" + i);
              session.persist(happening);
              issued.add(happening.getId());
            }
          });
      assertThat(issued).doesNotContainNull().doesNotHaveDuplicates();
      for (UUID id : issued) {
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
      }
      factory.inSession(
          session ->
              assertThat(session.find(Happening.class, issued.get(7)).getWhat())
                  .isEqualTo("thing-7"));

      try (Connection c = DriverManager.getConnection(url, TestDatabases.PG_USER, "")) {
        assertThat(columnType(c, "happening", "id")).isEqualTo("uuid");
        // One node, one client, one thread: PostgreSQL's uuid order (bytewise) is issue order.
        List<UUID> stored = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("select id from happening order by id");
            ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            stored.add(rs.getObject(1, UUID.class));
          }
        }
        assertThat(stored).isEqualTo(issued);
      }
    }
  }

  @Test
  void stringIdsAreTheDaysBusinessNumbers() throws SQLException {
    String url = TestDatabases.freshPostgresSchema(SCHEMA);
    DateTimeFormatter day = DateTimeFormatter.BASIC_ISO_DATE;
    String before = LocalDate.now(ZoneOffset.UTC).format(day);
    List<String> issued = new ArrayList<>();
    try (SessionFactory factory = sessionFactory(url, Invoice.class)) {
      factory.inTransaction(
          session -> {
            for (int i = 0; i < ENTITIES; i++) {
              Invoice invoice = new Invoice(100L * i);
              session.persist(invoice);
              issued.add(invoice.getNumber());
            }
          });
      String after = LocalDate.now(ZoneOffset.UTC).format(day);
      Set<String> days = new HashSet<>();
      for (String number : issued) {
        assertThat(number).matches("INV-\\d{8}-\\d{6}");
        days.add(number.substring(4, 12));
      }
      assertThat(issued).doesNotHaveDuplicates();
      assertThat(days).isSubsetOf(before, after);
      factory.inSession(
          session ->
              assertThat(session.find(Invoice.class, issued.get(3)).getCents()).isEqualTo(300));
      try (Connection c = DriverManager.getConnection(url, TestDatabases.PG_USER, "")) {
        assertThat(columnType(c, "invoice", "number")).isEqualTo("character varying");
      }
    }
  }

  @Test
  void aUuidIdOnASnowflakeNamespaceFailsTheFirstInsertAndSaysWhatFits() {
    String url = TestDatabases.freshPostgresSchema(SCHEMA);
    try (SessionFactory factory = sessionFactory(url, Mismatched.UuidOnSnowflake.class)) {
      assertThatThrownBy(
              () ->
                  factory.inTransaction(
                      session -> session.persist(new Mismatched.UuidOnSnowflake())))
          .isInstanceOf(IdentifierGenerationException.class)
          .hasMessage(
              "@MintedId(namespace = \"ticket\") on UuidOnSnowflake.id (java.util.UUID) needs a"
                  + " uuid7 namespace, but ticket is a snowflake or segment namespace: namespace"
                  + " ticket is a snowflake or segment namespace and issues numeric IDs (long):"
                  + " call nextId or nextIds, not nextUuid or nextUuids (answered by "
                  + node.endpoint()
                  + ")");
      factory.inSession(
          session ->
              assertThat(
                      session
                          .createSelectionQuery("select count(*) from UuidOnSnowflake", Long.class)
                          .getSingleResult())
                  .isZero());
    }
  }

  @Test
  void aLongIdOnAUuid7NamespaceFailsTheFirstInsert() {
    String url = TestDatabases.freshPostgresSchema(SCHEMA);
    try (SessionFactory factory = sessionFactory(url, Mismatched.LongOnUuid7.class)) {
      assertThatThrownBy(
              () -> factory.inTransaction(session -> session.persist(new Mismatched.LongOnUuid7())))
          .isInstanceOf(IdentifierGenerationException.class)
          .hasMessageStartingWith(
              "@MintedId(namespace = \"evt\") on LongOnUuid7.id (long/Long) needs a snowflake or"
                  + " segment namespace, but evt is a uuid7 namespace: ");
    }
  }

  @Test
  void anIdTypeNoIdFitsIsRefusedWhenTheMappingIsBuilt() {
    String url = TestDatabases.freshPostgresSchema(SCHEMA);
    assertThatThrownBy(() -> sessionFactory(url, Mismatched.IntegerId.class).close())
        .satisfies(
            e -> {
              Throwable t = e;
              while (t != null && !(t instanceof MappingException)) {
                t = t.getCause();
              }
              assertThat(t)
                  .isNotNull()
                  .hasMessage(
                      "@MintedId(namespace = \"order\") on IntegerId.id: an id of type"
                          + " java.lang.Integer cannot hold an idmint ID; use long/Long (snowflake"
                          + " or segment namespace), java.util.UUID (uuid7) or String (pattern)");
            });
  }

  private static String columnType(Connection c, String table, String column) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select data_type from information_schema.columns"
                + " where table_schema = ? and table_name = ? and column_name = ?")) {
      q.setString(1, SCHEMA);
      q.setString(2, table);
      q.setString(3, column);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).as("column %s.%s exists", table, column).isTrue();
        return rs.getString(1);
      }
    }
  }

  private static SessionFactory sessionFactory(String url, Class<?> entity) {
    return new Configuration()
        .addAnnotatedClass(entity)
        .setProperty("hibernate.connection.url", url)
        .setProperty("hibernate.connection.username", TestDatabases.PG_USER)
        .setProperty("hibernate.connection.password", "")
        .setProperty("hibernate.hbm2ddl.auto", "create-drop")
        .setProperty("hibernate.connection.pool_size", "2")
        .buildSessionFactory();
  }
}
