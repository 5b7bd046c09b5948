package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.api.v1.AdminServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace registry seen through running nodes: several real servers in this JVM share one
 * coordinator, with short leases and a fast registry poll. Runs on H2 shared in memory (a
 * coordinator like any other, not the embedded single-node mode); {@link RegistryOnPostgresTest}
 * runs the same on PostgreSQL.
 */
class RegistryServerTest {
  static final String ADMIN = "registry-admin-token-0123456789";
  static final Map<String, String> ENV = Map.of("IDMINT_ADMIN_TOKEN", ADMIN);
  static final String BASE =
      """
      node: { lease: { ttl: 3s, renew-interval: 500ms, horizon-ahead: 2s } }
      registry: { poll-interval: 200ms }
      """;
  static final String NAMESPACES =
      BASE
          + """
          namespaces:
            order: { strategy: snowflake }
            invoice: { strategy: segment, segment: { step: 100 } }
          """;

  @TempDir Path dir;
  private String coordinator;
  private final List<TestServer> nodes = new ArrayList<>();

  @BeforeEach
  void freshCoordinator() {
    coordinator = newCoordinator();
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(TestServer::close);
    nodes.clear();
    dropCoordinator();
  }

  /** A coordinator URL no other test uses. */
  protected String newCoordinator() {
    return "jdbc:h2:mem:registry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /** YAML put before every node's configuration, e.g. coordinator options. */
  protected String coordinatorYaml() {
    return "";
  }

  protected void dropCoordinator() {}

  private TestServer node(String yaml) {
    return node(yaml, ENV);
  }

  private TestServer node(String yaml, Map<String, String> env) {
    TestServer node =
        TestServer.start(
            dir.resolve(UUID.randomUUID().toString()), coordinator, coordinatorYaml() + yaml, env);
    synchronized (nodes) {
      nodes.add(node);
    }
    return node;
  }

  static TestServer.Response admin(TestServer node, String method, String path, String body) {
    return node.send(
        HttpRequest.newBuilder(URI.create(node.url + path))
            .header("Authorization", "Bearer " + ADMIN)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** A blocking {@code AdminService} stub that sends {@code token} as the bearer token. */
  static AdminServiceGrpc.AdminServiceBlockingStub adminStub(ManagedChannel channel, String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return AdminServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static String message(TestServer.Response response) {
    return response.json().path("error").path("message").asText();
  }

  private static String code(TestServer.Response response) {
    return response.json().path("error").path("code").asText();
  }

  @Test
  void twoNodesServeOneDefinitionAndRecordTheFirstIssue() {
    TestServer a = node(NAMESPACES);
    TestServer b = node(NAMESPACES);
    JsonNode before = admin(a, "GET", "/v1/admin/namespaces/order", null).json();
    assertThat(before.path("revision").asLong()).isEqualTo(1);
    assertThat(before.path("issued").asBoolean()).isFalse();
    assertThat(before.path("snowflake").path("workerBits").asInt()).isEqualTo(10);
    assertThat(before.path("snowflake").path("exhaustedAt").asText()).startsWith("2094-");

    Set<Long> ids = new HashSet<>();
    for (TestServer node : List.of(a, b, a, b)) {
      TestServer.Response minted = node.post("/v1/namespaces/order/ids?count=500");
      assertThat(minted.status()).isEqualTo(200);
      for (long id : minted.ids()) {
        assertThat(ids.add(id)).as("unique id").isTrue();
      }
    }
    JsonNode after = admin(b, "GET", "/v1/admin/namespaces/order", null).json();
    assertThat(after.path("issued").asBoolean()).isTrue();
    assertThat(after.path("revision").asLong()).isEqualTo(2);
    assertThat(admin(a, "GET", "/v1/admin/namespaces", null).json().path("namespaces"))
        .extracting(n -> n.path("name").asText())
        .containsExactly("invoice", "order");
  }

  @Test
  void concurrentFirstStartsWithDifferentLayoutsAgreeOnOneDefinition() {
    String wide = NAMESPACES;
    String narrow =
        BASE
            + """
            namespaces:
              order: { strategy: snowflake, snowflake: { worker-bits: 8, sequence-bits: 14 } }
              invoice: { strategy: segment, segment: { step: 100 } }
            """;
    CompletableFuture<TestServer> first = CompletableFuture.supplyAsync(() -> node(wide));
    CompletableFuture<TestServer> second = CompletableFuture.supplyAsync(() -> node(narrow));
    TestServer a = first.join();
    TestServer b = second.join();
    JsonNode seenByA = admin(a, "GET", "/v1/admin/namespaces/order", null).json();
    JsonNode seenByB = admin(b, "GET", "/v1/admin/namespaces/order", null).json();
    assertThat(seenByA).isEqualTo(seenByB);
    int workerBits = seenByA.path("snowflake").path("workerBits").asInt();
    TestServer agreeing = workerBits == 10 ? a : b;
    TestServer refused = workerBits == 10 ? b : a;
    assertThat(agreeing.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
    TestServer.Response refusal = refused.post("/v1/namespaces/order/ids");
    assertThat(refusal.status()).isEqualTo(503);
    assertThat(message(refusal)).contains("differs from the registry's");
    assertThat(refused.post("/v1/namespaces/invoice/ids").status()).isEqualTo(200);
  }

  @Test
  void aNodeWhoseLocalLayoutDisagreesRefusesThatNamespaceAndSaysWhy() {
    node(NAMESPACES);
    TestServer b =
        node(
            BASE
                + """
                namespaces:
                  order: { strategy: snowflake, snowflake: { worker-bits: 8, sequence-bits: 14 } }
                  invoice: { strategy: segment, segment: { step: 100 } }
                """);
    TestServer.Response refusal = b.post("/v1/namespaces/order/ids");
    assertThat(refusal.status()).isEqualTo(503);
    assertThat(code(refusal)).isEqualTo("UNAVAILABLE");
    assertThat(message(refusal))
        .isEqualTo(
            "namespace order: local layout 41/8/14 differs from the registry's 41/10/12"
                + " (revision 1); this node does not serve it");
    assertThat(b.post("/v1/namespaces/invoice/ids").status()).isEqualTo(200);
    assertThat(b.server.startupLine()).contains("NOT serving order");
  }

  @Test
  void aSafeChangeReachesEveryNodeWithoutARestart() {
    TestServer a = node(NAMESPACES);
    TestServer b = node(NAMESPACES);
    long[] before = b.post("/v1/namespaces/invoice/ids?count=10").ids();

    JsonNode invoice = admin(a, "GET", "/v1/admin/namespaces/invoice", null).json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) invoice.path("segment")).put("step", 5000);
    TestServer.Response changed =
        admin(a, "PUT", "/v1/admin/namespaces/invoice", invoice.toString());
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().path("segment").path("step").asLong()).isEqualTo(5000);
    assertThat(changed.json().path("revision").asLong())
        .isEqualTo(invoice.path("revision").asLong() + 1);

    JsonNode order = admin(a, "GET", "/v1/admin/namespaces/order", null).json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) order.path("snowflake"))
        .put("maxBorrowMillis", 250);
    assertThat(admin(a, "PUT", "/v1/admin/namespaces/order", order.toString()).status())
        .isEqualTo(200);

    for (TestServer node : List.of(a, b)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(
                        node.get("/v1/namespaces/invoice")
                            .json()
                            .path("segment")
                            .path("step")
                            .asLong())
                    .isEqualTo(5000);
                assertThat(
                        node.get("/v1/namespaces/order")
                            .json()
                            .path("snowflake")
                            .path("maxBorrowMillis")
                            .asLong())
                    .isEqualTo(250);
              });
    }
    long[] after = b.post("/v1/namespaces/invoice/ids?count=10").ids();
    assertThat(after[0]).isGreaterThan(before[before.length - 1]);
  }

  @Test
  void anUnsafeChangeIsRefusedOnceTheNamespaceIssuedAndAllowedBefore() {
    TestServer a = node(NAMESPACES);
    TestServer b = node(NAMESPACES);
    assertThat(a.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
    JsonNode order = admin(a, "GET", "/v1/admin/namespaces/order", null).json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) order.path("snowflake"))
        .put("workerBits", 8)
        .put("sequenceBits", 14);
    TestServer.Response refused = admin(b, "PUT", "/v1/admin/namespaces/order", order.toString());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(code(refused)).isEqualTo("FAILED_PRECONDITION");
    assertThat(message(refused))
        .startsWith(
            "namespace order has issued IDs, so its layout cannot change from 41/10/12 to 41/8/14");

    // A namespace nobody issued from yet may still change shape, and every node follows.
    TestServer.Response created =
        admin(
            a,
            "POST",
            "/v1/admin/namespaces",
            "{\"name\":\"draft\",\"strategy\":\"snowflake\",\"snowflake\":{\"workerBits\":10}}");
    assertThat(created.status()).isEqualTo(201);
    TestServer.Response reshaped =
        admin(
            a,
            "PUT",
            "/v1/admin/namespaces/draft",
            "{\"strategy\":\"snowflake\",\"snowflake\":{\"timestampBits\":42,\"workerBits\":10,"
                + "\"sequenceBits\":11}}");
    assertThat(reshaped.status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        b.get("/v1/namespaces/draft")
                            .json()
                            .path("snowflake")
                            .path("timestampBits")
                            .asInt())
                    .isEqualTo(42));
  }

  @Test
  void anUnsafeChangeThatLandsBeforeTheNodeNoticedItIsNeverIssuedUnder() {
    // A poll interval far longer than the test: the node still runs the old layout when the
    // change lands, and its first issue must see the change instead of minting under the old one.
    TestServer a =
        node(
            """
            node: { lease: { ttl: 60s, renew-interval: 2s, horizon-ahead: 10s } }
            registry: { poll-interval: 50s }
            namespaces:
              order: { strategy: snowflake }
            """);
    TestServer.Response changed =
        admin(
            a,
            "PUT",
            "/v1/admin/namespaces/order",
            "{\"strategy\":\"snowflake\",\"snowflake\":{\"workerBits\":8,\"sequenceBits\":14}}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    TestServer.Response refused = a.post("/v1/namespaces/order/ids");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(message(refused))
        .isEqualTo(
            "namespace order changed in the registry (revision 3): layout 41/10/12 is now 41/8/14;"
                + " this node applies it within a moment, retry");
    // The node's own file still says 41/10/12, so once it applied the registry it refuses.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(message(a.post("/v1/namespaces/order/ids")))
                    .startsWith(
                        "namespace order: local layout 41/10/12 differs from the registry's"));
  }

  @Test
  void aNamespaceCreatedThroughTheAdminApiIsServedByEveryNode() {
    TestServer a = node(NAMESPACES);
    TestServer b = node(NAMESPACES);
    TestServer.Response created =
        admin(
            a,
            "POST",
            "/v1/admin/namespaces",
            "{\"name\":\"ticket\",\"strategy\":\"segment\",\"segment\":{\"step\":50}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("revision").asLong()).isEqualTo(1);
    assertThat(created.json().path("issued").asBoolean()).isFalse();
    assertThat(created.json().path("segment").path("minStep").asLong()).isPositive();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> b.post("/v1/namespaces/ticket/ids").status() == 200);

    TestServer.Response again =
        admin(b, "POST", "/v1/admin/namespaces", "{\"name\":\"ticket\",\"strategy\":\"segment\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(code(again)).isEqualTo("ALREADY_EXISTS");

    TestServer.Response badName =
        admin(a, "POST", "/v1/admin/namespaces", "{\"name\":\"Bad!\",\"strategy\":\"segment\"}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(message(badName)).contains("must match [a-z][a-z0-9_-]{0,62}");
    TestServer.Response badLayout =
        admin(
            a,
            "POST",
            "/v1/admin/namespaces",
            "{\"name\":\"wide\",\"strategy\":\"snowflake\",\"snowflake\":{\"workerBits\":30}}");
    assertThat(badLayout.status()).isEqualTo(400);
    assertThat(code(badLayout)).isEqualTo("INVALID_ARGUMENT");
    TestServer.Response unknownField =
        admin(
            a,
            "POST",
            "/v1/admin/namespaces",
            "{\"name\":\"x\",\"strategy\":\"segment\",\"colour\":1}");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(message(unknownField)).contains("unknown field colour");
    assertThat(admin(a, "POST", "/v1/admin/namespaces", "not json").status()).isEqualTo(400);
    assertThat(admin(a, "GET", "/v1/admin/namespaces/nope", null).status()).isEqualTo(404);
    assertThat(admin(a, "PUT", "/v1/admin/namespaces/nope", "{\"strategy\":\"segment\"}").status())
        .isEqualTo(404);
  }

  @Test
  void theNodeListShowsEveryNodeAndACleanStopDeregisters() {
    TestServer a = node(NAMESPACES);
    TestServer b = node(NAMESPACES);
    a.post("/v1/namespaces/order/ids?count=7");
    b.post("/v1/namespaces/invoice/ids?count=3");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode list = admin(a, "GET", "/v1/admin/nodes", null).json().path("nodes");
              assertThat(list).hasSize(2);
              JsonNode first = find(list, a);
              assertThat(first.path("state").asText()).isEqualTo("LIVE");
              assertThat(first.path("address").asText()).endsWith(":" + a.server.port());
              assertThat(first.path("worker").isInt()).isTrue();
              assertThat(first.path("leaseExpiresAt").asText()).endsWith("Z");
              assertThat(first.path("reservedUntil").asText()).endsWith("Z");
              assertThat(first.path("startedAt").asText()).endsWith("Z");
              assertThat(first.path("lastHeartbeat").asText()).endsWith("Z");
              assertThat(first.path("namespaces").path("order").path("issued").asLong())
                  .isEqualTo(7);
              assertThat(first.path("namespaces").path("order").path("bufferRemaining").isNull())
                  .isTrue();
              JsonNode second = find(list, b);
              assertThat(second.path("namespaces").path("invoice").path("issued").asLong())
                  .isEqualTo(3);
              assertThat(second.path("namespaces").path("invoice").path("bufferCapacity").asLong())
                  .isPositive();
            });
    b.close();
    nodes.remove(b);
    JsonNode list = admin(a, "GET", "/v1/admin/nodes", null).json().path("nodes");
    assertThat(list).hasSize(1);
    assertThat(find(list, a)).isNotNull();
  }

  @Test
  void aDrainedNodeStopsIssuingAndReleasesItsWorker() {
    TestServer a = node(NAMESPACES);
    TestServer b = node(NAMESPACES);
    String bId = b.server.node().owner();
    TestServer.Response drain =
        admin(a, "POST", "/v1/admin/nodes/" + bId.replace(":", "%3A") + "/drain", null);
    assertThat(drain.status()).isEqualTo(202);
    assertThat(drain.json().path("nodeId").asText()).isEqualTo(bId);
    assertThat(drain.json().path("state").asText()).isEqualTo("DRAINING");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode drained =
                  find(admin(a, "GET", "/v1/admin/nodes", null).json().path("nodes"), b);
              assertThat(drained.path("state").asText()).isEqualTo("DRAINED");
              assertThat(drained.path("worker").isNull()).isTrue();
            });
    TestServer.Response refused = b.post("/v1/namespaces/order/ids");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(message(refused)).contains("drained");
    assertThat(b.get("/health/ready").status()).isEqualTo(503);
    assertThat(a.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
    assertThat(admin(a, "POST", "/v1/admin/nodes/nobody/drain", null).status()).isEqualTo(404);
  }

  @Test
  void theAdminApiNeedsItsOwnToken() {
    TestServer off = node(NAMESPACES, Map.of());
    TestServer.Response forbidden = admin(off, "GET", "/v1/admin/nodes", null);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(code(forbidden)).isEqualTo("PERMISSION_DENIED");
    assertThat(message(forbidden)).contains("IDMINT_ADMIN_TOKEN").contains("auth.admin-token");

    TestServer on = node(NAMESPACES);
    assertThat(on.get("/v1/admin/nodes").status()).isEqualTo(401);
    TestServer.Response wrong =
        on.send(
            HttpRequest.newBuilder(URI.create(on.url + "/v1/admin/namespaces"))
                .header("Authorization", "Bearer not-the-admin-token-at-all")
                .GET()
                .build());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(code(wrong)).isEqualTo("UNAUTHENTICATED");
    assertThat(admin(on, "GET", "/v1/admin/namespaces", null).status()).isEqualTo(200);
  }

  static JsonNode find(JsonNode list, TestServer node) {
    for (JsonNode entry : list) {
      if (entry.path("nodeId").asText().equals(node.server.node().owner())) {
        return entry;
      }
    }
    throw new AssertionError("node " + node.server.node().owner() + " not listed: " + list);
  }
}
