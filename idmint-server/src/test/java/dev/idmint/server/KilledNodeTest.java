package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL (a separate JVM, so nothing of it can say goodbye) shows as EXPIRED in
 * the node list once its lease TTL has passed, by the coordinator's clock (ZooKeeper here).
 */
class KilledNodeTest {
  static final Pattern PORT = Pattern.compile("listening on port (\\d+)");

  @TempDir Path dir;

  @Test
  void aKilledNodeShowsAsExpiredAfterItsLeaseTtl() throws Exception {
    String yaml =
        RegistryServerTest.BASE
            + """
            namespaces:
              order: { strategy: snowflake }
            """;
    try (TestingServer zookeeper = new TestingServer(true)) {
      String url = "zookeeper://" + zookeeper.getConnectString() + "/registry-killed";
      try (TestServer survivor =
          TestServer.start(dir.resolve("survivor"), url, yaml, RegistryServerTest.ENV)) {
        Path config = dir.resolve("victim.yaml");
        Files.writeString(config, yaml);
        Process victim =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "serve",
                    "--port",
                    "0",
                    "--coordinator",
                    url,
                    "--config",
                    config.toString(),
                    "--data-dir",
                    dir.resolve("victim").toString())
                .redirectErrorStream(true)
                .start();
        try {
          int port = portOf(victim);
          JsonNode listed =
              await()
                  .atMost(Duration.ofSeconds(10))
                  .alias("the victim on port " + port + " among " + nodes(survivor))
                  .until(() -> byPort(survivor, port), node -> node != null);
          assertThat(listed.path("state").asText()).isEqualTo("LIVE");
          assertThat(listed.path("worker").isInt()).isTrue();

          victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          long killedAt = System.nanoTime();
          JsonNode expired =
              await()
                  .atMost(Duration.ofSeconds(15))
                  .until(
                      () -> byPort(survivor, port),
                      node -> node != null && node.path("state").asText().equals("EXPIRED"));
          // The record outlived the last heartbeat by the TTL (3 s), not less.
          assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
              .isGreaterThan(Duration.ofMillis(2_000));
          assertThat(expired.path("lastHeartbeat").asText()).endsWith("Z");
          assertThat(find(survivor, survivor.server.node().owner()).path("state").asText())
              .isEqualTo("LIVE");
        } finally {
          victim.destroyForcibly();
        }
      }
    }
  }

  private static int portOf(Process process) throws Exception {
    StringBuilder seen = new StringBuilder();
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  Matcher matcher = PORT.matcher(line);
                  if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                  }
                  synchronized (seen) {
                    seen.append(line).append('\n');
                  }
                }
                throw new AssertionError("the node exited before listening:\n" + seen);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    try {
      return port.get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      synchronized (seen) {
        throw new AssertionError("the node did not start within 120 s; it printed:\n" + seen, e);
      }
    }
  }

  private static JsonNode byPort(TestServer node, int port) {
    for (JsonNode entry : nodes(node)) {
      if (entry.path("address").asText().endsWith(":" + port)) {
        return entry;
      }
    }
    return null;
  }

  private static JsonNode find(TestServer node, String nodeId) {
    for (JsonNode entry : nodes(node)) {
      if (entry.path("nodeId").asText().equals(nodeId)) {
        return entry;
      }
    }
    throw new AssertionError(nodeId + " not listed");
  }

  private static List<JsonNode> nodes(TestServer node) {
    TestServer.Response response = RegistryServerTest.admin(node, "GET", "/v1/admin/nodes", null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode list = response.json();
    List<JsonNode> out = new java.util.ArrayList<>();
    list.path("nodes").forEach(out::add);
    return out;
  }
}
