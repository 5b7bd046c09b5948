package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.testkit.Engines;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server runs on every coordinator, found by URL scheme: ZooKeeper and Redis here. */
class OtherCoordinatorsTest {
  static final String NAMESPACES =
      """
      namespaces:
        order: { strategy: snowflake }
        invoice: { strategy: segment, segment: { step: 100 } }
      """;

  @TempDir Path dir;

  @Test
  void twoNodesOnZooKeeper() throws Exception {
    try (TestingServer zookeeper = new TestingServer(true)) {
      String url = "zookeeper://" + zookeeper.getConnectString() + "/idmint-server-test";
      assertTwoNodesNeverRepeat(url);
    }
  }

  @Test
  void twoNodesOnRedis() {
    String host = Engines.env("IDMINT_REDIS_HOST", "127.0.0.1");
    int port = Integer.parseInt(Engines.env("IDMINT_REDIS_PORT", "6379"));
    Engines.require(
        "Redis", host, port, "redis-server --daemonize yes --port 6379 --save '' --appendonly no");
    String prefix = "idmint-server-test-" + System.nanoTime() + ":";
    String yaml = "coordinator: { options: { key-prefix: '" + prefix + "' } }\n" + NAMESPACES;
    assertTwoNodesNeverRepeat("redis://" + host + ":" + port, yaml);
  }

  private void assertTwoNodesNeverRepeat(String url) {
    assertTwoNodesNeverRepeat(url, NAMESPACES);
  }

  private void assertTwoNodesNeverRepeat(String url, String yaml) {
    try (TestServer a = TestServer.start(dir.resolve("a"), url, yaml, Map.of());
        TestServer b = TestServer.start(dir.resolve("b"), url, yaml, Map.of())) {
      assertThat(a.server.node().lease().worker()).isNotEqualTo(b.server.node().lease().worker());
      Set<String> seen = new HashSet<>();
      for (int round = 0; round < 10; round++) {
        for (TestServer node : new TestServer[] {a, b}) {
          for (String ns : new String[] {"order", "invoice"}) {
            TestServer.Response response = node.post("/v1/namespaces/" + ns + "/ids?count=300");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            for (long id : response.ids()) {
              assertThat(seen.add(ns + id)).as("duplicate %s %d", ns, id).isTrue();
            }
          }
        }
      }
      assertThat(seen).hasSize(10 * 2 * 2 * 300);
    }
  }
}
