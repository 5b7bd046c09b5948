package dev.idmint.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.segment.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration fails at start with one sentence that names what to fix. */
class JdbcCoordinatorConfigTest {

  @Test
  void anUnreachableDatabaseNamesHostAndWhatToCheck() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                Coordinators.open(
                    "jdbc:postgresql://127.0.0.1:1/test",
                    Map.of("user", "postgres", "connect-timeout-ms", "1000")))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith(
            "cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/test: ")
        .hasMessageEndingWith("; check the host, port, database name, user and password");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void wrongPostgresCredentialsAreNamed() {
    TestDatabase.POSTGRESQL.require();
    assertThatThrownBy(
            () ->
                Coordinators.open(
                    TestDatabase.POSTGRESQL.url(), Map.of("user", "idmint_no_such_role")))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageContaining("role \"idmint_no_such_role\" does not exist");
  }

  @Test
  void wrongMariaDbPasswordIsNamedAndNotRepeated() {
    TestDatabase.MARIADB.require();
    assertThatThrownBy(
            () ->
                Coordinators.open(
                    TestDatabase.MARIADB.url(), Map.of("user", "root", "password", "s3cret-wrong")))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageContaining("Access denied for user 'root'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-wrong"));
  }

  @Test
  void validateOnlyWithMissingTablesSaysHowToCreateThem() {
    TestDatabase db = TestDatabase.POSTGRESQL;
    db.require();
    String empty = "idmint_empty";
    db.execute(db.dropSchema(empty), "CREATE SCHEMA " + empty);
    try {
      assertThatThrownBy(
              () ->
                  Coordinators.open(db.urlOf(empty), Map.of("user", db.user, "schema", "validate")))
          .isInstanceOf(CoordinatorException.class)
          .hasMessageContaining(
              "the idmint tables [idmint_worker, idmint_segment, idmint_namespace, idmint_node]"
                  + " are missing or incomplete in PostgreSQL")
          .hasMessageContaining("(schema=validate); run once with schema=migrate");
    } finally {
      db.execute(db.dropSchema(empty));
    }
  }

  @Test
  void validateOnlySucceedsOnceMigrated() {
    TestDatabase db = TestDatabase.MARIADB;
    db.require();
    String schema = "idmint_validate";
    db.execute(db.dropSchema(schema), "CREATE DATABASE " + schema);
    try {
      Coordinators.open(db.urlOf(schema), Map.of("user", db.user)).close();
      try (Coordinator validated =
          Coordinators.open(db.urlOf(schema), Map.of("user", db.user, "schema", "validate"))) {
        assertThat(validated.segments().allocate("order", 5)).isEqualTo(new Segment(1, 6));
      }
    } finally {
      db.execute(db.dropSchema(schema));
    }
  }

  @Test
  void anUnknownSchemeNamesTheKnownOnes() {
    assertThatThrownBy(() -> Coordinators.open("jdbc:oracle:thin:@db:1521/x", Map.of()))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith("no coordinator handles URL 'jdbc:oracle:thin:@db:1521/x'; known")
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> Coordinators.open("jdbc:h2:mem:x", Map.of("schema", "drop")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("invalid JDBC coordinator: schema must be migrate or validate: schema=drop");
    assertThatThrownBy(() -> Coordinators.open("jdbc:h2:mem:x", Map.of("pool-size", "many")))
        .hasMessage("invalid JDBC coordinator: pool-size must be a whole number: pool-size=many");
    assertThatThrownBy(() -> Coordinators.open("jdbc:h2:mem:x", Map.of("passwd", "x")))
        .hasMessageStartingWith("invalid JDBC coordinator: unknown option 'passwd'");
    assertThatThrownBy(() -> JdbcCoordinator.builder("jdbc:h2:mem:x").poolSize(0).build())
        .hasMessage("invalid JDBC coordinator: pool-size must be in [1, 100]: pool-size=0");
  }

  @Test
  void timeoutsAreDurationsInTheOneGrammarAndTheOldMillisKeysStillWork() {
    assertThatThrownBy(() -> Coordinators.open("jdbc:h2:mem:x", Map.of("connect-timeout", "soon")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "invalid JDBC coordinator: connect-timeout must be a duration such as 2s, 500ms or"
                + " PT2S: connect-timeout=soon");
    assertThatThrownBy(() -> Coordinators.open("jdbc:h2:mem:x", Map.of("socket-timeout-ms", "2s")))
        .hasMessage(
            "invalid JDBC coordinator: socket-timeout-ms must be a whole number of milliseconds:"
                + " socket-timeout-ms=2s");
    assertThatThrownBy(() -> Coordinators.open("jdbc:h2:mem:x", Map.of("connect-timeout", "100ms")))
        .hasMessage(
            "invalid JDBC coordinator: connect-timeout must be at least 250 ms:"
                + " connect-timeout=PT0.1S");
    for (Map<String, String> options :
        List.of(
            Map.of("connect-timeout", "2s", "socket-timeout", "1m"),
            Map.of("connect-timeout-ms", "2000", "socket-timeout-ms", "60000"))) {
      try (Coordinator coordinator = Coordinators.open("jdbc:h2:mem:timeouts", options)) {
        assertThat(coordinator.description()).as(options.toString()).contains("H2");
      }
    }
  }

  @Test
  void passwordsInUrlsAreMaskedInMessages() {
    assertThat(Coordinators.redact("jdbc:postgresql://db/ids?user=a&password=hunter2"))
        .isEqualTo("jdbc:postgresql://db/ids?user=a&password=***");
    assertThat(Coordinators.redact("redis://user:hunter2@cache:6379"))
        .isEqualTo("redis://***@cache:6379");
    assertThat(Coordinators.redact("redis://hunter2@cache:6379"))
        .isEqualTo("redis://***@cache:6379");
  }

  @Test
  void anEmbeddedH2FileKeepsHorizonsAndRangesAcrossRestarts(@TempDir Path dir)
      throws InterruptedException {
    String url = "jdbc:h2:file:" + dir.resolve("idmint").toAbsolutePath();
    LeaseGrant first;
    Segment segment;
    try (Coordinator coordinator = Coordinators.open(url, Map.of())) {
      first =
          coordinator
              .workerLeases()
              .claim(
                  new ClaimRequest("node", OptionalInt.of(0), 1023, Duration.ofSeconds(1), 42_000));
      segment = coordinator.segments().allocate("invoice", 100);
    }
    assertThat(Files.exists(dir.resolve("idmint.mv.db"))).isTrue();
    try (Coordinator restarted = Coordinators.open(url, Map.of())) {
      Segment next = restarted.segments().allocate("invoice", 100);
      assertThat(next.start()).isEqualTo(segment.end());
      Thread.sleep(1_100); // the crashed holder's 1 s lease expires by the database's clock
      LeaseGrant reclaimed =
          restarted
              .workerLeases()
              .claim(new ClaimRequest("node", OptionalInt.of(0), 1023, Duration.ofSeconds(30), 0));
      assertThat(reclaimed.previousHorizonMillis()).isEqualTo(42_000);
      assertThat(reclaimed.fencingToken()).isGreaterThan(first.fencingToken());
    }
  }

  @Test
  void validateOnlyAcceptsTablesCreatedByHandFromTheMigrationScripts() throws Exception {
    TestDatabase db = TestDatabase.POSTGRESQL;
    db.require();
    String schema = "idmint_by_hand";
    String script = "";
    for (String migration : new String[] {"V1__idmint_schema.sql", "V2__idmint_registry.sql"}) {
      script +=
          new String(
              JdbcCoordinator.class
                  .getResourceAsStream("/dev/idmint/jdbc/migration/postgresql/" + migration)
                  .readAllBytes(),
              java.nio.charset.StandardCharsets.UTF_8);
    }
    db.execute(db.dropSchema(schema), "CREATE SCHEMA " + schema);
    try {
      db.execute("SET search_path TO " + schema + "; " + script);
      try (Coordinator validated =
          Coordinators.open(db.urlOf(schema), Map.of("user", db.user, "schema", "validate"))) {
        assertThat(validated.segments().allocate("order", 5)).isEqualTo(new Segment(1, 6));
      }
    } finally {
      db.execute(db.dropSchema(schema));
    }
  }
}
