package dev.idmint.client;

import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gRPC server that speaks {@code idmint.v1.IdService} however a test wants: well, slowly,
 * wrongly. For what a real node cannot be made to do on demand.
 */
final class FakeNode implements AutoCloseable {
  /** Answers one request; return normally after calling the observer. */
  interface Behaviour {
    void answer(NextIdsRequest request, StreamObserver<NextIdsResponse> observer, FakeNode node)
        throws Exception;
  }

  /** Shared by every fake in a test, so that fakes never hand out the same ID. */
  static final AtomicLong NEXT = new AtomicLong(1_000_000);

  final AtomicInteger requests = new AtomicInteger();
  private final Server server;
  volatile Behaviour behaviour;

  private FakeNode(Behaviour behaviour) {
    this.behaviour = behaviour;
    this.server =
        NettyServerBuilder.forPort(0)
            .addService(
                new IdServiceGrpc.IdServiceImplBase() {
                  @Override
                  public void nextIds(
                      NextIdsRequest request, StreamObserver<NextIdsResponse> observer) {
                    requests.incrementAndGet();
                    try {
                      FakeNode.this.behaviour.answer(request, observer, FakeNode.this);
                    } catch (Exception e) {
                      observer.onError(e);
                    }
                  }
                })
            .build();
  }

  static FakeNode start(Behaviour behaviour) {
    FakeNode node = new FakeNode(behaviour);
    try {
      node.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return node;
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  /** A good answer: fresh IDs, with public IDs {@code pub_<id>} if asked to. */
  static NextIdsResponse.Builder ids(NextIdsRequest request, boolean withPublic) {
    int count = Math.max(1, request.getCount());
    long first = NEXT.getAndAdd(count);
    NextIdsResponse.Builder response =
        NextIdsResponse.newBuilder().setNamespace(request.getNamespace());
    for (long id = first; id < first + count; id++) {
      response.addIds(id);
      if (withPublic) {
        response.addPublicIds("pub_" + id);
      }
    }
    return response;
  }

  /**
   * A good uuid7 answer: fresh version 7 UUIDs (variant 10), time-ordered, their low bits from
   * {@link #NEXT}.
   */
  static NextIdsResponse.Builder uuids(NextIdsRequest request) {
    int count = Math.max(1, request.getCount());
    long first = NEXT.getAndAdd(count);
    NextIdsResponse.Builder response =
        NextIdsResponse.newBuilder().setNamespace(request.getNamespace());
    long millis = 0x0190_0000_0000L;
    for (long n = first; n < first + count; n++) {
      long msb = (millis << 16) | 0x7000L | (n >>> 48 & 0xfff);
      long lsb = 0x8000_0000_0000_0000L | (n & 0x3fff_ffff_ffff_ffffL);
      response.addUuids(new java.util.UUID(msb, lsb).toString());
    }
    return response;
  }

  /** A good pattern answer: {@code ORD-20261201-<n>}, {@code n} from {@link #NEXT}. */
  static NextIdsResponse.Builder numbers(NextIdsRequest request) {
    int count = Math.max(1, request.getCount());
    long first = NEXT.getAndAdd(count);
    NextIdsResponse.Builder response =
        NextIdsResponse.newBuilder().setNamespace(request.getNamespace());
    for (long n = first; n < first + count; n++) {
      response.addNumbers(String.format("ORD-20261201-%09d", n));
    }
    return response;
  }

  static final Behaviour GOOD_UUIDS =
      (request, observer, node) -> {
        observer.onNext(uuids(request).build());
        observer.onCompleted();
      };

  static final Behaviour GOOD_NUMBERS =
      (request, observer, node) -> {
        observer.onNext(numbers(request).build());
        observer.onCompleted();
      };

  static final Behaviour GOOD =
      (request, observer, node) -> {
        observer.onNext(ids(request, false).build());
        observer.onCompleted();
      };

  static final Behaviour GOOD_WITH_PUBLIC_IDS =
      (request, observer, node) -> {
        observer.onNext(ids(request, true).build());
        observer.onCompleted();
      };

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
