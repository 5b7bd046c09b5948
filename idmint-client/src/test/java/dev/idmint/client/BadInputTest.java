package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and refused requests, against a real node: each gives its exact typed error. */
class BadInputTest {
  static final String ORDER_TOKEN = "order-token-0123456789";
  static final String ADMIN_TOKEN = "admin-token-0123456789";
  @TempDir static Path dir;
  static TestNode node;
  static IdMintClient client;

  @BeforeAll
  static void start() {
    node =
        TestNode.start(
            dir,
            0,
            null,
            """
            namespaces:
              order: { strategy: snowflake }
              invoice: { strategy: segment }
              evt: { strategy: uuid7 }
              inv: { strategy: pattern, pattern: { template: "INV-{date:yyyyMMdd}-{seq:6}" } }
              ticket:
                strategy: snowflake
                public-id: { prefix: tkt, alphabet: base62, current: 1, keys: { "1": "${KEY}" } }
            auth:
              tokens:
                - token: ${ORDER_TOKEN}
                  namespaces: [order, ticket, evt]
                - token: ${ADMIN_TOKEN}
                  namespaces: ["*"]
            """,
            Map.of(
                "ORDER_TOKEN",
                ORDER_TOKEN,
                "ADMIN_TOKEN",
                ADMIN_TOKEN,
                "KEY",
                "2B7E151628AED2A6ABF7158809CF4F3C"));
    client = builder().token(ORDER_TOKEN).build();
  }

  static IdMintClientBuilder builder() {
    return IdMintClient.builder()
        .endpoints(node.endpoint())
        .deadline(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofMillis(500));
  }

  @AfterAll
  static void stop() {
    client.close();
    node.close();
  }

  @Test
  void theHappyPathWorks() {
    assertThat(client.nextId("order")).isPositive();
    assertThat(client.nextIds("order", 5)).hasSize(5).doesNotHaveDuplicates();
    assertThat(client.nextIdAsync("order").join()).isPositive();
    assertThat(client.nextIdsAsync("order", 20_000).join()).hasSize(20_000).doesNotHaveDuplicates();
  }

  @Test
  void aNullNamespaceIsANullPointer() {
    assertThatThrownBy(() -> client.nextId(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("namespace");
    assertThatThrownBy(() -> client.nextIds(null, 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.nextPublicId(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.nextIdAsync(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aBadNameNeverLeavesTheJvm() {
    for (String bad : new String[] {"Order", "", "9lives", "a".repeat(64), "ord er"}) {
      assertThatThrownBy(() -> client.nextId(bad))
          .isInstanceOfSatisfying(
              IdMintInvalidArgumentException.class, e -> assertThat(e.endpoint()).isNull())
          .hasMessage("namespace must match [a-z][a-z0-9_-]{0,62}: \"" + bad + "\"");
    }
    assertThatThrownBy(() -> client.nextIdAsync("Order"))
        .as("argument errors are thrown, not put in the future")
        .isInstanceOf(IdMintInvalidArgumentException.class);
  }

  @Test
  void aCountOutOfRangeIsRefusedWithTheValue() {
    assertThatThrownBy(() -> client.nextIds("order", 0))
        .isInstanceOf(IdMintInvalidArgumentException.class)
        .hasMessage("count must be between 1 and 1000000, was 0");
    assertThatThrownBy(() -> client.nextIds("order", 1_000_001))
        .isInstanceOf(IdMintInvalidArgumentException.class)
        .hasMessage("count must be between 1 and 1000000, was 1000001");
    assertThatThrownBy(() -> client.nextIdsAsync("order", -1))
        .isInstanceOf(IdMintInvalidArgumentException.class)
        .hasMessage("count must be between 1 and 1000000, was -1");
  }

  @Test
  void uuidsAndNumbersCheckTheirInputAsIdsDo() {
    assertThatThrownBy(() -> client.nextUuid(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("namespace");
    assertThatThrownBy(() -> client.nextNumbers(null, 2)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.nextUuidAsync("Evt"))
        .isInstanceOfSatisfying(
            IdMintInvalidArgumentException.class, e -> assertThat(e.endpoint()).isNull())
        .hasMessage("namespace must match [a-z][a-z0-9_-]{0,62}: \"Evt\"");
    assertThatThrownBy(() -> client.nextNumber("in v"))
        .isInstanceOf(IdMintInvalidArgumentException.class)
        .hasMessage("namespace must match [a-z][a-z0-9_-]{0,62}: \"in v\"");
    assertThatThrownBy(() -> client.nextUuids("evt", 0))
        .isInstanceOf(IdMintInvalidArgumentException.class)
        .hasMessage("count must be between 1 and 1000000, was 0");
    assertThatThrownBy(() -> client.nextNumbers("inv", 1_000_001))
        .isInstanceOf(IdMintInvalidArgumentException.class)
        .hasMessage("count must be between 1 and 1000000, was 1000001");
    assertThat(client.nextUuids("evt", 3)).hasSize(3).doesNotHaveDuplicates();
    try (IdMintClient admin = builder().token(ADMIN_TOKEN).build()) {
      assertThatThrownBy(() -> admin.nextUuid("nosuch"))
          .isInstanceOf(IdMintNamespaceNotFoundException.class)
          .hasMessage("unknown namespace: nosuch (answered by " + node.endpoint() + ")");
      assertThat(admin.nextNumbers("inv", 3)).hasSize(3).doesNotHaveDuplicates();
    }
    assertThatThrownBy(() -> client.nextNumber("inv"))
        .isInstanceOf(IdMintPermissionDeniedException.class)
        .hasMessage("this token may not use namespace inv (answered by " + node.endpoint() + ")");
  }

  @Test
  void aBatchAboveTheServersLimitIsTheServersInvalidArgument() {
    try (IdMintClient big =
        builder().token(ORDER_TOKEN).prefetch(false).maxBatchSize(20_000).build()) {
      assertThatThrownBy(() -> big.nextIds("order", 15_000))
          .isInstanceOf(IdMintInvalidArgumentException.class)
          .hasMessage(
              "count must be between 1 and 10000, was 15000 (answered by " + node.endpoint() + ")");
    }
  }

  @Test
  void anUnknownNamespaceIsNotFoundAndNotRetried() {
    try (IdMintClient admin = builder().token(ADMIN_TOKEN).build()) {
      unknownNamespace(admin);
    }
  }

  private static void unknownNamespace(IdMintClient client) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.nextId("nosuch"))
        .isInstanceOfSatisfying(
            IdMintNamespaceNotFoundException.class,
            e -> {
              assertThat(e.namespace()).isEqualTo("nosuch");
              assertThat(e.endpoint()).isEqualTo(node.endpoint());
            })
        .hasMessage("unknown namespace: nosuch (answered by " + node.endpoint() + ")");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    assertThatThrownBy(() -> client.nextIdAsync("nosuch").join())
        .hasCauseInstanceOf(IdMintNamespaceNotFoundException.class);
    assertThat(client.endpoints().get(0).state())
        .as("a refused request says nothing bad about the node")
        .isEqualTo(EndpointHealth.State.AVAILABLE);
  }

  @Test
  void aMissingOrWrongTokenIsUnauthenticated() {
    try (IdMintClient anonymous = builder().build();
        IdMintClient wrong = builder().token("wrong-token-0123456789").build()) {
      assertThatThrownBy(() -> anonymous.nextId("order"))
          .isInstanceOf(IdMintUnauthenticatedException.class)
          .hasMessage(
              "a bearer token is required: Authorization: Bearer <token> (answered by "
                  + node.endpoint()
                  + ")");
      assertThatThrownBy(() -> wrong.nextIds("order", 3))
          .isInstanceOf(IdMintUnauthenticatedException.class)
          .hasMessage("the bearer token is not valid (answered by " + node.endpoint() + ")");
    }
  }

  @Test
  void aTokenWithoutTheNamespaceIsPermissionDenied() {
    assertThatThrownBy(() -> client.nextId("invoice"))
        .isInstanceOf(IdMintPermissionDeniedException.class)
        .hasMessage(
            "this token may not use namespace invoice (answered by " + node.endpoint() + ")");
  }

  @Test
  void publicIdsComeFromTheNodesCodec() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 3_000; i++) {
      String publicId = client.nextPublicId("ticket");
      assertThat(publicId).startsWith("tkt_");
      assertThat(seen.add(publicId)).isTrue();
    }
    assertThat(client.nextPublicIdAsync("ticket").join()).startsWith("tkt_");
  }

  @Test
  void aNamespaceWithoutACodecHasNoPublicIds() {
    assertThatThrownBy(() -> client.nextPublicId("order"))
        .isInstanceOf(IdMintPublicIdUnsupportedException.class)
        .hasMessageStartingWith("namespace order has no public-ID codec");
  }
}
