package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.testkit.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A business number's day is the coordinator's, never the node's: a node whose wall clock is a day
 * ahead still numbers today, and a node on a coordinator whose clock is a day ahead numbers
 * tomorrow. uuid7 namespaces refuse on the same clock disagreement as snowflake ones. Exact, with
 * no wait: the clocks are a whole day apart.
 */
class CoordinatorTimeKindsTest {
  private static final long DAY = 86_400_000L;
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  @TempDir Path dir;

  static final String YAML =
      """
      node:
        lease: { ttl: 4s, renew-interval: 250ms, horizon-ahead: 1500ms }
      namespaces:
        ord: { strategy: pattern, pattern: { template: "ORD-{date:yyyyMMdd}-{seq:6}" } }
        evt: { strategy: uuid7 }
      """;

  @AfterEach
  void coordinatorClockRight() {
    OffsetClockCoordinatorProvider.OFFSET_MILLIS.set(0);
  }

  @Test
  void aNodeWhoseClockIsADayAheadStillNumbersThePostgresDay() {
    String url = TestDatabases.freshPostgresSchema("idmint_kinds_clock_it");
    ClockAgreementServerTest.SteppedClock clock = new ClockAgreementServerTest.SteppedClock();
    clock.offsetMillis.set(DAY);
    try (TestServer node =
        TestServer.start(
            dir, url, "coordinator:\n  options: { user: postgres }\n" + YAML, Map.of(), clock)) {
      String today = DATE.format(Instant.now());
      TestServer.Response numbers = node.post("/v1/namespaces/ord/ids?count=2");
      assertThat(numbers.status()).as(numbers.body()).isEqualTo(200);
      assertThat(numbers.json().path("numbers").get(0).asText())
          .isEqualTo("ORD-" + today + "-000001");
      TestServer.Response uuids = node.post("/v1/namespaces/evt/ids");
      assertThat(uuids.status()).as(uuids.body()).isEqualTo(503);
      assertThat(uuids.json().path("error").path("message").asText())
          .startsWith("this node's wall clock is ")
          .contains("ahead of PostgreSQL's clock_timestamp()");
    }
  }

  @Test
  void aCoordinatorWhoseClockIsADayAheadDecidesTheDay() {
    OffsetClockCoordinatorProvider.OFFSET_MILLIS.set(DAY);
    String url =
        OffsetClockCoordinatorProvider.SCHEME
            + "jdbc:h2:file:"
            + dir.resolve("offset").toAbsolutePath();
    try (TestServer node = TestServer.start(dir, url, YAML, Map.of())) {
      String tomorrow = DATE.format(Instant.now().plusMillis(DAY));
      TestServer.Response numbers = node.post("/v1/namespaces/ord/ids");
      assertThat(numbers.status()).as(numbers.body()).isEqualTo(200);
      assertThat(numbers.json().path("numbers").get(0).asText())
          .isEqualTo("ORD-" + tomorrow + "-000001");
      TestServer.Response uuids = node.post("/v1/namespaces/evt/ids");
      assertThat(uuids.status()).isEqualTo(503);
      assertThat(uuids.json().path("error").path("message").asText())
          .contains("behind " + OffsetClockCoordinatorProvider.CLOCK_SOURCE);
    }
  }
}
