package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IdMintClientBuilderTest {
  @Test
  void everyProblemIsReportedAtOnceNamingTheValue() {
    IdMintClientBuilder builder =
        IdMintClient.builder()
            .endpoints("localhost", "host:70000", "a:1", "a:1", "[::1:7070")
            .token("has space")
            .deadline(Duration.ofMillis(100))
            .attemptTimeout(Duration.ofMillis(200))
            .maxBatchSize(0)
            .prefetch("Bad", false)
            .prefetchBuffer(10, 5)
            .prefetchAhead(Duration.ZERO)
            .failureThreshold(0)
            .setAside(Duration.ofSeconds(10), Duration.ofSeconds(1))
            .healthCheckInterval(null);
    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(
            IdMintConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "endpoints[0] must be host:port with a port in [1, 65535]: \"localhost\"",
                        "endpoints[1] must be host:port with a port in [1, 65535]: \"host:70000\"",
                        "endpoints[3] is listed twice: \"a:1\"",
                        "endpoints[4] must be host:port with a port in [1, 65535]: \"[::1:7070\"",
                        "token must be printable ASCII without spaces",
                        "attemptTimeout must not exceed deadline: attemptTimeout=200ms,"
                            + " deadline=100ms",
                        "maxBatchSize must be in [1, 1000000]: maxBatchSize=0",
                        "prefetch(namespace, ...): namespace must match [a-z][a-z0-9_-]{0,62}:"
                            + " \"Bad\"",
                        "prefetchBuffer minIds must not exceed maxIds: minIds=10, maxIds=5",
                        "prefetchAhead must be positive: prefetchAhead=0ms",
                        "failureThreshold must be >= 1: failureThreshold=0",
                        "setAside initial must not exceed max: initial=10000ms, max=1000ms",
                        "healthCheckInterval must be set"))
        .hasMessageStartingWith("invalid idmint client configuration (13 problems):\n  - ");
  }

  @Test
  void endpointsAreRequired() {
    assertThatThrownBy(() -> IdMintClient.builder().build())
        .isInstanceOfSatisfying(
            IdMintConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly("endpoints: at least one host:port is required"));
  }

  @Test
  void endpointsAcceptHostnamesAndIpv6Literals() {
    ClientConfig config =
        IdMintClient.builder().endpoints("idmint-1:7070", "[::1]:7071", " 10.0.0.1:1 ").config();
    assertThat(config.endpoints())
        .extracting(Object::toString)
        .containsExactly("idmint-1:7070", "[::1]:7071", "10.0.0.1:1");
    assertThat(config.endpoints().get(1).host()).isEqualTo("::1");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    ClientConfig config = IdMintClient.builder().endpoints("a:1").config();
    assertThat(config.deadline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.attemptTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.maxBatchSize()).isEqualTo(10_000);
    assertThat(config.prefetch("order")).isTrue();
    assertThat(config.prefetchMinIds()).isEqualTo(1_000);
    assertThat(config.prefetchMaxIds()).isEqualTo(200_000);
    assertThat(config.prefetchAhead()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.failureThreshold()).isEqualTo(3);
    assertThat(config.setAside()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.setAsideMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.healthChecks()).isTrue();
    assertThat(config.healthCheckInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.token()).isNull();
    assertThat(config.tls()).isNull();
  }

  @Test
  void prefetchCanBeSwitchedPerNamespace() {
    ClientConfig config =
        IdMintClient.builder().endpoints("a:1").prefetch(false).prefetch("order", true).config();
    assertThat(config.prefetch("order")).isTrue();
    assertThat(config.prefetch("invoice")).isFalse();
  }

  @Test
  void buildingConnectsNowhereAndStartsNoThread() {
    Set<String> before = clientThreads();
    // Nothing listens on port 1: a connecting build() would fail or log, a lazy one does neither.
    try (IdMintClient client = IdMintClient.builder().endpoints("127.0.0.1:1").build()) {
      assertThat(clientThreads()).isEqualTo(before);
      assertThat(client.endpoints())
          .containsExactly(
              new EndpointHealth("127.0.0.1:1", EndpointHealth.State.AVAILABLE, 0, null));
      assertThat(client.bufferedIds("order")).isZero();
    }
  }

  @Test
  void theTokenIsNeverPrinted() {
    IdMintClient client =
        IdMintClient.builder().endpoints("a:1").token("secret-token-0123456789").build();
    try {
      assertThat(client.toString()).doesNotContain("secret").contains("token=(set)");
    } finally {
      client.close();
    }
  }

  private static Set<String> clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("idmint-client") || n.startsWith("grpc-"))
        .collect(Collectors.toSet());
  }
}
