package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The circuit breaker and the choice of endpoint, on a manual clock and no network. */
class EndpointTest {
  long now = 1_000_000_000L;
  final Ticker ticker = () -> now;

  Endpoint endpoint(String name, boolean healthChecks) {
    ClientConfig config =
        IdMintClient.builder()
            .endpoints(name)
            .failureThreshold(3)
            .setAside(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .healthChecks(healthChecks)
            .config();
    return new Endpoint(config.endpoints().get(0), config, ticker, address -> null);
  }

  void advance(long millis) {
    now += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void opensAfterTheThresholdAndComesBackOnlyThroughAPassingProbeAndATrial() {
    Endpoint e = endpoint("a:1", true);
    e.onFailure("UNAVAILABLE", true, -1);
    e.onFailure("UNAVAILABLE", true, -1);
    assertThat(e.mode()).isEqualTo(Endpoint.Mode.CLOSED);
    e.onFailure("UNAVAILABLE: down", true, -1);
    assertThat(e.mode()).isEqualTo(Endpoint.Mode.OPEN);
    assertThat(e.health().state()).isEqualTo(EndpointHealth.State.SET_ASIDE);
    assertThat(e.health().lastFailure()).isEqualTo("UNAVAILABLE: down");
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_LAST_RESORT);

    assertThat(e.probeDue(now)).as("not probed while set aside").isFalse();
    advance(1_000);
    assertThat(e.probeDue(now)).isTrue();
    e.onProbe(new HealthProbe.Result(HealthProbe.Outcome.READY, "ready"));
    assertThat(e.mode()).isEqualTo(Endpoint.Mode.HALF_OPEN);
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_TRIAL);
    assertThat(e.rankAndReserve(now))
        .as("one trial at a time")
        .isEqualTo(Endpoint.RANK_LAST_RESORT);
    e.onAnswer();
    assertThat(e.mode()).isEqualTo(Endpoint.Mode.CLOSED);
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_READY);
  }

  @Test
  void aFailedTrialSetsItAsideForTwiceAsLongUpToTheMax() {
    Endpoint e = endpoint("a:1", true);
    for (int i = 0; i < 3; i++) {
      e.onFailure("x", true, -1);
    }
    long[] expectedMillis = {2_000, 4_000, 4_000};
    for (long millis : expectedMillis) {
      advance(5_000);
      e.onProbe(new HealthProbe.Result(HealthProbe.Outcome.READY, "ready"));
      assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_TRIAL);
      e.onFailure("still down", true, -1);
      assertThat(e.mode()).isEqualTo(Endpoint.Mode.OPEN);
      advance(millis - 1);
      assertThat(e.probeDue(now)).isFalse();
      advance(1);
      assertThat(e.probeDue(now)).isTrue();
    }
  }

  @Test
  void withoutProbesTimeAloneAllowsATrial() {
    Endpoint e = endpoint("a:1", false);
    for (int i = 0; i < 3; i++) {
      e.onFailure("x", true, -1);
    }
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_LAST_RESORT);
    advance(1_000);
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_TRIAL);
  }

  @Test
  void notReadyAndRetryAfterRankBehindButDoNotExclude() {
    Endpoint e = endpoint("a:1", true);
    e.onProbe(new HealthProbe.Result(HealthProbe.Outcome.NOT_READY, "health probe: 503 not ready"));
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_NOT_READY);
    assertThat(e.health().state()).isEqualTo(EndpointHealth.State.NOT_READY);
    e.onProbe(new HealthProbe.Result(HealthProbe.Outcome.READY, "ready"));
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_READY);

    e.onFailure("RESOURCE_EXHAUSTED", false, TimeUnit.SECONDS.toNanos(2));
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_NOT_READY);
    assertThat(e.health().consecutiveFailures()).as("a rate limit is not a failure").isZero();
    advance(2_000);
    assertThat(e.rankAndReserve(now)).isEqualTo(Endpoint.RANK_READY);
  }

  @Test
  void probeFailuresCountTowardTheBreaker() {
    Endpoint e = endpoint("a:1", true);
    for (int i = 0; i < 3; i++) {
      e.onProbe(new HealthProbe.Result(HealthProbe.Outcome.FAILED, "health probe: refused"));
    }
    assertThat(e.mode()).isEqualTo(Endpoint.Mode.OPEN);
  }

  @Test
  void pickPrefersTrialThenReadyThenNotReadyThenSetAsideAndSpreadsTies() {
    Endpoint a = endpoint("a:1", true);
    Endpoint b = endpoint("b:1", true);
    Endpoint c = endpoint("c:1", true);
    Endpoints endpoints = new Endpoints(List.of(a, b, c));
    Set<Endpoint> firstPicks = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      firstPicks.add(endpoints.pick(Set.of(), now));
    }
    assertThat(firstPicks).as("round-robin among equals").containsExactlyInAnyOrder(a, b, c);

    for (int i = 0; i < 3; i++) {
      a.onFailure("down", true, -1);
    }
    b.onProbe(new HealthProbe.Result(HealthProbe.Outcome.NOT_READY, "503"));
    Set<Endpoint> tried = new HashSet<>();
    Endpoint first = endpoints.pick(tried, now);
    tried.add(first);
    Endpoint second = endpoints.pick(tried, now);
    tried.add(second);
    Endpoint third = endpoints.pick(tried, now);
    tried.add(third);
    assertThat(List.of(first, second, third)).containsExactly(c, b, a);
    assertThat(endpoints.pick(tried, now)).isNull();

    advance(1_000);
    a.onProbe(new HealthProbe.Result(HealthProbe.Outcome.READY, "ready"));
    assertThat(endpoints.pick(Set.of(), now)).as("the half-open trial goes first").isSameAs(a);
  }
}
