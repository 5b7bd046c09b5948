package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseLostException;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkerLeaseStore} must do, run against its real engine. A store module extends
 * this class once per engine and supplies clients; the tests use real time with short leases, since
 * only the coordinator's own clock may decide expiry.
 *
 * <p>Each test starts from an empty worker table: {@link #newStore()} may be called several times
 * per test and every call must return a new client of the same, shared coordinator state.
 */
public abstract class WorkerLeaseStoreContract {
  private static final Duration SHORT_TTL = Duration.ofMillis(800);
  private final AtomicInteger owners = new AtomicInteger();

  /** A new client of the coordinator under test; state is shared between the clients of a test. */
  protected abstract WorkerLeaseStore newStore();

  /**
   * Whether the coordinator has a clock of its own to compare a node's with; embedded H2 runs on
   * the node's clock and reports none ({@link CoordinatorTime#horizonOnly}).
   */
  protected boolean coordinatorHasClock() {
    return true;
  }

  /** A new owner name, unique within the test class instance. */
  protected String owner() {
    return "node-" + owners.incrementAndGet();
  }

  private static ClaimRequest any(String owner, int maxWorker, Duration ttl, long reserveUntil) {
    return new ClaimRequest(owner, OptionalInt.empty(), maxWorker, ttl, reserveUntil);
  }

  private static ClaimRequest exactly(String owner, int worker, Duration ttl, long reserveUntil) {
    return new ClaimRequest(owner, OptionalInt.of(worker), 1023, ttl, reserveUntil);
  }

  @Test
  void coordinatorTimeReportsTheHighestHorizonOfAnyWorkerEverRecorded() {
    WorkerLeaseStore store = newStore();
    assertThat(store.coordinatorTime(1023).highestHorizonMillis()).isZero();
    LeaseGrant low = store.claim(exactly(owner(), 5, Duration.ofSeconds(30), 2_000_000));
    store.claim(exactly(owner(), 700, Duration.ofSeconds(30), 3_000_000));
    assertThat(newStore().coordinatorTime(1023).highestHorizonMillis()).isEqualTo(3_000_000);
    LeaseGrant renewed = store.renew(low, 30_000, 4_000_000);
    assertThat(newStore().coordinatorTime(1023).highestHorizonMillis()).isEqualTo(4_000_000);
    // The horizon outlives the claim: a restarted node still compares with it.
    store.release(renewed);
    assertThat(newStore().coordinatorTime(1023).highestHorizonMillis()).isEqualTo(4_000_000);
  }

  @Test
  void coordinatorTimeReadsTheCoordinatorsOwnClock() {
    long before = System.currentTimeMillis();
    CoordinatorTime time = newStore().coordinatorTime(1023);
    long after = System.currentTimeMillis();
    if (!coordinatorHasClock()) {
      assertThat(time.clockMillis()).isEmpty();
      return;
    }
    // The engines under test run on this machine, so their clocks agree with the test's.
    assertThat(time.clockMillis()).isPresent();
    assertThat(time.clockMillis().getAsLong()).isBetween(before - 1_000, after + 1_000);
    assertThat(time.clockSource()).isNotBlank();
  }

  @Test
  void aClaimReportsTheCoordinatorsTimeAndTheGrantedTtl() {
    LeaseGrant grant = newStore().claim(any(owner(), 1023, Duration.ofSeconds(30), 1_000));
    assertThat(grant.ttlMillis()).isBetween(29_000L, 30_000L);
    assertThat(grant.worker()).isBetween(0, 1023);
    assertThat(grant.reservedUntilMillis()).isGreaterThanOrEqualTo(1_000);
  }

  @Test
  void claimantsBeyondTheNumberOfWorkersGetNoFreeWorkerAndNeverAReusedNumber() throws Exception {
    WorkerLeaseStore first = newStore();
    WorkerLeaseStore second = newStore();
    int maxWorker = 1023;
    int claimants = 1100;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < claimants; i++) {
        WorkerLeaseStore store = i % 2 == 0 ? first : second;
        String owner = owner();
        Callable<Integer> claim =
            () -> {
              try {
                return store.claim(any(owner, maxWorker, Duration.ofMinutes(5), 0)).worker();
              } catch (NoFreeWorkerException e) {
                return -1;
              }
            };
        results.add(pool.submit(claim));
      }
      Set<Integer> held = new HashSet<>();
      int refused = 0;
      for (Future<Integer> result : results) {
        int worker = result.get();
        if (worker < 0) {
          refused++;
        } else {
          assertThat(held.add(worker)).as("worker %d handed out twice", worker).isTrue();
        }
      }
      assertThat(held).hasSize(maxWorker + 1);
      assertThat(refused).isEqualTo(claimants - (maxWorker + 1));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStaticWorkerHeldByAnotherNodeIsRefused() {
    WorkerLeaseStore store = newStore();
    store.claim(exactly("first", 7, Duration.ofMinutes(5), 0));
    assertThatThrownBy(() -> newStore().claim(exactly("second", 7, Duration.ofMinutes(5), 0)))
        .isInstanceOf(WorkerTakenException.class)
        .hasMessageContaining("worker 7 is already claimed by first");
  }

  @Test
  void anExpiredLeaseIsTakenOverOnlyAfterExpiryAndPassesOnItsHorizon() throws Exception {
    WorkerLeaseStore store = newStore();
    long horizon = 5_000_000L;
    LeaseGrant first = store.claim(exactly("first", 3, SHORT_TTL, horizon));
    assertThatThrownBy(() -> newStore().claim(exactly("second", 3, SHORT_TTL, 0)))
        .isInstanceOf(WorkerTakenException.class);

    Thread.sleep(SHORT_TTL.toMillis() + 300);

    LeaseGrant second = newStore().claim(exactly("second", 3, Duration.ofMinutes(1), 10));
    assertThat(second.previousHorizonMillis()).isEqualTo(horizon);
    assertThat(second.reservedUntilMillis()).isEqualTo(horizon);
    assertThat(second.fencingToken()).isNotEqualTo(first.fencingToken());
    assertThatThrownBy(() -> store.renew(first, SHORT_TTL.toMillis(), horizon + 1))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void renewalExtendsTheLeaseAndOnlyEverRaisesTheHorizon() throws Exception {
    WorkerLeaseStore store = newStore();
    LeaseGrant grant = store.claim(exactly("node", 11, SHORT_TTL, 1_000));
    for (int i = 0; i < 3; i++) {
      Thread.sleep(SHORT_TTL.toMillis() / 2);
      grant = store.renew(grant, SHORT_TTL.toMillis(), 2_000 + i);
    }
    assertThat(grant.reservedUntilMillis()).isEqualTo(2_002);
    assertThatThrownBy(() -> newStore().claim(exactly("other", 11, SHORT_TTL, 0)))
        .as("still held: renewals kept it alive past its first ttl")
        .isInstanceOf(WorkerTakenException.class);

    LeaseGrant lowered = store.renew(grant, SHORT_TTL.toMillis(), 500);
    assertThat(lowered.reservedUntilMillis()).isEqualTo(2_002);
    assertThat(lowered.fencingToken()).isEqualTo(grant.fencingToken());
  }

  @Test
  void aRenewalAfterExpiryStillSucceedsWhileNobodyClaimedTheWorker() throws Exception {
    WorkerLeaseStore store = newStore();
    LeaseGrant grant = store.claim(exactly("node", 12, SHORT_TTL, 1_000));
    Thread.sleep(SHORT_TTL.toMillis() + 300);
    LeaseGrant renewed = store.renew(grant, SHORT_TTL.toMillis(), 3_000);
    assertThat(renewed.fencingToken()).isEqualTo(grant.fencingToken());
    assertThat(renewed.reservedUntilMillis()).isEqualTo(3_000);
  }

  @Test
  void releaseFreesTheWorkerAtOnceAndKeepsItsHorizon() {
    WorkerLeaseStore store = newStore();
    LeaseGrant grant = store.claim(exactly("node", 20, Duration.ofMinutes(5), 77_000));
    store.release(grant);
    LeaseGrant next = newStore().claim(exactly("next", 20, Duration.ofMinutes(5), 0));
    assertThat(next.previousHorizonMillis()).isEqualTo(77_000);
    assertThatThrownBy(() -> store.renew(grant, 1_000, 80_000))
        .isInstanceOf(LeaseLostException.class);
    store.release(grant); // releasing a lost claim does nothing
    assertThatThrownBy(() -> newStore().claim(exactly("third", 20, Duration.ofMinutes(5), 0)))
        .isInstanceOf(WorkerTakenException.class);
  }

  @Test
  void aFreeWorkerWithTheOldestHorizonIsPreferred() {
    WorkerLeaseStore store = newStore();
    LeaseGrant zero = store.claim(exactly("a", 0, Duration.ofMinutes(5), 9_000_000));
    LeaseGrant one = store.claim(exactly("b", 1, Duration.ofMinutes(5), 100));
    store.release(zero);
    store.release(one);
    LeaseGrant next = newStore().claim(any("c", 1, Duration.ofMinutes(5), 0));
    assertThat(next.worker()).isEqualTo(1);
  }
}
