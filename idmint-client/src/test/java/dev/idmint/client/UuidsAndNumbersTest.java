package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.api.v1.NextIdsResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code nextUuid} and {@code nextNumber} against nodes that answer as uuid7 and pattern namespaces
 * do (real gRPC servers on real ports): the values exactly as the node sent them, batches across
 * several requests, failover, the strategy mismatch in every direction, and answers that are
 * refused as malformed.
 */
class UuidsAndNumbersTest {
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
        .attemptTimeout(Duration.ofMillis(500));
  }

  @Test
  void uuidsAreTheNodesOwnOneRequestPerCallAndBatchesSpanRequests() {
    List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    FakeNode node =
        closeLater(
            FakeNode.start(
                (request, observer, n) -> {
                  NextIdsResponse response = FakeNode.uuids(request).build();
                  sent.addAll(response.getUuidsList());
                  observer.onNext(response);
                  observer.onCompleted();
                }));
    IdMintClient client = closeLater(client(node).maxBatchSize(100).build());

    UUID one = client.nextUuid("evt");
    assertThat(one.version()).isEqualTo(7);
    assertThat(one.variant()).isEqualTo(2);
    assertThat(one.toString()).isEqualTo(sent.get(0));
    assertThat(client.nextUuidAsync("evt").join().toString()).isEqualTo(sent.get(1));
    assertThat(node.requests.get()).as("never buffered: one request per call").isEqualTo(2);

    List<UUID> many = client.nextUuids("evt", 250);
    assertThat(node.requests.get()).as("250 in batches of 100").isEqualTo(5);
    assertThat(many).hasSize(250).doesNotHaveDuplicates();
    assertThat(many.stream().map(UUID::toString).toList()).isEqualTo(sent.subList(2, 252));
    assertThatThrownBy(() -> many.add(one)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(client.bufferedIds("evt")).isZero();
  }

  @Test
  void numbersAreTheNodesOwnInOrderAndNeverBuffered() {
    FakeNode node = closeLater(FakeNode.start(FakeNode.GOOD_NUMBERS));
    IdMintClient client = closeLater(client(node).maxBatchSize(10).build());
    String first = client.nextNumber("ord");
    assertThat(first).matches("ORD-20261201-\\d{9}");
    List<String> next = client.nextNumbers("ord", 25);
    assertThat(next).hasSize(25).doesNotHaveDuplicates().doesNotContain(first);
    long previous = Long.parseLong(first.substring(13));
    for (String number : next) {
      long n = Long.parseLong(number.substring(13));
      assertThat(n).as("in the order the node issued them").isGreaterThan(previous);
      previous = n;
    }
    assertThat(client.nextNumberAsync("ord").join()).matches("ORD-20261201-\\d{9}");
    assertThat(node.requests.get()).isEqualTo(1 + 3 + 1);
  }

  @Test
  void uuidsFailOverLikeIds() {
    FakeNode down =
        closeLater(
            FakeNode.start(
                (request, observer, n) ->
                    observer.onError(
                        Status.UNAVAILABLE.withDescription("not ready").asRuntimeException())));
    FakeNode good = closeLater(FakeNode.start(FakeNode.GOOD_UUIDS));
    IdMintClient client = closeLater(client(down, good).healthChecks(false).build());
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertThat(seen.add(client.nextUuid("evt"))).isTrue();
    }
    assertThat(down.requests.get()).isPositive();
    assertThat(good.requests.get()).isEqualTo(20);
  }

  @Test
  void noNodeMeansUnavailableNotAMadeUpUuid() {
    FakeNode down =
        closeLater(
            FakeNode.start(
                (request, observer, n) ->
                    observer.onError(
                        Status.UNAVAILABLE.withDescription("fenced").asRuntimeException())));
    IdMintClient client =
        closeLater(
            client(down)
                .deadline(Duration.ofMillis(300))
                .attemptTimeout(Duration.ofMillis(100))
                .build());
    assertThatThrownBy(() -> client.nextUuid("evt"))
        .isInstanceOf(IdMintUnavailableException.class)
        .hasMessageContaining("UNAVAILABLE: fenced");
    assertThatThrownBy(() -> client.nextNumber("ord"))
        .isInstanceOf(IdMintUnavailableException.class)
        .hasMessageContaining("UNAVAILABLE: fenced");
  }

  @Test
  void nextIdOnAUuid7NamespaceNamesTheStrategyAndTheMethodAndIsRemembered() {
    FakeNode node = closeLater(FakeNode.start(FakeNode.GOOD_UUIDS));
    IdMintClient client = closeLater(client(node).build());
    String expected =
        "namespace evt is a uuid7 namespace and issues UUIDs: call nextUuid or nextUuids, not"
            + " nextId or nextIds (answered by "
            + node.endpoint()
            + ")";
    assertThatThrownBy(() -> client.nextId("evt"))
        .isInstanceOfSatisfying(
            IdMintStrategyMismatchException.class,
            e -> {
              assertThat(e.namespace()).isEqualTo("evt");
              assertThat(e.strategy()).isEqualTo("uuid7");
              assertThat(e.useInstead()).isEqualTo("nextUuid or nextUuids");
              assertThat(e.endpoint()).isEqualTo(node.endpoint());
            })
        .hasMessage(expected);
    int requests = node.requests.get();
    assertThatThrownBy(() -> client.nextIds("evt", 3)).hasMessage(expected);
    assertThatThrownBy(() -> client.nextIdAsync("evt").join())
        .hasCauseInstanceOf(IdMintStrategyMismatchException.class);
    assertThatThrownBy(() -> client.nextPublicId("evt"))
        .hasMessage(
            "namespace evt is a uuid7 namespace and issues UUIDs: call nextUuid or nextUuids, not"
                + " nextPublicId (answered by "
                + node.endpoint()
                + ")");
    assertThatThrownBy(() -> client.nextNumber("evt"))
        .isInstanceOf(IdMintStrategyMismatchException.class)
        .hasMessageContaining("not nextNumber or nextNumbers");
    assertThat(node.requests.get()).as("remembered: no batch burnt per call").isEqualTo(requests);
    assertThat(client.bufferedIds("evt")).as("nothing of it buffered").isZero();
    assertThat(client.nextUuid("evt").version()).as("the right method still works").isEqualTo(7);
  }

  @Test
  void nextIdWithoutPrefetchOnAPatternNamespace() {
    FakeNode node = closeLater(FakeNode.start(FakeNode.GOOD_NUMBERS));
    IdMintClient client = closeLater(client(node).prefetch(false).build());
    assertThatThrownBy(() -> client.nextId("ord"))
        .isInstanceOf(IdMintStrategyMismatchException.class)
        .hasMessage(
            "namespace ord is a pattern namespace and issues business numbers (strings): call"
                + " nextNumber or nextNumbers, not nextId or nextIds (answered by "
                + node.endpoint()
                + ")");
    assertThatThrownBy(() -> client.nextUuids("ord", 2))
        .hasMessageStartingWith(
            "namespace ord is a pattern namespace and issues business numbers (strings): call"
                + " nextNumber or nextNumbers, not nextUuid or nextUuids");
    assertThat(node.requests.get()).isEqualTo(1);
  }

  @Test
  void nextUuidOnASnowflakeNamespace() {
    FakeNode node = closeLater(FakeNode.start(FakeNode.GOOD));
    IdMintClient client = closeLater(client(node).build());
    assertThatThrownBy(() -> client.nextUuid("order"))
        .isInstanceOfSatisfying(
            IdMintStrategyMismatchException.class,
            e -> assertThat(e.strategy()).isEqualTo("snowflake or segment"))
        .hasMessage(
            "namespace order is a snowflake or segment namespace and issues numeric IDs (long):"
                + " call nextId or nextIds, not nextUuid or nextUuids (answered by "
                + node.endpoint()
                + ")");
    assertThatThrownBy(() -> client.nextNumber("order"))
        .hasMessageContaining("call nextId or nextIds, not nextNumber or nextNumbers");
    assertThat(client.nextId("order")).isPositive();
  }

  // ---- malformed answers: refused, counted against the node, served by another

  private String refused(Function<NextIdsResponse.Builder, NextIdsResponse> spoil, boolean uuid) {
    FakeNode liar =
        closeLater(
            FakeNode.start(
                (request, observer, n) -> {
                  NextIdsResponse.Builder good =
                      uuid ? FakeNode.uuids(request) : FakeNode.numbers(request);
                  observer.onNext(spoil.apply(good));
                  observer.onCompleted();
                }));
    FakeNode good = closeLater(FakeNode.start(uuid ? FakeNode.GOOD_UUIDS : FakeNode.GOOD_NUMBERS));
    IdMintClient client =
        closeLater(
            client(liar, good)
                .healthChecks(false)
                .setAside(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .build());
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Object value = uuid ? client.nextUuids("evt", 3) : client.nextNumbers("ord", 3);
      assertThat(seen.add(value)).isTrue();
    }
    assertThat(liar.requests.get()).isPositive();
    EndpointHealth health = client.endpoints().get(0);
    assertThat(health.state()).isEqualTo(EndpointHealth.State.SET_ASIDE);
    return health.lastFailure();
  }

  @Test
  void aUuidOfAnotherVersionIsRefused() {
    String failure =
        refused(r -> r.setUuids(0, "0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b").build(), true);
    assertThat(failure)
        .isEqualTo(
            "protocol error: not a version 7 UUID in canonical form:"
                + " \"0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b\"");
  }

  @Test
  void aUuidNotInCanonicalLowerCaseIsRefused() {
    String failure =
        refused(r -> r.setUuids(1, r.getUuids(1).toUpperCase(java.util.Locale.ROOT)).build(), true);
    assertThat(failure).startsWith("protocol error: not a version 7 UUID in canonical form: \"");
  }

  @Test
  void aRepeatedUuidIsRefused() {
    String failure = refused(r -> r.setUuids(2, r.getUuids(0)).build(), true);
    assertThat(failure).matches("protocol error: UUID [0-9a-f-]{36} appears twice in one answer");
  }

  @Test
  void moreUuidsThanAskedAreRefused() {
    String failure = refused(r -> r.addUuids(r.getUuids(0).replace('-', '-')).build(), true);
    assertThat(failure).isEqualTo("protocol error: asked for 3 IDs, got 4 UUIDs");
  }

  @Test
  void idsBesideUuidsAreRefused() {
    String failure = refused(r -> r.addIds(5).build(), true);
    assertThat(failure)
        .isEqualTo("protocol error: one answer carries more than one of ids, uuids and numbers");
  }

  @Test
  void aNumberWithAControlCharacterIsRefused() {
    String failure = refused(r -> r.setNumbers(0, "ORD-1\n").build(), false);
    assertThat(failure).isEqualTo("protocol error: not a business number: \"ORD-1\n\"");
  }

  @Test
  void anEmptyNumberIsRefused() {
    String failure = refused(r -> r.setNumbers(1, "").build(), false);
    assertThat(failure).isEqualTo("protocol error: not a business number: \"\"");
  }

  @Test
  void aRepeatedNumberIsRefused() {
    String failure = refused(r -> r.setNumbers(2, r.getNumbers(1)).build(), false);
    assertThat(failure)
        .matches("protocol error: number ORD-20261201-\\d{9} appears twice in one answer");
  }

  @Test
  void publicIdsBesideNumbersAreRefused() {
    String failure = refused(r -> r.addPublicIds("pub_1").build(), false);
    assertThat(failure).isEqualTo("protocol error: public IDs beside numbers");
  }
}
