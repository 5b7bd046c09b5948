package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.api.v1.AdminServiceGrpc;
import dev.idmint.api.v1.CreateNamespaceRequest;
import dev.idmint.api.v1.DrainNodeRequest;
import dev.idmint.api.v1.GetDefinitionRequest;
import dev.idmint.api.v1.ListDefinitionsRequest;
import dev.idmint.api.v1.ListNodesRequest;
import dev.idmint.api.v1.NamespaceDefinition;
import dev.idmint.api.v1.NodeInfo;
import dev.idmint.api.v1.SegmentDefinition;
import dev.idmint.api.v1.UpdateNamespaceRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API through the CLI and through gRPC, on one embedded node. */
class AdminCliAndGrpcTest {
  @TempDir static Path dir;
  static TestServer node;
  static ManagedChannel channel;

  @BeforeAll
  static void start() {
    node =
        TestServer.start(
            dir,
            null,
            """
            namespaces:
              order: { strategy: snowflake }
              invoice: { strategy: segment, segment: { step: 100 } }
            """,
            RegistryServerTest.ENV);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    node.close();
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String[] admin(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = node.url;
    all[args.length + 2] = "--admin-token";
    all[args.length + 3] = RegistryServerTest.ADMIN;
    return all;
  }

  @Test
  void theCliListsCreatesAndUpdatesNamespacesAndListsNodes() {
    Run list = run(admin("namespaces", "list"));
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("NAME").contains("order").contains("41/10/12 ms until 2094-");
    assertThat(list.out()).contains("invoice").contains("step 100");

    Run created = run(admin("namespaces", "create", "cli-ticket", "--set", "strategy=segment"));
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).contains("\"name\" : \"cli-ticket\"").contains("\"revision\" : 1");

    Run updated = run(admin("namespaces", "update", "cli-ticket", "--set", "segment.step=700"));
    assertThat(updated.code()).as(updated.err()).isZero();
    assertThat(updated.out()).contains("\"step\" : 700").contains("\"revision\" : 2");

    Run nodes = run(admin("nodes"));
    assertThat(nodes.code()).as(nodes.err()).isZero();
    assertThat(nodes.out()).contains(node.server.node().owner()).contains("LIVE");
  }

  @Test
  void cliErrorsAreOneLineWithExitCodeOne() {
    Run wrongToken = run("nodes", "--url", node.url, "--admin-token", "not-the-admin-token-at-all");
    assertThat(wrongToken.code()).isEqualTo(1);
    assertThat(wrongToken.err())
        .isEqualTo("error: the admin token is not valid (401 UNAUTHENTICATED)\n");

    assertThat(node.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
    Run unsafe = run(admin("namespaces", "update", "order", "--set", "snowflake.workerBits=8"));
    assertThat(unsafe.code()).isEqualTo(1);
    assertThat(unsafe.err())
        .startsWith(
            "error: namespace order has issued IDs, so its layout cannot change from 41/10/12 to"
                + " 41/8/12")
        .endsWith("(409 FAILED_PRECONDITION)\n");
    assertThat(unsafe.err().strip()).doesNotContain("\n");

    Run badSet = run(admin("namespaces", "update", "order", "--set", "nonsense"));
    assertThat(badSet.code()).isEqualTo(1);
    assertThat(badSet.err()).isEqualTo("error: --set needs FIELD=VALUE, was: nonsense\n");
  }

  @Test
  void grpcAdminServiceNeedsTheTokenAndAnswersLikeRest() {
    AdminServiceGrpc.AdminServiceBlockingStub anonymous = AdminServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> anonymous.listNodes(ListNodesRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + RegistryServerTest.ADMIN);
    AdminServiceGrpc.AdminServiceBlockingStub stub =
        anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

    NodeInfo self = stub.listNodes(ListNodesRequest.getDefaultInstance()).getNodes(0);
    assertThat(self.getNodeId()).isEqualTo(node.server.node().owner());
    assertThat(self.getState()).isEqualTo("LIVE");
    assertThat(self.hasWorker()).isTrue();

    assertThat(
            stub.listDefinitions(ListDefinitionsRequest.getDefaultInstance()).getNamespacesList())
        .extracting(NamespaceDefinition::getName)
        .contains("order", "invoice");
    NamespaceDefinition created =
        stub.createNamespace(
            CreateNamespaceRequest.newBuilder()
                .setDefinition(
                    NamespaceDefinition.newBuilder().setName("grpc-made").setStrategy("segment"))
                .build());
    assertThat(created.getRevision()).isEqualTo(1);
    assertThat(created.getStrategy()).isEqualTo("segment");
    assertThatThrownBy(
            () ->
                stub.createNamespace(
                    CreateNamespaceRequest.newBuilder()
                        .setDefinition(
                            NamespaceDefinition.newBuilder()
                                .setName("grpc-made")
                                .setStrategy("segment"))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    NamespaceDefinition updated =
        stub.updateNamespace(
            UpdateNamespaceRequest.newBuilder()
                .setName("grpc-made")
                .setDefinition(
                    NamespaceDefinition.newBuilder()
                        .setStrategy("segment")
                        .setSegment(SegmentDefinition.newBuilder().setStep(321)))
                .build());
    assertThat(updated.getRevision()).isEqualTo(2);
    assertThat(
            stub.getDefinition(GetDefinitionRequest.newBuilder().setName("grpc-made").build())
                .getSegment()
                .getStep())
        .isEqualTo(321);
    assertThatThrownBy(
            () -> stub.drainNode(DrainNodeRequest.newBuilder().setNodeId("nobody").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void grpcAdminMessagesAreTypedAndCarryWhatRestShows() {
    AdminServiceGrpc.AdminServiceBlockingStub stub =
        RegistryServerTest.adminStub(channel, RegistryServerTest.ADMIN);

    JsonNode rest =
        RegistryServerTest.admin(node, "GET", "/v1/admin/namespaces/order", null).json();
    NamespaceDefinition order =
        stub.getDefinition(GetDefinitionRequest.newBuilder().setName("order").build());
    assertThat(order.getName()).isEqualTo("order");
    assertThat(order.getStrategy()).isEqualTo(rest.path("strategy").asText());
    assertThat(order.getRevision()).isEqualTo(rest.path("revision").asLong());
    assertThat(order.getIssued()).isEqualTo(rest.path("issued").asBoolean());
    assertThat(order.getProblem()).isEmpty();
    assertThat(order.hasSegment()).isFalse();
    assertThat(order.hasPublicId()).isFalse();
    JsonNode snowflake = rest.path("snowflake");
    assertThat(order.getSnowflake().getTimestampBits())
        .isEqualTo(snowflake.path("timestampBits").asInt())
        .isEqualTo(41);
    assertThat(order.getSnowflake().getWorkerBits())
        .isEqualTo(snowflake.path("workerBits").asInt());
    assertThat(order.getSnowflake().getSequenceBits())
        .isEqualTo(snowflake.path("sequenceBits").asInt());
    assertThat(order.getSnowflake().getEpoch()).isEqualTo(snowflake.path("epoch").asText());
    assertThat(order.getSnowflake().getTimeUnit()).isEqualTo(snowflake.path("timeUnit").asText());
    assertThat(order.getSnowflake().getExhaustedAt())
        .isEqualTo(snowflake.path("exhaustedAt").asText())
        .startsWith("2094-");
    assertThat(order.getSnowflake().getMaxBorrowMillis())
        .isEqualTo(snowflake.path("maxBorrowMillis").asLong());
    assertThat(order.getSnowflake().getMaxBackwardMillis())
        .isEqualTo(snowflake.path("maxBackwardMillis").asLong());
    assertThat(order.getSnowflake().getRandomSequenceStart())
        .isEqualTo(snowflake.path("randomSequenceStart").asBoolean());

    NamespaceDefinition invoice =
        stub.getDefinition(GetDefinitionRequest.newBuilder().setName("invoice").build());
    JsonNode segment =
        RegistryServerTest.admin(node, "GET", "/v1/admin/namespaces/invoice", null)
            .json()
            .path("segment");
    assertThat(invoice.hasSnowflake()).isFalse();
    assertThat(invoice.getSegment().getStep())
        .isEqualTo(segment.path("step").asLong())
        .isEqualTo(100);
    assertThat(invoice.getSegment().getMinStep()).isEqualTo(segment.path("minStep").asLong());
    assertThat(invoice.getSegment().getMaxStep()).isEqualTo(segment.path("maxStep").asLong());
    assertThat(invoice.getSegment().getLoadFactor())
        .isEqualTo(segment.path("loadFactor").asDouble());
    assertThat(invoice.getSegment().getBufferDurationSeconds())
        .isEqualTo(segment.path("bufferDurationSeconds").asLong());
    assertThat(invoice.getSegment().getThreadChunk())
        .isEqualTo(segment.path("threadChunk").asInt());

    JsonNode restSelf = null;
    for (JsonNode candidate :
        RegistryServerTest.admin(node, "GET", "/v1/admin/nodes", null).json().path("nodes")) {
      if (candidate.path("nodeId").asText().equals(node.server.node().owner())) {
        restSelf = candidate;
      }
    }
    assertThat(restSelf).as("this node in REST's node list").isNotNull();
    NodeInfo self =
        stub.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList().stream()
            .filter(n -> n.getNodeId().equals(node.server.node().owner()))
            .findFirst()
            .orElseThrow();
    assertThat(self.getAddress()).isEqualTo(restSelf.path("address").asText()).isNotEmpty();
    assertThat(self.getVersion()).isEqualTo(restSelf.path("version").asText());
    assertThat(self.getCoordinator()).isEqualTo(restSelf.path("coordinator").asText());
    assertThat(self.getWorker()).isEqualTo(restSelf.path("worker").asInt());
    assertThat(self.getStartedAt()).isEqualTo(restSelf.path("startedAt").asText());
    assertThat(self.getState()).isEqualTo(restSelf.path("state").asText()).isEqualTo("LIVE");
    assertThat(self.getNamespacesMap().keySet())
        .containsExactlyInAnyOrderElementsOf(restSelf.path("namespaces")::fieldNames);
    JsonNode restInvoice = restSelf.path("namespaces").path("invoice");
    assertThat(restInvoice.path("bufferCapacity").isNumber()).isTrue();
    assertThat(self.getNamespacesOrThrow("invoice").hasBufferCapacity()).isTrue();
    assertThat(restSelf.path("namespaces").path("order").path("bufferCapacity").isNull()).isTrue();
    assertThat(self.getNamespacesOrThrow("order").hasBufferCapacity()).isFalse();
  }
}
