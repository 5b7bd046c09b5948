package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.LeaseConfig;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.lease.WorkerTakenException;
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
 * The lease manager and the snowflake generator together, over the in-memory coordinator, stepped
 * through time with a manual clock shared by node and coordinator. Renewals are driven by {@link
 * LeaseManager#renewNow()}, never by the background thread, so every step is deterministic.
 */
class LeaseManagerTest {
  private static final long START = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();

  private final ManualClock clock = new ManualClock(START);
  private final InMemoryWorkerLeaseStore coordinator = new InMemoryWorkerLeaseStore(clock);
  private final SnowflakeLayout layout = SnowflakeLayout.builder().clock(clock).build();
  private final List<LeaseManager> managers = new ArrayList<>();

  private LeaseManager manager(LeaseConfig config) {
    LeaseManager manager = new LeaseManager(coordinator, config, clock);
    managers.add(manager);
    return manager;
  }

  private LeaseManager claimed(LeaseConfig config) {
    LeaseManager manager = manager(config);
    manager.renewNow();
    return manager;
  }

  private SnowflakeGenerator generator(LeaseManager leases) {
    return SnowflakeGenerator.builder(layout, leases).clock(clock).build();
  }

  @AfterEach
  void closeAll() {
    coordinator.setAvailable(true);
    managers.forEach(LeaseManager::close);
  }

  @Test
  void aClaimPublishesALeaseWithTheLocalDeadlineAndAReservedHorizon() {
    LeaseManager manager = claimed(LeaseConfig.builder("node-a").build());
    WorkerLease lease = manager.current();
    assertThat(lease.worker()).isZero();
    assertThat(lease.reservedUntilMillis()).isEqualTo(START + 10_000);
    // 30 s × (1 − 0.001) − 500 ms = 29.47 s
    assertThat(lease.validUntilNanos() - clock.monotonicNanos())
        .isEqualTo(Duration.ofMillis(29_470).toNanos());
    assertThat(coordinator.holder(0)).isEqualTo("node-a");
  }

  @Test
  void renewalsAdvanceTheHorizonWithTheClock() {
    LeaseManager manager = claimed(LeaseConfig.builder("node-a").build());
    SnowflakeGenerator generator = generator(manager);
    for (int i = 1; i <= 20; i++) {
      clock.advance(Duration.ofSeconds(2));
      manager.renewNow();
      long id = generator.nextId();
      assertThat(layout.decode(id).timestampMillis()).isEqualTo(clock.wallMillis());
    }
    assertThat(coordinator.reservedUntilMillis(0)).isEqualTo(START + 40_000 + 10_000);
  }

  @Test
  void aNodeThatCannotRenewStopsIssuingBeforeItsLeaseExpiresInTheCoordinator() {
    LeaseConfig config = LeaseConfig.builder("node-a").horizonAhead(Duration.ofSeconds(60)).build();
    LeaseManager manager = claimed(config);
    SnowflakeGenerator generator = generator(manager);
    generator.nextId();

    coordinator.setAvailable(false);
    long lastIssuedAt = clock.wallMillis();
    while (true) {
      clock.advance(Duration.ofMillis(100));
      assertThatThrownBy(manager::renewNow).isInstanceOf(CoordinatorException.class);
      try {
        generator.nextId();
        lastIssuedAt = clock.wallMillis();
      } catch (LeaseNotHeldException fenced) {
        break;
      }
    }
    assertThat(manager.isValid()).isFalse();
    assertThat(manager.lastFailure()).isInstanceOf(CoordinatorException.class);
    assertThat(lastIssuedAt - START)
        .as("fenced before the coordinator's 30 s expiry")
        .isLessThan(30_000)
        .isGreaterThanOrEqualTo(29_400);
    assertThat(coordinator.holder(0)).as("still held by the coordinator's clock").isNotNull();

    coordinator.setAvailable(true);
    manager.renewNow();
    assertThat(manager.isValid()).isTrue();
    assertThat(generator.nextId()).isPositive();
  }

  @Test
  void withTheDefaultHorizonAnOutageIsServedUntilTheHorizonRunsOut() {
    LeaseManager manager = claimed(LeaseConfig.builder("node-a").build());
    SnowflakeGenerator generator = generator(manager);
    coordinator.setAvailable(false);
    clock.advance(Duration.ofMillis(9_999));
    generator.nextId();
    clock.advance(Duration.ofMillis(2));
    assertThatThrownBy(generator::nextId).isInstanceOf(HorizonExhaustedException.class);
  }

  @Test
  void aLeaseTakenOverWhileTheNodeWasPausedIsDroppedAndANewWorkerClaimed() {
    LeaseManager paused = claimed(LeaseConfig.builder("paused").build());
    SnowflakeGenerator pausedGenerator = generator(paused);
    long before = pausedGenerator.nextId();

    clock.advance(Duration.ofSeconds(31)); // paused past its lease
    LeaseManager other = claimed(LeaseConfig.builder("other").staticWorker(0).build());
    assertThat(other.current().previousHorizonMillis()).isEqualTo(START + 10_000);
    assertThatThrownBy(pausedGenerator::nextId).isInstanceOf(LeaseNotHeldException.class);

    paused.renewNow(); // finds the claim lost, claims again
    assertThat(paused.current().worker()).isEqualTo(1);
    long after = pausedGenerator.nextId();
    assertThat(layout.decode(after).worker()).isEqualTo(1);
    assertThat(after).isGreaterThan(before);
  }

  @Test
  void aRestartWithTheClockSetBackNeverRepeatsTheCrashedNodesIds() {
    // The coordinator keeps its own clock: stepping the node's wall clock does not move it.
    ManualClock coordinatorClock = new ManualClock(START);
    InMemoryWorkerLeaseStore store = new InMemoryWorkerLeaseStore(coordinatorClock);
    LeaseConfig config = LeaseConfig.builder("node").staticWorker(3).build();
    LeaseManager first = new LeaseManager(store, config, clock);
    first.renewNow();
    SnowflakeGenerator firstGenerator = generator(first);
    long[] before = new long[50_000];
    for (int i = 0; i < before.length; i += 500) {
      firstGenerator.nextIds(before, i, 500);
      clock.advanceMillis(1);
    }
    // kill -9: no release. The new process starts once the lease expired, with its clock 1 h back.
    clock.advance(Duration.ofSeconds(31));
    coordinatorClock.advance(Duration.ofSeconds(31));
    clock.stepWall(-3_600_000);
    LeaseManager second = new LeaseManager(store, config, clock);
    managers.add(second);
    second.renewNow();
    SnowflakeGenerator secondGenerator = generator(second);
    assertThatThrownBy(secondGenerator::nextId).isInstanceOf(ClockBehindHorizonException.class);

    clock.stepWall(3_600_000);
    second.renewNow();
    long[] after = secondGenerator.nextIds(50_000);
    assertThat(after[0]).isGreaterThan(before[before.length - 1]);
    long[] all = Arrays.copyOf(before, before.length + after.length);
    System.arraycopy(after, 0, all, before.length, after.length);
    assertThat(Arrays.stream(all).distinct().count()).isEqualTo(all.length);
  }

  @Test
  void twoNodesWithTheSameStaticWorkerCannotBothRun() {
    manager(LeaseConfig.builder("first").staticWorker(9).build()).start();
    LeaseManager second = manager(LeaseConfig.builder("second").staticWorker(9).build());
    assertThatThrownBy(second::start)
        .isInstanceOf(WorkerTakenException.class)
        .hasMessage(
            "worker 9 is already claimed by first; two nodes configured with the same worker"
                + " number cannot both run");
    assertThat(second.current()).isNull();
  }

  @Test
  void moreNodesThanWorkersGetNoFreeWorker() {
    for (int i = 0; i < 4; i++) {
      claimed(LeaseConfig.builder("node-" + i).maxWorker(3).build());
    }
    LeaseManager fifth = manager(LeaseConfig.builder("node-4").maxWorker(3).build());
    assertThatThrownBy(fifth::start)
        .isInstanceOf(NoFreeWorkerException.class)
        .hasMessage(
            "no free worker: all 4 worker numbers [0, 3] are claimed; stop a node or widen"
                + " worker-bits");
  }

  @Test
  void closeReleasesTheWorkerAndStopsIssuing() {
    LeaseManager manager = claimed(LeaseConfig.builder("node-a").build());
    SnowflakeGenerator generator = generator(manager);
    generator.nextId();
    manager.close();
    assertThat(coordinator.holder(0)).isNull();
    assertThat(coordinator.reservedUntilMillis(0)).isEqualTo(START + 10_000);
    assertThatThrownBy(generator::nextId).isInstanceOf(LeaseNotHeldException.class);
  }

  @Test
  void theBackgroundRenewerKeepsTheLeaseAlive() throws Exception {
    InMemoryWorkerLeaseStore realTime =
        new InMemoryWorkerLeaseStore(dev.idmint.core.Clock.system());
    LeaseConfig fast =
        LeaseConfig.builder("node-a")
            .ttl(Duration.ofMillis(600))
            .renewInterval(Duration.ofMillis(100))
            .horizonAhead(Duration.ofMillis(300))
            .safetyMargin(Duration.ofMillis(50))
            .build();
    try (LeaseManager manager = new LeaseManager(realTime, fast, dev.idmint.core.Clock.system())) {
      manager.start();
      // Borrowing must stay well inside the horizon, or it runs into it under a tight loop.
      SnowflakeGenerator generator =
          SnowflakeGenerator.builder(SnowflakeLayout.defaults(), manager)
              .maxBorrow(Duration.ofMillis(50))
              .build();
      long deadline = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
      long issued = 0;
      while (System.nanoTime() < deadline) {
        generator.nextId();
        issued++;
      }
      assertThat(issued).isPositive();
      assertThat(manager.isValid()).isTrue();
    }
    assertThat(realTime.holder(0)).isNull();
  }

  @Test
  void unsafeTimingsAreRefusedWithEveryProblemNamed() {
    assertThatThrownBy(
            () ->
                LeaseConfig.builder(" ")
                    .ttl(Duration.ofSeconds(3))
                    .renewInterval(Duration.ofSeconds(2))
                    .horizonAhead(Duration.ofSeconds(3))
                    .build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("invalid worker lease configuration: owner must not be blank: owner= ");
    assertThatThrownBy(
            () ->
                LeaseConfig.builder("node")
                    .ttl(Duration.ofSeconds(3))
                    .renewInterval(Duration.ofSeconds(2))
                    .horizonAhead(Duration.ofSeconds(3))
                    .build())
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "ttl*(1-clock-drift-rate)-safety-margin must allow at least two renewals:"
                            + " ttl=PT3S, renew-interval=PT2S, safety-margin=PT0.5S",
                        "horizon-ahead must be at least twice renew-interval, or the horizon runs"
                            + " out between renewals: horizon-ahead=PT3S, renew-interval=PT2S"));
  }
}
