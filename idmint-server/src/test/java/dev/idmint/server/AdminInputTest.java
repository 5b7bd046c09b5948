package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.idmint.api.v1.AdminServiceGrpc;
import dev.idmint.api.v1.GetDefinitionRequest;
import dev.idmint.api.v1.NamespaceDefinition;
import dev.idmint.api.v1.UpdateNamespaceRequest;
import dev.idmint.server.rest.JsonErrorHandler;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin definitions that cannot be parsed or that are unsafe are refused naming the field, never
 * with Java exception text; anything unexpected is a 500 with a request id.
 */
class AdminInputTest {
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
            public-id: { prefix: ord, current: 1, keys: { "1": "%s" } }
          invoice: { strategy: segment }
        """
            .formatted(KEY);
    node =
        TestServer.start(
            dir,
            "jdbc:h2:mem:admin-input-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            yaml,
            Map.of("IDMINT_ADMIN_TOKEN", RegistryServerTest.ADMIN));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static ObjectNode order() {
    return (ObjectNode)
        RegistryServerTest.admin(node, "GET", "/v1/admin/namespaces/order", null).json();
  }

  private static void refused(TestServer.Response response, String message) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().path("error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(response.json().path("error").path("message").asText())
        .contains(message)
        .doesNotContain("Exception", "java.");
  }

  @Test
  void anUnparsableNumberIs400NamingTheFieldOverRestAndInvalidArgumentOverGrpc() {
    ObjectNode definition = order();
    ((ObjectNode) definition.path("snowflake"))
        .put("maxBorrowMillis", new java.math.BigInteger("99999999999999999999"));
    String text = definition.toString();
    assertThat(text).contains("\"maxBorrowMillis\":99999999999999999999");
    String expected =
        "snowflake.maxBorrowMillis must be a whole number of milliseconds between 0 and"
            + " 9223372036854775807: 99999999999999999999";
    refused(RegistryServerTest.admin(node, "PUT", "/v1/admin/namespaces/order", text), expected);

    // gRPC's typed int64 cannot carry a number that does not fit a long; a negative one it can, and
    // that is refused naming the field over both protocols.
    ((ObjectNode) definition.path("snowflake")).put("maxBorrowMillis", -1);
    String negative =
        "snowflake.maxBorrowMillis must be a whole number of milliseconds between 0 and"
            + " 9223372036854775807: -1";
    refused(
        RegistryServerTest.admin(node, "PUT", "/v1/admin/namespaces/order", definition.toString()),
        negative);

    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + RegistryServerTest.ADMIN);
      AdminServiceGrpc.AdminServiceBlockingStub stub =
          AdminServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      NamespaceDefinition current =
          stub.getDefinition(GetDefinitionRequest.newBuilder().setName("order").build());
      NamespaceDefinition.Builder changed = current.toBuilder();
      changed.getSnowflakeBuilder().setMaxBorrowMillis(-1);
      assertThatThrownBy(
              () ->
                  stub.updateNamespace(
                      UpdateNamespaceRequest.newBuilder()
                          .setName("order")
                          .setDefinition(changed)
                          .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains(negative);
              });
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aDurationTooLargeForJavaIsAProblemNotAnException() {
    ObjectNode definition = order();
    ((ObjectNode) definition.path("snowflake")).put("maxBackwardMillis", Long.MAX_VALUE);
    refused(
        RegistryServerTest.admin(node, "PUT", "/v1/admin/namespaces/order", definition.toString()),
        "snowflake.max-backward must be at most 100ms");
  }

  @Test
  void maxBackwardHasAnUpperBound() {
    ObjectNode definition = order();
    ((ObjectNode) definition.path("snowflake")).put("maxBackwardMillis", 101);
    refused(
        RegistryServerTest.admin(node, "PUT", "/v1/admin/namespaces/order", definition.toString()),
        "snowflake.max-backward must be at most 100ms (a request waits out a step back of up to"
            + " this long): max-backward=101ms");
    ((ObjectNode) definition.path("snowflake")).put("maxBackwardMillis", 100);
    assertThat(
            RegistryServerTest.admin(
                    node, "PUT", "/v1/admin/namespaces/order", definition.toString())
                .status())
        .isEqualTo(200);
  }

  @Test
  void aNewNamespaceMayNotReuseAnotherOnesPublicIdPrefix() {
    refused(
        RegistryServerTest.admin(
            node,
            "POST",
            "/v1/admin/namespaces",
            "{\"name\":\"orders2\",\"strategy\":\"segment\","
                + "\"publicId\":{\"prefix\":\"ord\",\"alphabet\":\"base62\",\"current\":\"1\"}}"),
        "publicId.prefix \"ord\" is already the prefix of namespace order; a public ID of one"
            + " would decode under the other");
  }

  @Test
  void anUnexpectedExceptionIsA500WithARequestIdAndNoInternals() {
    ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(HttpMethod.GET, "/x"));
    AggregatedHttpResponse response =
        new JsonErrorHandler()
            .onServiceException(ctx, new IllegalStateException("secret internal detail"))
            .aggregate()
            .join();
    assertThat(response.status().code()).isEqualTo(500);
    assertThat(response.contentUtf8())
        .contains("\"code\":\"INTERNAL\"", "request id " + ctx.id().text())
        .doesNotContain("secret internal detail", "IllegalStateException");
  }
}
