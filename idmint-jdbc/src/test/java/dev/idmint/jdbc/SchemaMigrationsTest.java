package dev.idmint.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import java.net.URISyntaxException;
import java.nio.file.Files;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * idmint's own migrations: the history is Flyway's (earlier releases migrated with Flyway), nodes
 * started together all come up, and a failed or changed script is refused with what to do.
 */
class SchemaMigrationsTest {
  /** An engine with a fresh schema (database on MariaDB) of its own; H2 in memory. */
  enum Engine {
    POSTGRESQL(TestDatabase.POSTGRESQL),
    MARIADB(TestDatabase.MARIADB),
    H2(null);

    final TestDatabase database;

    Engine(TestDatabase database) {
      this.database = database;
    }

    /** A fresh, empty schema; returns its URL. */
    String freshSchema(List<Runnable> cleanups) {
      String name = "idmint_mig_" + UUID.randomUUID().toString().substring(0, 8);
      if (database == null) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
      }
      database.require();
      database.execute(
          database.dropSchema(name),
          (database == TestDatabase.POSTGRESQL ? "CREATE SCHEMA " : "CREATE DATABASE ") + name);
      cleanups.add(() -> database.execute(database.dropSchema(name)));
      return database.urlOf(name);
    }

    String user() {
      return database == null ? "sa" : database.user;
    }

    String password() {
      return database == null ? "" : database.password;
    }

    Dialect dialect() {
      return this == MARIADB ? Dialect.MYSQL : Dialect.valueOf(name());
    }

    String quote(String name) {
      return this == MARIADB ? name : '"' + name + '"';
    }

    Connection connect(String url) throws SQLException {
      return DriverManager.getConnection(url, user(), password());
    }

    Coordinator open(String url) {
      return Coordinators.open(url, Map.of("user", user(), "password", password()));
    }

    /** The migration as idmint ran it before: Flyway, configured as JdbcCoordinator did. */
    Flyway flyway(String url) {
      return Flyway.configure(SchemaMigrationsTest.class.getClassLoader())
          .dataSource(url, user(), password())
          .locations("classpath:" + dialect().migrationFolder())
          .table(SchemaMigrations.HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load();
    }

    /** version, description, type, script, checksum and success of each history row, by rank. */
    List<String> history(String url) throws SQLException {
      List<String> rows = new ArrayList<>();
      try (Connection connection = connect(url);
          Statement read = connection.createStatement();
          ResultSet rs =
              read.executeQuery(
                  "SELECT "
                      + String.join(
                          ", ",
                          quote("version"),
                          quote("description"),
                          quote("type"),
                          quote("script"),
                          quote("checksum"),
                          quote("success"))
                      + " FROM "
                      + quote(SchemaMigrations.HISTORY_TABLE)
                      + " ORDER BY "
                      + quote("installed_rank"))) {
        while (rs.next()) {
          rows.add(
              String.join(
                  " | ",
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  Integer.toString(rs.getInt(5)),
                  Boolean.toString(rs.getBoolean(6))));
        }
      }
      return rows;
    }

    void execute(String url, String sql) throws SQLException {
      try (Connection connection = connect(url);
          Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }
  }

  private static void cleanUp(List<Runnable> cleanups) {
    cleanups.forEach(Runnable::run);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theHistoryIsTheOneFlywayWroteAndEachReadsTheOther(Engine engine) throws Exception {
    List<Runnable> cleanups = new ArrayList<>();
    try {
      String byFlyway = engine.freshSchema(cleanups);
      engine.flyway(byFlyway).migrate();
      String byUs = engine.freshSchema(cleanups);
      engine.open(byUs).close();

      // Flyway also writes marker rows on some engines (H2: "<< Flyway Schema History table
      // created >>"); the scripts' rows are what both read.
      List<String> flywayRows = engine.history(byFlyway);
      List<String> flywayScripts =
          flywayRows.stream().filter(r -> r.contains(" | SQL | ")).toList();
      assertThat(flywayScripts).hasSize(2).allSatisfy(row -> assertThat(row).endsWith("true"));
      assertThat(engine.history(byUs)).isEqualTo(flywayScripts);

      // A database migrated by an earlier release: nothing to do, nothing re-run.
      try (Coordinator upgraded = engine.open(byFlyway)) {
        assertThat(upgraded.segments().allocate("order", 5).size()).isEqualTo(5);
      }
      assertThat(engine.history(byFlyway)).isEqualTo(flywayRows);
      // And back: an earlier release finds its history complete and valid.
      engine.flyway(byUs).validate();
      assertThat(engine.flyway(byUs).migrate().migrationsExecuted).isZero();
    } finally {
      cleanUp(cleanups);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Engine.class,
      names = {"POSTGRESQL", "MARIADB"})
  void nodesStartingTogetherOnAnEmptyDatabaseAllComeUp(Engine engine) throws Exception {
    List<Runnable> cleanups = new ArrayList<>();
    ExecutorService starts = Executors.newFixedThreadPool(4);
    try {
      String url = engine.freshSchema(cleanups);
      List<Future<Coordinator>> opened = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // Only the engine's lock orders these: the in-JVM monitor is H2's alone.
        opened.add(starts.submit(() -> engine.open(url)));
      }
      for (Future<Coordinator> start : opened) {
        try (Coordinator coordinator = start.get()) {
          assertThat(coordinator.segments().allocate("x", 1).size()).isEqualTo(1);
        }
      }
      assertThat(engine.history(url)).hasSize(SchemaMigrations.SCRIPTS.size());
    } finally {
      starts.shutdownNow();
      cleanUp(cleanups);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Engine.class,
      names = {"POSTGRESQL", "MARIADB"})
  void aNodeWaitsHalfItsSocketTimeoutForAnotherNodesMigrationThenSaysSo(Engine engine)
      throws Exception {
    List<Runnable> cleanups = new ArrayList<>();
    try {
      String url = engine.freshSchema(cleanups);
      try (Connection other = engine.connect(url);
          Statement holds = other.createStatement()) {
        // Another node in the middle of its migration: it holds the lock SchemaMigrations takes.
        holds
            .executeQuery(
                engine == Engine.POSTGRESQL
                    ? "SELECT pg_advisory_lock(" + SchemaMigrations.PG_LOCK_KEY + ")"
                    : "SELECT GET_LOCK(" + SchemaMigrations.MYSQL_LOCK_NAME + ", 0)")
            .close();
        long start = System.nanoTime();
        assertThatThrownBy(
                () ->
                    Coordinators.open(
                        url,
                        Map.of(
                            "user",
                            engine.user(),
                            "password",
                            engine.password(),
                            "socket-timeout",
                            "3s")))
            .isInstanceOf(CoordinatorException.class)
            .hasMessageContaining("another node held the schema lock for over 1 s")
            .hasMessageContaining("start this node again once that one is up");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_000_000_000L);
      }
      try (Coordinator afterwards = engine.open(url)) {
        assertThat(afterwards.segments().allocate("x", 1).size()).isEqualTo(1);
      }
    } finally {
      cleanUp(cleanups);
    }
  }

  @Test
  void aScriptWhoseTextChangedSinceItRanIsRefused() throws Exception {
    Engine engine = Engine.H2;
    String url = engine.freshSchema(new ArrayList<>());
    engine.open(url).close();
    engine.execute(
        url,
        "UPDATE \"idmint_schema_history\" SET \"checksum\" = \"checksum\" + 1"
            + " WHERE \"version\" = '1'");

    assertThatThrownBy(() -> engine.open(url))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageContaining("were made by another text of V1__idmint_schema.sql")
        .hasMessageContaining("its checksum in idmint_schema_history differs");
  }

  @Test
  void aScriptThatFailedPartWayIsNamedUntilItsRowIsDeleted() throws Exception {
    Engine engine = Engine.H2;
    String url = engine.freshSchema(new ArrayList<>());
    // The registry's script failed half-way: one of its two tables exists, the row says failed.
    engine.flyway(url).migrate();
    engine.execute(url, "DROP TABLE idmint_node");
    engine.execute(
        url,
        "UPDATE \"idmint_schema_history\" SET \"success\" = FALSE" + " WHERE \"version\" = '2'");

    assertThatThrownBy(() -> engine.open(url))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageContaining("are half made: V2__idmint_registry.sql failed part-way before")
        .hasMessageContaining("then delete its row (success = false) from idmint_schema_history");

    engine.execute(url, "DROP TABLE idmint_namespace");
    engine.execute(url, "DELETE FROM \"idmint_schema_history\" WHERE \"version\" = '2'");
    try (Coordinator repaired = engine.open(url)) {
      assertThat(repaired.registry().namespaces()).isEmpty();
    }
  }

  @Test
  void aFailingStatementIsRecordedAndNamed() throws Exception {
    Engine engine = Engine.H2;
    String url = engine.freshSchema(new ArrayList<>());
    // A table in the way of the registry's script: H2 commits V1, then V2's first CREATE fails.
    engine.execute(url, "CREATE TABLE idmint_namespace (x INT)");

    assertThatThrownBy(() -> engine.open(url))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageContaining("could not create or upgrade the idmint tables in H2")
        .hasMessageContaining("IDMINT_NAMESPACE");
    assertThat(engine.history(url))
        .extracting(row -> row.substring(0, 1) + " " + row.substring(row.lastIndexOf(' ') + 1))
        .containsExactly("1 true", "2 false");
  }

  @Test
  void onPostgresTheSchemaOfTheUrlIsCreatedWhenItIsMissing() {
    TestDatabase db = TestDatabase.POSTGRESQL;
    db.require();
    String schema = "idmint_mig_absent_" + UUID.randomUUID().toString().substring(0, 8);
    try {
      try (Coordinator started = Engine.POSTGRESQL.open(db.urlOf(schema))) {
        assertThat(started.segments().allocate("order", 5).size()).isEqualTo(5);
      }
      try (Coordinator again = Engine.POSTGRESQL.open(db.urlOf(schema))) {
        assertThat(again.segments().allocate("order", 5).start())
            .as("the second start finds the tables the first made")
            .isEqualTo(6);
      }
    } finally {
      db.execute(db.dropSchema(schema));
    }
  }

  @Test
  void onPostgresAFailingScriptLeavesNothingBehind() throws Exception {
    Engine engine = Engine.POSTGRESQL;
    List<Runnable> cleanups = new ArrayList<>();
    try {
      String url = engine.freshSchema(cleanups);
      engine.execute(url, "CREATE TABLE idmint_namespace (x INT)");

      assertThatThrownBy(() -> engine.open(url))
          .isInstanceOf(CoordinatorException.class)
          .hasMessageContaining("could not create or upgrade the idmint tables in PostgreSQL")
          .hasMessageContaining("\"idmint_namespace\" already exists");
      // One transaction: V1's tables and the history table went with V2's failure.
      try (Connection connection = engine.connect(url);
          ResultSet tables =
              connection.getMetaData().getTables(null, null, "idmint_%", new String[] {"TABLE"})) {
        List<String> names = new ArrayList<>();
        while (tables.next()) {
          if (url.endsWith(tables.getString("TABLE_SCHEM"))) {
            names.add(tables.getString("TABLE_NAME"));
          }
        }
        assertThat(names).containsExactly("idmint_namespace");
      }
      engine.execute(url, "DROP TABLE idmint_namespace");
      try (Coordinator started = engine.open(url)) {
        assertThat(started.registry().namespaces()).isEmpty();
      }
    } finally {
      cleanUp(cleanups);
    }
  }

  @Test
  void everyScriptOfEveryDialectIsListedAndSplitsIntoItsCreates() throws Exception {
    for (Dialect dialect : Dialect.values()) {
      Path folder = resource(dialect.migrationFolder());
      try (Stream<Path> files = Files.list(folder)) {
        assertThat(files.map(f -> f.getFileName().toString()).sorted())
            .as(dialect + " scripts")
            .containsExactlyElementsOf(SchemaMigrations.SCRIPTS);
      }
      for (String script : SchemaMigrations.SCRIPTS) {
        List<String> statements =
            SchemaMigrations.statements(Files.readString(folder.resolve(script)));
        assertThat(statements)
            .as(dialect + " " + script)
            .hasSize(2)
            .allSatisfy(sql -> assertThat(sql).startsWith("CREATE TABLE idmint_"));
      }
    }
  }

  @Test
  void statementsSplitAtSemicolonsOutsideQuotesAndComments() {
    assertThat(
            SchemaMigrations.statements(
                "-- a comment; not a statement\nCREATE TABLE a (x INT); -- trailing;\n"
                    + "INSERT INTO a VALUES ('x;y');\n\n;"))
        .containsExactly("CREATE TABLE a (x INT)", "INSERT INTO a VALUES ('x;y')");
    assertThat(SchemaMigrations.description("V2__idmint_registry.sql"))
        .isEqualTo("idmint registry");
  }

  private static Path resource(String folder) throws URISyntaxException {
    return Path.of(SchemaMigrationsTest.class.getResource("/" + folder).toURI());
  }
}
