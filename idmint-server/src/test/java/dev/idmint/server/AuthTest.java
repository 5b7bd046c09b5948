package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth matrix over real HTTP: 401 without, 403 outside scope, 429 over rate. */
class AuthTest {
  static final String BILLING = "billing-token-0123456789";
  static final String ADMIN = "admin-token-0123456789ab";
  static final String LIMITED = "limited-token-0123456789";
  @TempDir static Path dir;
  static TestServer node;

  @BeforeAll
  static void start() {
    String yaml =
        """
        namespaces:
          order: { strategy: snowflake }
          invoice: { strategy: segment }
        auth:
          tokens:
            - token: ${IDMINT_TOKEN_BILLING}
              namespaces: [invoice]
            - token: ${IDMINT_TOKEN_ADMIN}
            - token: ${IDMINT_TOKEN_LIMITED}
              namespaces: [order]
              rate-limit: 5
        """;
    node =
        TestServer.start(
            dir,
            null,
            yaml,
            Map.of(
                "IDMINT_TOKEN_BILLING", BILLING,
                "IDMINT_TOKEN_ADMIN", ADMIN,
                "IDMINT_TOKEN_LIMITED", LIMITED));
  }

  @AfterAll
  static void stop() {
    node.close();
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
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(node.url + "/v1/namespaces/invoice/ids"))
                .header("Authorization", "Basic " + BILLING)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(basic.status()).isEqualTo(401);
  }

  @Test
  void aScopedTokenIsRefusedOutsideItsNamespaces() {
    assertThat(node.post("/v1/namespaces/invoice/ids", BILLING).status()).isEqualTo(200);
    TestServer.Response outside = node.post("/v1/namespaces/order/ids", BILLING);
    assertThat(outside.status()).isEqualTo(403);
    assertThat(outside.json().path("error").path("message").asText())
        .isEqualTo("this token may not use namespace order");
  }

  @Test
  void anUnscopedTokenMayUseEveryNamespace() {
    assertThat(node.post("/v1/namespaces/order/ids", ADMIN).status()).isEqualTo(200);
    assertThat(node.post("/v1/namespaces/invoice/ids", ADMIN).status()).isEqualTo(200);
  }

  @Test
  void aTokenOverItsRateGets429WithRetryAfter() {
    int ok = 0;
    TestServer.Response limited = null;
    for (int i = 0; i < 50 && limited == null; i++) {
      TestServer.Response response = node.post("/v1/namespaces/order/ids", LIMITED);
      if (response.status() == 200) {
        ok++;
      } else {
        limited = response;
      }
    }
    assertThat(limited).isNotNull();
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("retry-after")).isEqualTo("1");
    assertThat(ok).isBetween(5, 10);
    assertThat(node.post("/v1/namespaces/order/ids", ADMIN).status())
        .as("other tokens are not limited")
        .isEqualTo(200);
  }

  @Test
  void healthAndMetricsNeedNoToken() {
    assertThat(node.get("/health/ready").status()).isEqualTo(200);
    assertThat(node.get("/metrics").status()).isEqualTo(200);
  }
}
