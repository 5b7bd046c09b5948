package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.InspectRequest;
import dev.idmint.api.v1.ListNamespacesRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth matrix over real HTTP and gRPC: 401 without a token, 403 outside its namespaces or
 * without the scope (named in the error), 429 over its rate in IDs.
 */
class AuthTest {
  static final String BILLING = "billing-token-0123456789";
  static final String ALL = "all-namespaces-token-0123";
  static final String LIMITED = "limited-token-0123456789";
  static final String DECODER = "decoder-token-0123456789";
  static final String SCRAPER = "scraper-token-0123456789";
  static final String KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
  @TempDir static Path dir;
  static TestServer node;

  @BeforeAll
  static void start() {
    String yaml =
        """
        namespaces:
          order:
            strategy: snowflake
            public-id: { prefix: ord, current: 1, keys: { "1": "${KEY}" } }
          invoice: { strategy: segment }
        auth:
          tokens:
            - token: ${IDMINT_TOKEN_BILLING}
              namespaces: [invoice]
            - token: ${IDMINT_TOKEN_ALL}
              namespaces: ["*"]
            - token: ${IDMINT_TOKEN_LIMITED}
              namespaces: [order]
              rate-limit: 5
            - token: ${IDMINT_TOKEN_DECODER}
              scopes: [mint, decode]
              namespaces: [order]
            - token: ${IDMINT_TOKEN_SCRAPER}
              scopes: [metrics]
              namespaces: ["*"]
        """;
    node =
        TestServer.start(
            dir,
            null,
            yaml,
            Map.of(
                "IDMINT_TOKEN_BILLING", BILLING,
                "IDMINT_TOKEN_ALL", ALL,
                "IDMINT_TOKEN_LIMITED", LIMITED,
                "IDMINT_TOKEN_DECODER", DECODER,
                "IDMINT_TOKEN_SCRAPER", SCRAPER,
                "KEY", KEY));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static TestServer.Response get(String path, String token) {
    return node.send(
        HttpRequest.newBuilder(URI.create(node.url + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  private static void assertError(TestServer.Response response, int status, String message) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().path("error").path("message").asText()).isEqualTo(message);
  }

  @Test
  void withoutATokenEveryIdRequestIs401() {
    TestServer.Response response = node.post("/v1/namespaces/invoice/ids");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(node.get("/v1/namespaces/invoice/ids/5").status()).isEqualTo(401);
    assertThat(node.get("/v1/namespaces").status()).isEqualTo(401);
  }

  @Test
  void anUnknownTokenIs401AndAWrongSchemeToo() {
    assertThat(node.post("/v1/namespaces/invoice/ids", "not-a-real-token-xyz").status())
        .isEqualTo(401);
    TestServer.Response basic =
        node.send(
            HttpRequest.newBuilder(URI.create(node.url + "/v1/namespaces/invoice/ids"))
                .header("Authorization", "Basic " + BILLING)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(basic.status()).isEqualTo(401);
  }

  @Test
  void aTokenIsRefusedOutsideItsNamespacesAndStarMeansAll() {
    assertThat(node.post("/v1/namespaces/invoice/ids", BILLING).status()).isEqualTo(200);
    assertError(
        node.post("/v1/namespaces/order/ids", BILLING),
        403,
        "this token may not use namespace order");
    assertThat(node.post("/v1/namespaces/order/ids", ALL).status()).isEqualTo(200);
    assertThat(node.post("/v1/namespaces/invoice/ids", ALL).status()).isEqualTo(200);
  }

  @Test
  void aMintOnlyTokenCannotDecodeAndTheErrorNamesTheScope() {
    JsonNode minted = node.post("/v1/namespaces/order/ids", ALL).json();
    String raw = minted.path("ids").get(0).asText();
    String publicId = minted.path("publicIds").get(0).asText();
    assertError(
        get("/v1/namespaces/order/ids/" + publicId, ALL),
        403,
        "this token lacks the decode scope, which decoding a public ID needs");
    assertError(
        get("/v1/namespaces/order/ids/" + raw, ALL),
        403,
        "this token lacks the decode scope, which inspecting an ID of a namespace with public IDs"
            + " needs");
    JsonNode decoded = get("/v1/namespaces/order/ids/" + publicId, DECODER).json();
    assertThat(decoded.path("id").asText()).isEqualTo(raw);
    assertThat(get("/v1/namespaces/order/ids/" + raw, DECODER).json().path("publicId").asText())
        .isEqualTo(publicId);
    // Without public IDs, a raw ID tells a mint token nothing it could not read from the layout.
    String invoice =
        node.post("/v1/namespaces/invoice/ids", BILLING).json().path("ids").get(0).asText();
    assertThat(get("/v1/namespaces/invoice/ids/" + invoice, BILLING).status()).isEqualTo(200);
    assertError(
        get("/v1/namespaces/invoice/ids/" + invoice, SCRAPER),
        403,
        "this token lacks the mint scope, which inspecting an ID needs");
    assertError(
        node.post("/v1/namespaces/order/ids", SCRAPER),
        403,
        "this token lacks the mint scope, which getting IDs needs");
  }

  @Test
  void metricsNeedTheMetricsScope() {
    assertThat(node.get("/metrics").status()).isEqualTo(401);
    assertError(
        get("/metrics", ALL),
        403,
        "this token lacks the metrics scope, which reading /metrics needs");
    TestServer.Response scraped = get("/metrics", SCRAPER);
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(scraped.body()).contains("idmint_");
    assertThat(node.get("/health/ready").status()).isEqualTo(200);
  }

  @Test
  void theNamespaceListShowsOnlyWhatTheTokenMaySee() {
    JsonNode listed = get("/v1/namespaces", BILLING).json().path("namespaces");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("name").asText()).isEqualTo("invoice");
    assertThat(get("/v1/namespaces", ALL).json().path("namespaces")).hasSize(2);
    assertThat(get("/v1/namespaces/order", BILLING).status()).isEqualTo(403);
  }

  @Test
  void aTokenOverItsRateInIdsGets429WithRetryAfter() {
    assertError(
        node.post("/v1/namespaces/order/ids?count=6", LIMITED),
        429,
        "asks for 6 IDs, more than the rate limit of 5.0 IDs/s allows at once; ask for fewer per"
            + " request");
    int ids = 0;
    TestServer.Response limited = null;
    for (int i = 0; i < 50 && limited == null; i++) {
      TestServer.Response response = node.post("/v1/namespaces/order/ids?count=2", LIMITED);
      if (response.status() == 200) {
        ids += response.ids().length;
      } else {
        limited = response;
      }
    }
    assertThat(limited).isNotNull();
    assertError(limited, 429, "rate limit of 5.0 IDs/s exceeded");
    assertThat(limited.header("retry-after")).isEqualTo("1");
    assertThat(ids).as("a burst is one second's worth of IDs").isBetween(4, 10);
    assertThat(node.post("/v1/namespaces/order/ids?count=100", ALL).status())
        .as("other tokens are not limited")
        .isEqualTo(200);
  }

  @Test
  void grpcRefusesMissingScopesWithPermissionDeniedAndFiltersTheList() {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
    try {
      IdServiceGrpc.IdServiceBlockingStub mintOnly = stub(channel, ALL);
      String publicId =
          node.post("/v1/namespaces/order/ids", ALL).json().path("publicIds").get(0).asText();
      assertThatThrownBy(
              () ->
                  mintOnly.inspect(
                      InspectRequest.newBuilder().setNamespace("order").setId(publicId).build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo(
                        "this token lacks the decode scope, which decoding a public ID needs");
              });
      assertThat(
              stub(channel, DECODER)
                  .inspect(
                      InspectRequest.newBuilder().setNamespace("order").setId(publicId).build())
                  .getPublicId())
          .isEqualTo(publicId);
      assertThat(
              stub(channel, BILLING)
                  .listNamespaces(ListNamespacesRequest.getDefaultInstance())
                  .getNamespacesList())
          .extracting(dev.idmint.api.v1.Namespace::getName)
          .containsExactly("invoice");
    } finally {
      channel.shutdownNow();
    }
  }

  private static IdServiceGrpc.IdServiceBlockingStub stub(ManagedChannel channel, String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return IdServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
