package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.InspectRequest;
import dev.idmint.api.v1.InspectResponse;
import dev.idmint.api.v1.ListNamespacesRequest;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC contract over a real channel (grpc-java's own Netty transport) to a started node. */
class GrpcApiTest {
  @TempDir static Path dir;
  static TestServer node;
  static ManagedChannel channel;
  static IdServiceGrpc.IdServiceBlockingStub stub;

  @BeforeAll
  static void start() {
    String yaml =
        """
        namespaces:
          order: { strategy: snowflake }
          invoice: { strategy: segment }
        auth:
          tokens:
            - token: ${ORDER_TOKEN}
              namespaces: [order]
            - token: all-namespaces-token-0123
              namespaces: ["*"]
        """;
    node = TestServer.start(dir, null, yaml, Map.of("ORDER_TOKEN", "order-token-0123456789"));
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
    stub = withToken("order-token-0123456789");
  }

  static IdServiceGrpc.IdServiceBlockingStub withToken(String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return IdServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    node.close();
  }

  @Test
  void nextIdsReturnsRisingUniqueIds() {
    NextIdsResponse response =
        stub.nextIds(NextIdsRequest.newBuilder().setNamespace("order").setCount(1000).build());
    assertThat(response.getNamespace()).isEqualTo("order");
    assertThat(response.getIdsList()).hasSize(1000).doesNotHaveDuplicates().isSorted();
    assertThat(response.getPublicIdsList()).isEmpty();
  }

  /** gRPC-JSON still served: its marshaller is built at the first JSON call, not at start. */
  @Test
  void theJsonSerializationFormatStillWorks() {
    IdServiceGrpc.IdServiceBlockingStub json =
        GrpcClients.builder("http://127.0.0.1:" + node.server.port())
            .serializationFormat(GrpcSerializationFormats.JSON)
            .addHeader("authorization", "Bearer order-token-0123456789")
            .build(IdServiceGrpc.IdServiceBlockingStub.class);
    NextIdsResponse response =
        json.nextIds(NextIdsRequest.newBuilder().setNamespace("order").setCount(3).build());
    assertThat(response.getNamespace()).isEqualTo("order");
    assertThat(response.getIdsList()).hasSize(3).doesNotHaveDuplicates().allMatch(id -> id > 0);
  }

  @Test
  void aZeroCountMeansOne() {
    assertThat(
            stub.nextIds(NextIdsRequest.newBuilder().setNamespace("order").build()).getIdsCount())
        .isEqualTo(1);
  }

  @Test
  void inspectTakesAnIdApartLikeTheLayoutDoes() {
    long id = stub.nextIds(NextIdsRequest.newBuilder().setNamespace("order").build()).getIds(0);
    InspectResponse inspection =
        stub.inspect(
            InspectRequest.newBuilder().setNamespace("order").setId(Long.toString(id)).build());
    assertThat(inspection.getId()).isEqualTo(id);
    assertThat(inspection.getStrategy()).isEqualTo("snowflake");
    var parts = dev.idmint.core.snowflake.SnowflakeLayout.defaults().decode(id);
    assertThat(inspection.getTimestamp()).isEqualTo(parts.timestamp().toString());
    assertThat(inspection.getWorker()).isEqualTo(parts.worker());
    assertThat(inspection.getSequence()).isEqualTo(parts.sequence());
  }

  @Test
  void listNamespacesShowsLayouts() {
    assertThat(stub.listNamespaces(ListNamespacesRequest.getDefaultInstance()).getNamespacesList())
        .as("a token sees only its own namespaces")
        .extracting(n -> n.getName())
        .containsExactly("order");
    var namespaces =
        withToken("all-namespaces-token-0123")
            .listNamespaces(ListNamespacesRequest.getDefaultInstance());
    assertThat(namespaces.getNamespacesList())
        .extracting(n -> n.getName())
        .containsExactly("order", "invoice");
    assertThat(namespaces.getNamespaces(0).getSnowflake().getTimestampBits()).isEqualTo(41);
    assertThat(namespaces.getNamespaces(1).getSegment().getStep()).isEqualTo(1000);
  }

  @Test
  void errorsUseTheMatchingStatusCodes() {
    assertStatus(
        () -> stub.nextIds(NextIdsRequest.newBuilder().setNamespace("order").setCount(-1).build()),
        Status.Code.INVALID_ARGUMENT,
        "count must be between 1 and 10000, was -1");
    assertStatus(
        () ->
            stub.nextIds(
                NextIdsRequest.newBuilder().setNamespace("order").setCount(10_001).build()),
        Status.Code.INVALID_ARGUMENT,
        "count must be between 1 and 10000, was 10001");
    assertStatus(
        () -> stub.inspect(InspectRequest.newBuilder().setNamespace("order").setId("x").build()),
        Status.Code.INVALID_ARGUMENT,
        "not an ID of namespace order: \"x\" is not a positive decimal number below 2^63");
    assertStatus(
        () -> stub.nextIds(NextIdsRequest.newBuilder().setNamespace("invoice").build()),
        Status.Code.PERMISSION_DENIED,
        "this token may not use namespace invoice");
    assertStatus(
        () ->
            IdServiceGrpc.newBlockingStub(channel)
                .nextIds(NextIdsRequest.newBuilder().setNamespace("order").build()),
        Status.Code.UNAUTHENTICATED,
        "a bearer token is required: Authorization: Bearer <token>");
    assertStatus(
        () ->
            withToken("wrong-token-0123456789")
                .nextIds(NextIdsRequest.newBuilder().setNamespace("order").build()),
        Status.Code.UNAUTHENTICATED,
        "the bearer token is not valid");
  }

  private static void assertStatus(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isEqualTo(message);
            });
  }
}
