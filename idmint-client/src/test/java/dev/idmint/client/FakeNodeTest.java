package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.idmint.api.v1.NextIdsResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour a real node cannot be made to show on demand: slow answers, malformed answers, public
 * IDs, rate limits and {@code retry-after}. Still a real gRPC server on a real port.
 */
class FakeNodeTest {
  private final Set<AutoCloseable> open = new HashSet<>();

  private <T extends AutoCloseable> T closeLater(T resource) {
    open.add(resource);
    return resource;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : open) {
      resource.close();
    }
  }

  private IdMintClientBuilder client(FakeNode... nodes) {
    String[] endpoints = new String[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      endpoints[i] = nodes[i].endpoint();
    }
    return IdMintClient.builder()
        .endpoints(endpoints)
        .deadline(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofMillis(200));
  }

  @Test
  void publicIdsComeFromTheServerAndAreNeverAlsoHandedOutRaw() {
    FakeNode node = closeLater(FakeNode.start(FakeNode.GOOD_WITH_PUBLIC_IDS));
    IdMintClient client = closeLater(client(node).prefetchBuffer(10, 100).build());
    Set<Long> raw = new HashSet<>();
    Set<Long> behindPublic = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String publicId = client.nextPublicId("order");
      assertThat(publicId).startsWith("pub_");
      assertThat(behindPublic.add(Long.parseLong(publicId.substring(4)))).isTrue();
      assertThat(raw.add(client.nextId("order"))).isTrue();
    }
    assertThat(raw).doesNotContainAnyElementsOf(behindPublic);
    assertThat(client.nextPublicIdAsync("order").join()).startsWith("pub_");
  }

  @Test
  void publicIdsWithoutPrefetchAreOneRequestEach() {
    FakeNode node = closeLater(FakeNode.start(FakeNode.GOOD_WITH_PUBLIC_IDS));
    IdMintClient client = closeLater(client(node).prefetch(false).build());
    String first = client.nextPublicId("order");
    String second = client.nextPublicId("order");
    assertThat(first).isNotEqualTo(second);
    assertThat(node.requests.get()).isEqualTo(2);
  }

  @Test
  void aNamespaceWithoutPublicIdsFailsTypedAndIsRememberedForAWhile() {
    FakeNode node = closeLater(FakeNode.start(FakeNode.GOOD));
    IdMintClient client = closeLater(client(node).build());
    assertThatThrownBy(() -> client.nextPublicId("order"))
        .isInstanceOfSatisfying(
            IdMintPublicIdUnsupportedException.class,
            e -> {
              assertThat(e.namespace()).isEqualTo("order");
              assertThat(e.endpoint()).isEqualTo(node.endpoint());
            })
        .hasMessage(
            "namespace order has no public-ID codec: the server returned raw IDs without public"
                + " IDs (answered by "
                + node.endpoint()
                + ")");
    int requests = node.requests.get();
    assertThatThrownBy(() -> client.nextPublicId("order"))
        .isInstanceOf(IdMintPublicIdUnsupportedException.class);
    assertThat(node.requests.get()).as("no batch burnt per call").isEqualTo(requests);
    assertThat(client.nextId("order")).as("raw IDs are unaffected").isPositive();
  }

  @Test
  void aMalformedAnswerIsNeverHandedOutAndCountsAgainstTheNode() {
    FakeNode liar =
        closeLater(
            FakeNode.start(
                (request, observer, node) -> {
                  observer.onNext(
                      NextIdsResponse.newBuilder().setNamespace("order").addIds(0).build());
                  observer.onCompleted();
                }));
    FakeNode good = closeLater(FakeNode.start(FakeNode.GOOD));
    IdMintClient client =
        closeLater(
            client(liar, good)
                .prefetch(false)
                .healthChecks(false)
                .setAside(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .build());
    for (int i = 0; i < 200; i++) {
      assertThat(client.nextId("order")).isGreaterThanOrEqualTo(1_000_000);
    }
    assertThat(client.endpoints().get(0).state()).isEqualTo(EndpointHealth.State.SET_ASIDE);
    assertThat(client.endpoints().get(0).lastFailure())
        .isEqualTo("protocol error: raw IDs are positive, got 0");
  }

  @Test
  void onlyMalformedAnswersMeanUnavailableNotAMadeUpId() {
    FakeNode liar =
        closeLater(
            FakeNode.start(
                (request, observer, node) -> {
                  NextIdsResponse.Builder response = FakeNode.ids(request, false);
                  response.addIds(42); // one more than asked
                  observer.onNext(response.build());
                  observer.onCompleted();
                }));
    IdMintClient client =
        closeLater(client(liar).deadline(Duration.ofMillis(500)).prefetch(false).build());
    assertThatThrownBy(() -> client.nextId("order"))
        .isInstanceOf(IdMintUnavailableException.class)
        .hasMessageContaining(liar.endpoint() + ": ")
        .hasMessageContaining("protocol error: asked for 1 IDs, got 2");
  }

  @Test
  void aSlowNodeCostsACallAtMostTheAttemptTimeoutAndIsThenSetAside() {
    FakeNode slow =
        closeLater(
            FakeNode.start(
                (request, observer, node) -> {
                  TimeUnit.SECONDS.sleep(3);
                  FakeNode.GOOD.answer(request, observer, node);
                }));
    FakeNode good = closeLater(FakeNode.start(FakeNode.GOOD));
    IdMintClient client =
        closeLater(
            client(slow, good)
                .prefetch(false)
                .healthChecks(false)
                .setAside(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .build());
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      assertThat(client.nextId("order")).isPositive();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));
    }
    assertThat(slow.requests.get()).as("set aside after 3 slow attempts").isEqualTo(3);
    assertThat(client.endpoints().get(0).state()).isEqualTo(EndpointHealth.State.SET_ASIDE);
    assertThat(client.endpoints().get(0).lastFailure()).startsWith("DEADLINE_EXCEEDED");
  }

  @Test
  void retryAfterAndRateLimitsMoveCallsElsewhere() {
    Metadata trailers = new Metadata();
    trailers.put(RemoteCall.RETRY_AFTER, "5");
    FakeNode fenced =
        closeLater(
            FakeNode.start(
                (request, observer, node) ->
                    observer.onError(
                        Status.UNAVAILABLE
                            .withDescription("worker lease expired")
                            .asRuntimeException(trailers))));
    FakeNode limited =
        closeLater(
            FakeNode.start(
                (request, observer, node) ->
                    observer.onError(
                        Status.RESOURCE_EXHAUSTED
                            .withDescription("rate limit")
                            .asRuntimeException())));
    FakeNode good = closeLater(FakeNode.start(FakeNode.GOOD));
    IdMintClient client = closeLater(client(fenced, limited, good).prefetch(false).build());
    for (int i = 0; i < 50; i++) {
      assertThat(client.nextId("order")).isPositive();
    }
    assertThat(fenced.requests.get()).as("left alone for its retry-after").isEqualTo(1);
    EndpointHealth fencedHealth = client.endpoints().get(0);
    assertThat(fencedHealth.state()).isEqualTo(EndpointHealth.State.NOT_READY);
    assertThat(fencedHealth.lastFailure())
        .isEqualTo("UNAVAILABLE: worker lease expired, retry after 5 s");
    assertThat(client.endpoints().get(1).consecutiveFailures())
        .as("a rate limit is no fault of the node")
        .isZero();
  }

  @Test
  void whenEveryNodeFailsTheErrorNamesEachAndWhy() {
    FakeNode down =
        closeLater(
            FakeNode.start(
                (request, observer, node) ->
                    observer.onError(
                        Status.UNAVAILABLE.withDescription("fenced").asRuntimeException())));
    FakeNode broken =
        closeLater(
            FakeNode.start(
                (request, observer, node) ->
                    observer.onError(
                        Status.INTERNAL.withDescription("boom").asRuntimeException())));
    IdMintClient client =
        closeLater(client(down, broken).deadline(Duration.ofMillis(600)).prefetch(false).build());
    long start = System.nanoTime();
    CompletableFuture<Long> future = client.nextIdAsync("order");
    assertThatThrownBy(future::join)
        .hasCauseInstanceOf(IdMintUnavailableException.class)
        .cause()
        .hasMessageStartingWith(
            "no idmint endpoint served namespace order within the deadline of 600 ms")
        .hasMessageContaining(down.endpoint() + ": ")
        .hasMessageContaining("UNAVAILABLE: fenced")
        .hasMessageContaining(broken.endpoint() + ": ")
        .hasMessageContaining("INTERNAL: boom");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofMillis(900));
  }

  @Test
  void aClosedClientRefusesAndItsWaitersEnd() {
    FakeNode hanging =
        closeLater(FakeNode.start((request, observer, node) -> TimeUnit.SECONDS.sleep(5)));
    IdMintClient client =
        client(hanging)
            .deadline(Duration.ofSeconds(5))
            .attemptTimeout(Duration.ofSeconds(5))
            .build();
    CompletableFuture<Long> buffered = client.nextIdAsync("order");
    CompletableFuture<Long> direct = client.nextIdsAsync("order", 3).thenApply(ids -> ids[0]);
    await().atMost(Duration.ofSeconds(2)).until(() -> hanging.requests.get() >= 2);
    client.close();
    assertThatThrownBy(buffered::join).hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(direct::join).hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.nextId("order"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the idmint client is closed");
    assertThatThrownBy(() -> client.nextIdAsync("invoice"))
        .isInstanceOf(IllegalStateException.class);
    client.close(); // idempotent
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(
                        t -> t.isAlive() && t.getName().startsWith(clientPrefix(client) + "-")));
  }

  private static String clientPrefix(IdMintClient client) {
    String s = client.toString();
    return s.substring("IdMintClient[".length(), s.indexOf(','));
  }
}
