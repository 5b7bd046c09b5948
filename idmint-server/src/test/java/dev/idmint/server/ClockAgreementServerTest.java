package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md rule 8 through a running node: a wall clock an hour off the coordinator's (or, on
 * embedded H2, behind the highest horizon) serves no snowflake namespace, says why on {@code
 * /health/ready} and in every 503, keeps serving segment namespaces, and serves again by itself
 * once the clock is set right, never below an ID issued before. The node's clock is injected and
 * stepped while it runs.
 */
class ClockAgreementServerTest {
  private static final long HOUR = 3_600_000;

  @TempDir Path dir;

  /** The system clock plus an offset a test steps while the node runs. */
  static final class SteppedClock implements Clock {
    final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public long wallMillis() {
      return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }
  }

  static final String FAST_LEASE =
      """
      node:
        lease: { ttl: 4s, renew-interval: 250ms, horizon-ahead: 1500ms }
      namespaces:
        order: { strategy: snowflake }
        invoice: { strategy: segment, segment: { step: 50 } }
      """;

  static final String FAST_LEASE_ON_POSTGRES =
      """
      coordinator:
        options: { user: postgres }
      """
          + FAST_LEASE;

  @AfterEach
  void coordinatorClockRight() {
    OffsetClockCoordinatorProvider.OFFSET_MILLIS.set(0);
  }

  @Test
  void anEmbeddedNodeRestartedAnHourBackRefusesUntilItsClockIsRestored() {
    long[] before;
    try (TestServer node = TestServer.start(dir, null, FAST_LEASE, Map.of())) {
      before = node.post("/v1/namespaces/order/ids?count=3000").ids();
    }
    long highest = Arrays.stream(before).max().getAsLong();
    SteppedClock clock = new SteppedClock();
    clock.offsetMillis.set(-HOUR);
    try (TestServer restarted = TestServer.start(dir, null, FAST_LEASE, Map.of(), clock)) {
      TestServer.Response refused = restarted.post("/v1/namespaces/order/ids");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("retry-after")).isNotNull();
      String message = refused.json().path("error").path("message").asText();
      // An hour minus the time since the first run's last renewal (at most horizon-ahead, 1.5 s).
      assertThat(message)
          .matches(
              "this node's wall clock is 35\\d\\d\\d\\d\\d ms behind the highest reserved horizon"
                  + " of any worker minus horizon-ahead .*")
          .contains("NTP");
      TestServer.Response ready = restarted.get("/health/ready");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().path("error").path("message").asText())
          .startsWith("this node's wall clock is 35")
          .contains("behind the highest reserved horizon of any worker");
      assertThat(restarted.get("/metrics").body())
          .containsPattern("idmint_clock_skew_seconds(\\{[^}]*\\})? -35\\d\\d\\.\\d+");
      // Segment namespaces do not depend on the clock and keep serving.
      assertThat(restarted.post("/v1/namespaces/invoice/ids").status()).isEqualTo(200);

      clock.offsetMillis.set(0);
      TestServer.Response served = awaitPost(restarted, r -> r.status() == 200);
      assertThat(served.ids()[0]).isGreaterThan(highest);
      assertThat(restarted.get("/health/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void aNodeOnPostgresSteppedAnHourEitherWayStopsAndComesBackByItself() throws Exception {
    PostgresNodesTest.freshSchema("idmint_clock_it");
    String url =
        PostgresNodesTest.url(PostgresNodesTest.HOST, PostgresNodesTest.PORT, "idmint_clock_it");
    SteppedClock clock = new SteppedClock();
    try (TestServer node = TestServer.start(dir, url, FAST_LEASE_ON_POSTGRES, Map.of(), clock)) {
      long last = node.post("/v1/namespaces/order/ids?count=100").ids()[99];

      clock.offsetMillis.set(-HOUR);
      String behind = awaitNotReady(node, "behind PostgreSQL's clock_timestamp()");
      assertThat(behind).matches("this node's wall clock is 3[56]\\d{5} ms behind .*");
      TestServer.Response refused = node.post("/v1/namespaces/order/ids");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().path("error").path("message").asText()).isEqualTo(behind);
      assertThat(node.post("/v1/namespaces/invoice/ids").status()).isEqualTo(200);

      clock.offsetMillis.set(0);
      long next = awaitPost(node, r -> r.status() == 200).ids()[0];
      assertThat(next).isGreaterThan(last);

      clock.offsetMillis.set(HOUR);
      String ahead = awaitNotReady(node, "ahead of PostgreSQL's clock_timestamp()");
      assertThat(ahead).matches("this node's wall clock is 3[56]\\d{5} ms ahead of .*");
      // The clock an hour ahead recorded no horizon: the worker's stays near the real time.
      try (Connection connection =
              DriverManager.getConnection(
                  "jdbc:postgresql://"
                      + PostgresNodesTest.HOST
                      + ":"
                      + PostgresNodesTest.PORT
                      + "/test",
                  "postgres",
                  "");
          Statement statement = connection.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT MAX(reserved_until) FROM idmint_clock_it.idmint_worker")) {
        rs.next();
        assertThat(rs.getLong(1)).isLessThan(System.currentTimeMillis() + 60_000);
      }

      clock.offsetMillis.set(0);
      TestServer.Response served = awaitPost(node, r -> r.status() == 200);
      assertThat(served.ids()[0]).isGreaterThan(next);
    }
  }

  @Test
  void aNodeWithARightClockOnACoordinatorWhoseClockIsOffDoesNotServe() {
    OffsetClockCoordinatorProvider.OFFSET_MILLIS.set(HOUR);
    String url =
        OffsetClockCoordinatorProvider.SCHEME
            + "jdbc:h2:file:"
            + dir.resolve("offset").toAbsolutePath();
    try (TestServer node = TestServer.start(dir, url, FAST_LEASE, Map.of())) {
      String reason = awaitNotReady(node, OffsetClockCoordinatorProvider.CLOCK_SOURCE);
      assertThat(reason)
          .matches(
              "this node's wall clock is 3[56]\\d{5} ms behind the test coordinator's clock, more"
                  + " than max-clock-skew \\(1000 ms\\).*")
          .contains("or the coordinator's");
      assertThat(node.post("/v1/namespaces/order/ids").status()).isEqualTo(503);

      OffsetClockCoordinatorProvider.OFFSET_MILLIS.set(0);
      assertThat(awaitPost(node, r -> r.status() == 200).ids()).hasSize(1);
    }
  }

  @Test
  void maxClockSkewIsReadFromTheLeaseSettingsAndBounded() throws IOException {
    assertThat(
            load("node: { lease: { max-clock-skew: 2500ms } }").leaseConfig("n", 7).maxClockSkew())
        .isEqualTo(Duration.ofMillis(2500));
    assertThat(load("node: {}").leaseConfig("n", 7).maxClockSkew())
        .isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> load("node: { lease: { max-clock-skew: 0s } }"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(
            "node.lease.max-clock-skew must be above 0 and at most 300s: max-clock-skew=PT0S");
    assertThatThrownBy(() -> load("node: { lease: { max-clock-skew: 1h } }"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("max-clock-skew=PT1H");
  }

  private dev.idmint.server.config.ServerConfig load(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "skew", ".yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(
        new ConfigLoader.Flags(0, dir.resolve("data"), null, file, null, null, null, null, false),
        Map.of(),
        Clock.system());
  }

  /** Polls {@code /health/ready} until it is 503 with a message containing {@code text}. */
  private static String awaitNotReady(TestServer node, String text) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String message = null;
    while (System.nanoTime() < deadline) {
      TestServer.Response ready = node.get("/health/ready");
      message = ready.json().path("error").path("message").asText();
      if (ready.status() == 503 && message.contains(text)) {
        return message;
      }
      sleep();
    }
    throw new AssertionError("not refused for '" + text + "' within 10 s; last reason: " + message);
  }

  /** Posts for one ID until the answer satisfies {@code done}; every ID seen is checked after. */
  private static TestServer.Response awaitPost(
      TestServer node, Predicate<TestServer.Response> done) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    TestServer.Response response = node.post("/v1/namespaces/order/ids");
    while (!done.test(response) && System.nanoTime() < deadline) {
      sleep();
      response = node.post("/v1/namespaces/order/ids");
    }
    assertThat(done.test(response)).as(response.body()).isTrue();
    return response;
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
