package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.ClockSkewException;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.LeaseConfig;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md rule 8 in the lease layer: a node whose wall clock disagrees with the coordinator's
 * clock, or trails the highest horizon of any worker, issues no snowflake ID, says why, records no
 * horizon from the wrong clock, and serves again by itself once a renewal finds the clocks
 * agreeing. Node and coordinator have separate manual clocks; renewals are driven by hand.
 */
class ClockAgreementTest {
  private static final long START = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000;

  private final ManualClock nodeClock = new ManualClock(START);
  private final ManualClock coordinatorClock = new ManualClock(START);
  private final InMemoryWorkerLeaseStore coordinator =
      new InMemoryWorkerLeaseStore(coordinatorClock);
  private final SnowflakeLayout layout = SnowflakeLayout.builder().clock(nodeClock).build();
  private final List<LeaseManager> managers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    managers.forEach(LeaseManager::close);
  }

  private LeaseManager claimed(WorkerLeaseStore store, String owner) {
    LeaseManager manager = new LeaseManager(store, LeaseConfig.builder(owner).build(), nodeClock);
    managers.add(manager);
    manager.renewNow();
    return manager;
  }

  private SnowflakeGenerator generator(LeaseManager leases) {
    return SnowflakeGenerator.builder(layout, leases).clock(nodeClock).build();
  }

  @Test
  void aNodeBehindTheCoordinatorsClockRefusesWithTheReasonAndRecoversByItself() {
    nodeClock.stepWall(-2_000);
    LeaseManager manager = claimed(coordinator, "node-a");
    SnowflakeGenerator generator = generator(manager);

    assertThatThrownBy(generator::nextId)
        .isInstanceOf(ClockSkewException.class)
        .hasMessageStartingWith(
            "this node's wall clock is 2000 ms behind the in-memory coordinator's clock, more"
                + " than max-clock-skew (1000 ms)")
        .hasMessageContaining("fix this machine's time synchronisation (NTP");
    assertThat(generator.probe()).isInstanceOf(ClockSkewException.class);
    assertThat(manager.clockSkewMillis()).isEqualTo(-2_000);
    // The claim holds the worker, but the wrong clock recorded no horizon.
    assertThat(coordinator.holder(0)).isEqualTo("node-a");
    assertThat(coordinator.reservedUntilMillis(0)).isZero();

    nodeClock.stepWall(2_000);
    manager.renewNow();
    assertThat(manager.clockSkewMillis()).isZero();
    assertThat(generator.probe()).isNull();
    assertThat(layout.decode(generator.nextId()).timestamp().toEpochMilli()).isEqualTo(START);
  }

  @Test
  void aNodeAnHourAheadNeverPushesAHorizonAhead() {
    nodeClock.stepWall(HOUR);
    LeaseManager manager = claimed(coordinator, "node-a");
    SnowflakeGenerator generator = generator(manager);

    assertThatThrownBy(generator::nextId)
        .isInstanceOf(ClockSkewException.class)
        .hasMessageStartingWith(
            "this node's wall clock is 3600000 ms ahead of the in-memory coordinator's clock");
    manager.renewNow();
    assertThatThrownBy(generator::nextId).isInstanceOf(ClockSkewException.class);
    assertThat(coordinator.reservedUntilMillis(0)).isZero();
    // Another node with a right clock is not held back by the wrong one.
    LeaseManager other =
        new LeaseManager(coordinator, LeaseConfig.builder("node-b").build(), coordinatorClock);
    managers.add(other);
    other.renewNow();
    assertThat(other.current().clockSkew()).isNull();
    assertThat(coordinator.reservedUntilMillis(1)).isEqualTo(START + 10_000);

    nodeClock.stepWall(-HOUR);
    manager.renewNow();
    generator.nextId();
    assertThat(coordinator.reservedUntilMillis(0)).isEqualTo(START + 10_000);
  }

  @Test
  void aDisagreementWithinMaxClockSkewServes() {
    nodeClock.stepWall(-900);
    LeaseManager manager = claimed(coordinator, "node-a");
    assertThat(generator(manager).nextIds(10)).hasSize(10);
    assertThat(manager.clockSkewMillis()).isEqualTo(-900);
  }

  @Test
  void aRunningNodeSteppedAnHourBackStopsAtItsNextRenewalAndNeverGoesBelow() {
    LeaseManager manager = claimed(coordinator, "node-a");
    SnowflakeGenerator generator = generator(manager);
    long before = generator.nextIds(1_000)[999];

    nodeClock.stepWall(-HOUR);
    manager.renewNow();
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(ClockSkewException.class)
        .hasMessageStartingWith("this node's wall clock is 3600000 ms behind");

    nodeClock.stepWall(HOUR);
    manager.renewNow();
    assertThat(generator.nextId()).isGreaterThan(before);
  }

  /**
   * A clock stepped an hour ahead is read by the generator before the next renewal sees the skew;
   * that reading must not hold the node back for an hour once the clock is fixed: nothing beyond
   * the reserved horizon was issued, so only the horizon counts as time already used.
   */
  @Test
  void aRunningNodeSteppedAnHourAheadServesAgainOnceItsClockIsFixed() {
    LeaseManager manager = claimed(coordinator, "node-a");
    SnowflakeGenerator generator = generator(manager);
    long before = generator.nextIds(1_000)[999];

    nodeClock.stepWall(HOUR);
    nodeClock.advanceMillis(2);
    assertThatThrownBy(generator::nextId).isInstanceOf(HorizonExhaustedException.class);
    manager.renewNow();
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(ClockSkewException.class)
        .hasMessageStartingWith("this node's wall clock is 3600002 ms ahead");
    assertThat(coordinator.reservedUntilMillis(0)).isEqualTo(START + 10_000);

    nodeClock.stepWall(-HOUR);
    manager.renewNow();
    // The generator waits out the time it may have used (at most up to the old horizon), not the
    // hour it read.
    nodeClock.advance(LeaseConfig.builder("node-a").build().horizonAhead());
    long after = generator.nextId();
    assertThat(after).isGreaterThan(before);
    assertThat(layout.decode(after).timestamp().toEpochMilli())
        .isLessThanOrEqualTo(nodeClock.wallMillis());
  }

  /**
   * Embedded H2 has no clock of its own: a node restarted an hour back claims a never-used worker
   * (nothing of its own to wait for) and is stopped by the highest horizon of any worker.
   */
  @Test
  void withoutACoordinatorClockARestartAnHourBackIsStoppedByTheHighestHorizon() {
    WorkerLeaseStore noClock = new WithoutClock(coordinator);
    LeaseManager first = claimed(noClock, "first");
    long[] before = generator(first).nextIds(5_000);
    first.close();

    nodeClock.stepWall(-HOUR);
    LeaseManager second =
        new LeaseManager(noClock, LeaseConfig.builder("second").staticWorker(1).build(), nodeClock);
    managers.add(second);
    second.renewNow();
    SnowflakeGenerator restarted = generator(second);
    assertThatThrownBy(restarted::nextId)
        .isInstanceOf(ClockSkewException.class)
        .hasMessageStartingWith(
            "this node's wall clock is 3600000 ms behind the highest reserved horizon of any"
                + " worker minus horizon-ahead");
    assertThat(second.clockSkewMillis()).isEqualTo(-HOUR);

    nodeClock.stepWall(HOUR).advanceMillis(5); // past the ticks the first node borrowed
    second.renewNow();
    long[] after = restarted.nextIds(5_000);
    assertThat(after[0]).isGreaterThan(Arrays.stream(before).max().getAsLong());
  }

  @Test
  void maxClockSkewMustBePositiveAndBounded() {
    assertThatThrownBy(() -> LeaseConfig.builder("n").maxClockSkew(Duration.ZERO).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("max-clock-skew must be positive: max-clock-skew=PT0S");
    assertThatThrownBy(() -> LeaseConfig.builder("n").maxClockSkew(Duration.ofHours(1)).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("max-clock-skew must be at most 300 s");
    assertThat(LeaseConfig.builder("n").build().maxClockSkew()).isEqualTo(Duration.ofSeconds(1));
  }

  /** A coordinator that, like embedded H2, has no clock of its own to compare with. */
  private record WithoutClock(WorkerLeaseStore store) implements WorkerLeaseStore {
    @Override
    public LeaseGrant claim(ClaimRequest request) {
      return store.claim(request);
    }

    @Override
    public LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis) {
      return store.renew(lease, ttlMillis, reserveUntilMillis);
    }

    @Override
    public void release(LeaseGrant lease) {
      store.release(lease);
    }

    @Override
    public CoordinatorTime coordinatorTime(int maxWorker) {
      return CoordinatorTime.horizonOnly(store.coordinatorTime(maxWorker).highestHorizonMillis());
    }
  }
}
