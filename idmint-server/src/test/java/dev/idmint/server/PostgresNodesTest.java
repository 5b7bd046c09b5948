package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.testkit.TcpFaultProxy;
import dev.idmint.testkit.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes on a real PostgreSQL: two nodes share it without a duplicate, a node cut off from it stops
 * issuing (503, not ready) and comes back by itself, and a restarted node issues above everything
 * it issued before.
 */
class PostgresNodesTest {
  static final String HOST = TestDatabases.PG_HOST;
  static final int PORT = TestDatabases.PG_PORT;
  static final String SCHEMA = "idmint_server_it";

  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    freshSchema(SCHEMA);
  }

  /** Requires PostgreSQL (skips locally with a how-to) and (re)creates {@code schema} empty. */
  static void freshSchema(String schema) {
    TestDatabases.freshPostgresSchema(schema);
  }

  static String url(String host, int port) {
    return url(host, port, SCHEMA);
  }

  static String url(String host, int port, String schema) {
    return TestDatabases.postgresUrl(host, port, schema);
  }

  static final String FAST_LEASE =
      """
      coordinator:
        options: { user: postgres }
      node:
        lease: { ttl: 4s, renew-interval: 250ms, horizon-ahead: 1500ms }
      namespaces:
        order: { strategy: snowflake }
        invoice: { strategy: segment, segment: { step: 100 } }
      """;

  @Test
  void twoNodesOnOnePostgresNeverIssueTheSameId() {
    try (TestServer a = TestServer.start(dir.resolve("a"), url(HOST, PORT), FAST_LEASE, Map.of());
        TestServer b = TestServer.start(dir.resolve("b"), url(HOST, PORT), FAST_LEASE, Map.of())) {
      assertThat(a.server.node().lease().worker()).isNotEqualTo(b.server.node().lease().worker());
      Set<Long> seen = new HashSet<>();
      for (int round = 0; round < 20; round++) {
        for (TestServer node : new TestServer[] {a, b}) {
          for (String ns : new String[] {"order", "invoice"}) {
            for (long id : node.post("/v1/namespaces/" + ns + "/ids?count=500").ids()) {
              assertThat(seen.add(ns.hashCode() * 31 + id))
                  .as("duplicate %d in %s", id, ns)
                  .isTrue();
            }
          }
        }
      }
      assertThat(seen).hasSize(20 * 2 * 2 * 500);
    }
  }

  @Test
  void aNodeCutOffFromPostgresAnswers503AndIsNotReadyThenRecovers() throws Exception {
    try (TcpFaultProxy proxy = TcpFaultProxy.start(HOST, PORT);
        TestServer node =
            TestServer.start(dir, url(proxy.host(), proxy.port()), FAST_LEASE, Map.of())) {
      assertThat(node.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
      proxy.cut();

      TestServer.Response refused = awaitStatus(node, 503, Duration.ofSeconds(10));
      assertThat(refused.header("retry-after")).isNotNull();
      assertThat(refused.json().path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
      TestServer.Response ready = node.get("/health/ready");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().path("ready").asBoolean()).isFalse();
      assertThat(node.get("/health/live").status()).as("liveness stays true").isEqualTo(200);

      proxy.restore();
      awaitStatus(node, 200, Duration.ofSeconds(20));
      assertThat(node.get("/health/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void aRestartedNodeIssuesAboveEverythingItIssuedBefore() {
    long[] before;
    try (TestServer node = TestServer.start(dir, url(HOST, PORT), FAST_LEASE, Map.of())) {
      before = node.post("/v1/namespaces/order/ids?count=2000").ids();
    }
    try (TestServer restarted = TestServer.start(dir, url(HOST, PORT), FAST_LEASE, Map.of())) {
      long[] after = restarted.post("/v1/namespaces/order/ids?count=2000").ids();
      assertThat(after[0]).isGreaterThan(Arrays.stream(before).max().getAsLong());
    }
  }

  private static TestServer.Response awaitStatus(TestServer node, int status, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    TestServer.Response last = null;
    while (System.nanoTime() < deadline) {
      last = node.post("/v1/namespaces/order/ids");
      if (last.status() == status) {
        return last;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "no " + status + " within " + within + "; last: " + (last == null ? "none" : last.body()));
  }
}
