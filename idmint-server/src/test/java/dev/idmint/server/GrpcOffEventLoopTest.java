package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import dev.idmint.core.segment.SegmentGenerator;
import dev.idmint.testkit.TcpFaultProxy;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC call that must wait for a segment load runs off the event loop: with one event-loop thread
 * and the coordinator black-holed mid-load, {@code /health/live} and another namespace's IDs over
 * gRPC are still answered while the blocked call waits.
 */
class GrpcOffEventLoopTest {
  static final String SCHEMA = "idmint_grpc_loop_it";

  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    PostgresNodesTest.freshSchema(SCHEMA);
  }

  @Test
  void aBlockedSegmentLoadDoesNotStallTheEventLoop() throws Exception {
    String yaml =
        """
        coordinator:
          options: { user: postgres }
        namespaces:
          order: { strategy: snowflake }
          invoice: { strategy: segment, segment: { step: 100, min-step: 100, max-step: 100, await-timeout: 30s } }
        limits:
          max-count: 100000
        server:
          worker-threads: 1
          request-timeout: 120s
        """;
    try (TcpFaultProxy proxy = TcpFaultProxy.start(PostgresNodesTest.HOST, PostgresNodesTest.PORT);
        TestServer node =
            TestServer.start(
                dir,
                "jdbc:postgresql://"
                    + proxy.host()
                    + ":"
                    + proxy.port()
                    + "/test?currentSchema="
                    + SCHEMA,
                yaml,
                Map.of())) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
      try {
        IdServiceGrpc.IdServiceBlockingStub blocking = IdServiceGrpc.newBlockingStub(channel);
        // First issues recorded and the first segment loaded while the coordinator answers.
        blocking.nextIds(NextIdsRequest.newBuilder().setNamespace("order").build());
        blocking.nextIds(NextIdsRequest.newBuilder().setNamespace("invoice").build());

        proxy.blackhole();
        // More than the node holds in its current buffer and its prefetch chain (fixed step 100):
        // the call must wait for a segment from the dark coordinator. The margin is wide because
        // a prefetch already under way when the coordinator went dark may still land (with 1,000
        // it once served the whole call).
        SegmentGenerator invoice =
            (SegmentGenerator) node.server.node().namespace("invoice").orElseThrow().generator();
        int wanted = (int) (invoice.remainingInCurrent() + 100L * invoice.chainLength() + 20_000);
        assertThat(wanted).as("IDs the stalled call asks for").isLessThanOrEqualTo(100_000);
        ListenableFuture<NextIdsResponse> stalled =
            IdServiceGrpc.newFutureStub(channel)
                .nextIds(
                    NextIdsRequest.newBuilder().setNamespace("invoice").setCount(wanted).build());

        for (int i = 0; i < 20; i++) {
          assertThat(
                  node.send(
                          java.net.http.HttpRequest.newBuilder(
                                  java.net.URI.create(node.url + "/health/live"))
                              .timeout(java.time.Duration.ofSeconds(5))
                              .build())
                      .status())
              .isEqualTo(200);
          NextIdsResponse order =
              blocking
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .nextIds(NextIdsRequest.newBuilder().setNamespace("order").setCount(10).build());
          assertThat(order.getIdsCount()).isEqualTo(10);
        }
        assertThat(stalled.isDone())
            .as(
                "the invoice call still waits for its segment, so the others did not queue behind"
                    + " (it ended: %s)",
                outcome(stalled))
            .isFalse();
        proxy.restore();
        NextIdsResponse late = stalled.get(60, TimeUnit.SECONDS);
        assertThat(late.getIdsCount()).isEqualTo(wanted);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static String outcome(ListenableFuture<NextIdsResponse> call) {
    if (!call.isDone()) {
      return "still waiting";
    }
    try {
      return call.get().getIdsCount() + " IDs";
    } catch (Exception e) {
      return e.toString();
    }
  }
}
