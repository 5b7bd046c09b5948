package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default keeps its state in the data dir: a restart never goes below. */
class EmbeddedRestartTest {
  @TempDir Path dir;

  /** The system clock shifted by a fixed offset, as a node restarted with a wrong clock sees it. */
  record ShiftedClock(long offsetMillis) implements Clock {
    @Override
    public long wallMillis() {
      return System.currentTimeMillis() + offsetMillis;
    }

    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }
  }

  /** The embedded default: the worker is claimed dynamically. */
  static final String DYNAMIC_WORKER =
      """
      namespaces:
        order: { strategy: snowflake }
        invoice: { strategy: segment, segment: { step: 50 } }
      """;

  /** A static worker must wait for its own previous horizon; keep that short for the test. */
  static final String STATIC_WORKER =
      """
      node:
        worker: 0
        lease: { ttl: 4s, renew-interval: 250ms, horizon-ahead: 1500ms }
      namespaces:
        order: { strategy: snowflake }
        invoice: { strategy: segment, segment: { step: 50 } }
      """;

  @Test
  void idsAfterARestartExceedEveryEarlierOne() {
    long[] orders;
    long[] invoices;
    try (TestServer node = TestServer.start(dir, null, DYNAMIC_WORKER, Map.of())) {
      orders = node.post("/v1/namespaces/order/ids?count=3000").ids();
      invoices = node.post("/v1/namespaces/invoice/ids?count=120").ids();
    }
    assertThat(Files.exists(dir.resolve("data").resolve("idmint.mv.db"))).isTrue();
    try (TestServer restarted = TestServer.start(dir, null, DYNAMIC_WORKER, Map.of())) {
      long order = restarted.post("/v1/namespaces/order/ids").ids()[0];
      long invoice = restarted.post("/v1/namespaces/invoice/ids").ids()[0];
      assertThat(order).isGreaterThan(Arrays.stream(orders).max().getAsLong());
      assertThat(invoice).isGreaterThan(Arrays.stream(invoices).max().getAsLong());
    }
  }

  @Test
  void aRestartWithTheClockSetBackRefusesInsteadOfRepeating() {
    long last;
    try (TestServer node = TestServer.start(dir, null, STATIC_WORKER, Map.of())) {
      last = node.post("/v1/namespaces/order/ids?count=100").ids()[99];
    }
    try (TestServer behind =
        TestServer.start(dir, null, STATIC_WORKER, Map.of(), new ShiftedClock(-60_000))) {
      TestServer.Response refused = behind.post("/v1/namespaces/order/ids");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().path("error").path("message").asText())
          .contains(
              "of worker 0's previous holder; refusing to issue IDs until the clock passes it");
      assertThat(behind.get("/health/ready").status()).isEqualTo(503);
      // Segment namespaces do not depend on the clock and keep serving.
      assertThat(behind.post("/v1/namespaces/invoice/ids").status()).isEqualTo(200);
    }
    try (TestServer fixed = TestServer.start(dir, null, STATIC_WORKER, Map.of())) {
      // Within horizon-ahead (1.5 s) of the first run's last renewal, the same worker may still
      // have to wait for its clock to pass that horizon: retry until it may issue.
      long deadline = System.nanoTime() + 10_000_000_000L;
      TestServer.Response response = fixed.post("/v1/namespaces/order/ids");
      while (response.status() == 503 && System.nanoTime() < deadline) {
        response = fixed.post("/v1/namespaces/order/ids");
      }
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.ids()[0]).isGreaterThan(last);
    }
  }
}
