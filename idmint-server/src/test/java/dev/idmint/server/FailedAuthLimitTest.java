package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.api.v1.AdminServiceGrpc;
import dev.idmint.api.v1.ListNodesRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guessing tokens costs the guesser time: failed authentications are limited per address. */
class FailedAuthLimitTest {
  static final String TOKEN = "good-token-0123456789ab";
  static final String LIMITED =
      "too many requests from this address failed authentication; try again later";
  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
  @TempDir Path dir;

  @Test
  void pastTheFailureRateAnAddressGets429BeforeItsTokenIsLookedAt() {
    String yaml =
        """
        auth:
          tokens: [ { token: %s, namespaces: ["*"] } ]
        limits: { failed-auth-rate-limit: 0.001 }
        """
            .formatted(TOKEN);
    try (TestServer node = TestServer.start(dir, null, yaml, Map.of())) {
      assertThat(node.post("/v1/namespaces/default/ids", TOKEN).status()).isEqualTo(200);
      assertThat(node.post("/v1/namespaces/default/ids", "wrong-token-0123456789").status())
          .isEqualTo(401);
      TestServer.Response limited = node.post("/v1/namespaces/default/ids", "wrong-token-01234567");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.json().path("error").path("message").asText())
          .isEqualTo("too many requests from this address failed authentication; try again later");
      assertThat(node.post("/v1/namespaces/default/ids", TOKEN).status())
          .as("while limited, even a valid token is not looked at")
          .isEqualTo(429);
    }
  }

  /** A node with an ID token, the admin token and one failed authentication allowed per address. */
  private TestServer adminNode(String name) {
    String yaml =
        """
        auth:
          tokens: [ { token: %s, namespaces: ["*"] } ]
        limits: { failed-auth-rate-limit: 0.001 }
        """
            .formatted(TOKEN);
    return TestServer.start(
        dir.resolve(name),
        "jdbc:h2:mem:failed-admin-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        yaml,
        RegistryServerTest.ENV);
  }

  private static TestServer.Response adminGet(TestServer node, String path, String token) {
    return node.send(
        HttpRequest.newBuilder(URI.create(node.url + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  @Test
  void failedAdminTokensShareTheLimitAcrossAdminRestDocsAndTheIdApi() {
    try (TestServer node = adminNode("rest")) {
      assertThat(adminGet(node, "/v1/admin/nodes", RegistryServerTest.ADMIN).status())
          .isEqualTo(200);
      assertThat(adminGet(node, "/v1/admin/nodes", "wrong-admin-token-0123456789").status())
          .isEqualTo(401);
      TestServer.Response limited = adminGet(node, "/v1/admin/nodes", "wrong-admin-token-01234567");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isEqualTo("1");
      assertThat(limited.json().path("error").path("message").asText()).isEqualTo(LIMITED);
      assertThat(adminGet(node, "/v1/admin/namespaces", RegistryServerTest.ADMIN).status())
          .as("while limited, even the admin token is not looked at")
          .isEqualTo(429);
      assertThat(adminGet(node, "/docs/", RegistryServerTest.ADMIN).status())
          .as("/docs takes the admin token, under the same limit")
          .isEqualTo(429);
      assertThat(node.post("/v1/namespaces/default/ids", TOKEN).status())
          .as("one budget per address: admin failures count against the ID API too")
          .isEqualTo(429);
    }
  }

  @Test
  void adminGrpcAnswersResourceExhaustedPastTheLimit() {
    try (TestServer node = adminNode("grpc")) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
      try {
        AdminServiceGrpc.AdminServiceBlockingStub wrong = stub(channel, "wrong-admin-token-0123");
        assertThatThrownBy(() -> wrong.listNodes(ListNodesRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        AdminServiceGrpc.AdminServiceBlockingStub right = stub(channel, RegistryServerTest.ADMIN);
        assertThatThrownBy(() -> right.listNodes(ListNodesRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                  assertThat(e.getStatus().getDescription()).isEqualTo(LIMITED);
                  assertThat(e.getTrailers())
                      .as("the admin API says when to try again, as REST's Retry-After does")
                      .isNotNull()
                      .extracting(t -> t.get(RETRY_AFTER))
                      .isEqualTo("1");
                });
        assertThat(
                adminGet(node, "/v1/admin/nodes", RegistryServerTest.ADMIN).header("retry-after"))
            .isEqualTo("1");
      } finally {
        channel.shutdownNow();
        try {
          channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static AdminServiceGrpc.AdminServiceBlockingStub stub(
      ManagedChannel channel, String token) {
    return RegistryServerTest.adminStub(channel, token);
  }
}
