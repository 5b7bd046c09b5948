package dev.idmint.bench.client;

import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where benchmarks get IDs: the node named by the system property {@code idmint.endpoint} (a real
 * node started separately, for end-to-end numbers), or else an in-process stand-in that answers
 * {@code NextIds} with consecutive numbers and does nothing else, so that what is measured is the
 * client. Uses only the public API of the client and the generated stubs.
 */
final class BenchNode implements AutoCloseable {
  private final Server server;
  private final String endpoint;

  private BenchNode(Server server, String endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  static BenchNode start() {
    String external = System.getProperty("idmint.endpoint");
    if (external != null && !external.isBlank()) {
      return new BenchNode(null, external);
    }
    AtomicLong next = new AtomicLong(1);
    Server server =
        NettyServerBuilder.forPort(0)
            .maxInboundMessageSize(64 << 20)
            .addService(
                new IdServiceGrpc.IdServiceImplBase() {
                  @Override
                  public void nextIds(
                      NextIdsRequest request, StreamObserver<NextIdsResponse> observer) {
                    int count = Math.max(1, request.getCount());
                    long first = next.getAndAdd(count);
                    NextIdsResponse.Builder response =
                        NextIdsResponse.newBuilder().setNamespace(request.getNamespace());
                    for (long id = first; id < first + count; id++) {
                      response.addIds(id);
                    }
                    observer.onNext(response.build());
                    observer.onCompleted();
                  }
                })
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BenchNode(server, "127.0.0.1:" + server.getPort());
  }

  String endpoint() {
    return endpoint;
  }

  boolean inProcess() {
    return server != null;
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
