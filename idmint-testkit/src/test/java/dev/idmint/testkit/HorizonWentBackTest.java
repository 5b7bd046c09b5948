package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.HorizonWentBackException;
import dev.idmint.core.lease.LeaseConfig;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseLostException;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coordinator restored from a backup taken before the last renewal: its horizons went back. The
 * lease manager must notice an answer below what it had seen confirmed and not publish a lease
 * under it. Driven by a manual clock and {@link LeaseManager#renewNow()}.
 */
class HorizonWentBackTest {
  private static final long START = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
  private static final LeaseConfig CONFIG =
      LeaseConfig.builder("node-a")
          .maxWorker(0)
          .ttl(Duration.ofSeconds(4))
          .renewInterval(Duration.ofMillis(250))
          .horizonAhead(Duration.ofMillis(1500))
          .build();

  private final ManualClock clock = new ManualClock(START);
  private final BackedUpStore coordinator = new BackedUpStore(clock);
  private final LeaseManager manager = new LeaseManager(coordinator, CONFIG, clock);

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void aReclaimWhosePreviousHorizonIsBelowTheConfirmedOneIsRefused() {
    coordinator.seed(0, "old-node", START - 60_000, START - 1_000); // an earlier holder, long gone
    Map<Integer, Row> backup = coordinator.backup(); // taken before this node ever claimed
    manager.renewNow();
    for (int i = 0; i < 8; i++) {
      clock.advance(Duration.ofMillis(250));
      manager.renewNow();
    }
    long confirmed = manager.current().reservedUntilMillis();
    assertThat(confirmed).isEqualTo(clock.wallMillis() + 1500);

    coordinator.restore(backup); // the claim and every renewal are gone
    clock.advance(Duration.ofMillis(250));
    assertThatThrownBy(manager::renewNow)
        .isInstanceOfSatisfying(
            HorizonWentBackException.class,
            e -> {
              assertThat(e.worker()).isZero();
              assertThat(e.recordedMillis()).isEqualTo(confirmed);
              assertThat(e.answeredMillis()).isEqualTo(START - 1_000);
            })
        .hasMessageContaining("went back from " + confirmed + " to " + (START - 1_000));
    assertThat(manager.current()).as("nothing published under the lowered horizon").isNull();
    assertThat(manager.isValid()).isFalse();
    assertThat(coordinator.rows.get(0).owner).as("the refused claim was released").isNull();

    // The refused claim itself recorded now + 1.5 s, above the confirmed horizon: the next claim
    // sees that as the previous horizon and serves again.
    clock.advance(Duration.ofMillis(250));
    manager.renewNow();
    assertThat(manager.current().previousHorizonMillis()).isGreaterThanOrEqualTo(confirmed);
    assertThat(manager.isValid()).isTrue();
  }

  @Test
  void aRenewalAnsweringALowerHorizonIsRefused() {
    manager.renewNow();
    clock.advance(Duration.ofMillis(250));
    manager.renewNow();
    long confirmed = manager.current().reservedUntilMillis();
    coordinator.answerHorizon = confirmed - 700; // a store that lost the write and says so
    clock.advance(Duration.ofMillis(250));
    assertThatThrownBy(manager::renewNow)
        .isInstanceOfSatisfying(
            HorizonWentBackException.class,
            e -> assertThat(e.answeredMillis()).isEqualTo(confirmed - 700));
    assertThat(manager.current()).isNull();
  }

  @Test
  void aReclaimAtOrAboveTheConfirmedHorizonIsAccepted() {
    manager.renewNow();
    long confirmed = manager.current().reservedUntilMillis();
    Map<Integer, Row> backup = coordinator.backup(); // taken after the claim: nothing lost
    coordinator.restore(backup);
    coordinator.rows.put(0, coordinator.rows.get(0).withToken(99)); // but claimed again meanwhile
    coordinator.rows.put(0, coordinator.rows.get(0).released());
    clock.advance(Duration.ofMillis(250));
    manager.renewNow(); // lease lost, claims again: previous horizon == confirmed, accepted
    assertThat(coordinator.rows.get(0).owner).isEqualTo("node-a");
    assertThat(manager.isValid()).isTrue();
    // The claim vanished while this node's local deadline had not passed: the coordinator lost
    // it, so the new claim is published above wall + horizon-ahead + 2 max-clock-skew.
    assertThat(manager.current().previousHorizonMillis())
        .isEqualTo(clock.wallMillis() + 1_500 + 2_000)
        .isGreaterThan(confirmed);
  }

  /**
   * A store that lost everything (Redis restarted without persistence): another node that had seen
   * the higher horizon claims the worker with a previous horizon of 0, and must not issue at or
   * below anything the lost holder may have issued.
   */
  @Test
  void aNodeThatSawTheHorizonGoBackClaimsOnlyAboveEveryHorizonThatCanHaveBeenLost() {
    Map<Integer, Row> empty = coordinator.backup();
    manager.renewNow();
    LeaseManager other =
        new LeaseManager(coordinator, LeaseConfig.builder("node-b").maxWorker(0).build(), clock);
    try {
      for (int i = 0; i < 8; i++) {
        clock.advance(Duration.ofMillis(250));
        manager.renewNow();
      }
      long lostHorizon = manager.current().reservedUntilMillis();
      SnowflakeLayout layout = SnowflakeLayout.builder().clock(clock).build();
      long issuedBefore =
          SnowflakeGenerator.builder(layout, manager).clock(clock).build().nextIds(100)[99];
      assertThatThrownBy(other::renewNow).isInstanceOf(NoFreeWorkerException.class);

      coordinator.restore(empty); // every lease and horizon gone; node-a is paused, say
      clock.advance(Duration.ofMillis(250));
      other.renewNow();
      long floor =
          clock.wallMillis()
              + other.config().horizonAhead().toMillis()
              + 2 * other.config().maxClockSkew().toMillis();
      assertThat(coordinator.rows.get(0).owner).isEqualTo("node-b");
      assertThat(other.current().previousHorizonMillis())
          .as("claimed with previous horizon 0, published above every lost horizon")
          .isEqualTo(floor)
          .isGreaterThan(lostHorizon);
      SnowflakeGenerator generator = SnowflakeGenerator.builder(layout, other).clock(clock).build();
      assertThatThrownBy(generator::nextId).isInstanceOf(ClockBehindHorizonException.class);

      clock.advance(Duration.ofMillis(floor - clock.wallMillis() + 1));
      other.renewNow();
      assertThat(other.current().previousHorizonMillis())
          .as("kept across renewals")
          .isEqualTo(floor);
      long after = generator.nextId();
      assertThat(after).isGreaterThan(issuedBefore);
      assertThat(layout.decode(after).timestamp().toEpochMilli()).isGreaterThan(lostHorizon);
    } finally {
      other.close();
    }
  }

  record Row(String owner, long token, long expiresAtMillis, long reservedUntilMillis) {
    Row withToken(long newToken) {
      return new Row(owner, newToken, expiresAtMillis, reservedUntilMillis);
    }

    Row released() {
      return new Row(null, token, 0, reservedUntilMillis);
    }
  }

  /** One worker's rows, with a backup and a restore; greatest-of horizons like the SQL stores. */
  static final class BackedUpStore implements WorkerLeaseStore {
    final Map<Integer, Row> rows = new HashMap<>();
    private final ManualClock clock;
    private long lastToken;
    Long answerHorizon;

    BackedUpStore(ManualClock clock) {
      this.clock = clock;
    }

    void seed(int worker, String owner, long expiresAtMillis, long reservedUntilMillis) {
      rows.put(worker, new Row(owner, ++lastToken, expiresAtMillis, reservedUntilMillis));
    }

    Map<Integer, Row> backup() {
      return new HashMap<>(rows);
    }

    void restore(Map<Integer, Row> backup) {
      rows.clear();
      rows.putAll(backup);
    }

    @Override
    public LeaseGrant claim(ClaimRequest request) {
      long now = clock.wallMillis();
      Row row = rows.get(0);
      if (row != null && row.owner != null && row.expiresAtMillis > now) {
        throw new NoFreeWorkerException(0);
      }
      long previous = row == null ? 0 : row.reservedUntilMillis;
      lastToken = Math.max(lastToken, row == null ? 0 : row.token) + 1;
      Row claimed =
          new Row(
              request.owner(),
              lastToken,
              now + request.ttl().toMillis(),
              Math.max(previous, request.reserveUntilMillis()));
      rows.put(0, claimed);
      return new LeaseGrant(
          0,
          claimed.owner,
          claimed.token,
          now,
          claimed.expiresAtMillis,
          claimed.reservedUntilMillis,
          previous);
    }

    @Override
    public LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis) {
      Row row = rows.get(lease.worker());
      if (row == null || row.owner == null || row.token != lease.fencingToken()) {
        throw new LeaseLostException(lease.worker(), lease.fencingToken());
      }
      long now = clock.wallMillis();
      long horizon =
          answerHorizon != null
              ? answerHorizon
              : Math.max(row.reservedUntilMillis, reserveUntilMillis);
      Row renewed = new Row(row.owner, row.token, now + ttlMillis, horizon);
      rows.put(lease.worker(), renewed);
      return new LeaseGrant(
          lease.worker(),
          row.owner,
          row.token,
          now,
          renewed.expiresAtMillis,
          horizon,
          lease.previousHorizonMillis());
    }

    @Override
    public CoordinatorTime coordinatorTime(int maxWorker) {
      long highest = rows.values().stream().mapToLong(Row::reservedUntilMillis).max().orElse(0);
      return CoordinatorTime.of("the test store's clock", clock.wallMillis(), highest);
    }

    @Override
    public void release(LeaseGrant lease) {
      Row row = rows.get(lease.worker());
      if (row != null && row.token == lease.fencingToken()) {
        rows.put(lease.worker(), row.released());
      }
    }
  }
}
