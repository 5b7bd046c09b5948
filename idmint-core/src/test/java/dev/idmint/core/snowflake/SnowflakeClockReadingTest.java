package dev.idmint.core.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.ClockMovedBackwardsException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.WorkerLease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The one-clock-read design of {@link SnowflakeGenerator} (see its design notes): how often each
 * clock is read, and the cases its safety argument has to cover, replayed with a manual clock whose
 * time can be moved in the middle of a call.
 */
class SnowflakeClockReadingTest {
  private static final long START = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();

  private final ManualClock manual = new ManualClock(START);
  private final InterferingClock clock = new InterferingClock(manual);
  private final SnowflakeLayout layout = SnowflakeLayout.builder().clock(manual).build();
  private final AtomicReference<WorkerLease> lease =
      new AtomicReference<>(
          new WorkerLease(
              7, 1, manual.monotonicNanos() + Duration.ofHours(1).toNanos(), START + 60_000, 0));

  private SnowflakeGenerator.Builder generator() {
    return SnowflakeGenerator.builder(layout, lease::get).clock(clock);
  }

  @Test
  void theCommonPathReadsTheMonotonicClockOnceAndTheWallClockOncePerMeasuringInterval() {
    SnowflakeGenerator generator = generator().build();
    generator.nextId(); // the first call measures
    clock.reset();

    for (int i = 0; i < 4_000; i++) {
      generator.nextId();
    }
    assertThat(clock.monotonicReads).isEqualTo(4_000);
    assertThat(clock.wallReads).isZero();

    clock.reset();
    for (int ms = 0; ms < 20; ms++) {
      manual.advance(Duration.ofMillis(1));
      for (int i = 0; i < 100; i++) {
        generator.nextId();
      }
    }
    assertThat(clock.wallReads)
        .as("one measurement per millisecond of monotonic time")
        .isEqualTo(20);
    assertThat(clock.monotonicReads).as("plus one monotonic read per measurement").isEqualTo(2_020);
  }

  @Test
  void aLeaseThatLapsesBetweenTheReadingAndTheCasYieldsNothingBeyondItsHorizon() {
    long validFor = Duration.ofSeconds(1).toNanos();
    WorkerLease shortLease =
        new WorkerLease(7, 1, manual.monotonicNanos() + validFor, START + 2_000, 0);
    lease.set(shortLease);
    SnowflakeGenerator generator = generator().build();
    generator.nextId();
    manual.advance(Duration.ofMillis(999));

    // The reading of this call is the last moment before the deadline; the thread then stalls
    // (here: time passes inside the clock) until long after it, before its CAS.
    clock.afterNextMonotonicRead(() -> manual.advance(Duration.ofSeconds(5)));
    long late = generator.nextId();

    assertThat(manual.monotonicNanos()).isGreaterThan(shortLease.validUntilNanos());
    assertThat(layout.decode(late).timestampMillis())
        .as("composed from the reading, which the lease covered, and within its horizon")
        .isEqualTo(START + 999)
        .isLessThanOrEqualTo(shortLease.reservedUntilMillis());
    assertThatThrownBy(generator::nextId)
        .as("the next call reads the clock again and is fenced")
        .isInstanceOf(LeaseNotHeldException.class);

    // Whoever claims the worker after the lapse starts above that horizon: no ID can repeat.
    WorkerLease successor =
        new WorkerLease(
            7,
            2,
            manual.monotonicNanos() + Duration.ofHours(1).toNanos(),
            START + 60_000,
            shortLease.reservedUntilMillis());
    SnowflakeGenerator next =
        SnowflakeGenerator.builder(layout, () -> successor).clock(clock).build();
    assertThat(next.nextId()).isGreaterThan(late);
  }

  @Test
  void aLeaseLostBetweenTheReadingAndTheCasThrowsTheIdAway() {
    SnowflakeGenerator generator = generator().build();
    generator.nextId();
    clock.afterNextMonotonicRead(() -> lease.set(null));
    assertThatThrownBy(generator::nextId).isInstanceOf(LeaseNotHeldException.class);
  }

  @Test
  void aWallStepBackDuringACallIsSeenByTheNextMeasurementAndNeverLowersAnId() {
    SnowflakeGenerator generator = generator().build();
    manual.advance(Duration.ofMillis(10));
    long before = generator.nextId();

    // Due for a measurement; the wall clock steps back by 2 s between the call's monotonic
    // reading and its wall reading.
    manual.advance(Duration.ofMillis(1));
    clock.afterNextMonotonicRead(() -> manual.stepWall(-2_000));
    assertThatThrownBy(generator::nextId)
        .isInstanceOfSatisfying(
            ClockMovedBackwardsException.class,
            e ->
                assertThat(e.backwardMillis())
                    .as("measured against the latest wall time measured, START + 10")
                    .isEqualTo(1_999));
    assertThatThrownBy(generator::nextId)
        .as("every call measures again while the clock is behind")
        .isInstanceOf(ClockMovedBackwardsException.class);

    manual.stepWall(1_999);
    long after = generator.nextId();
    assertThat(after).isGreaterThan(before);
    assertThat(layout.decode(after).timestampMillis())
        .as("max(derived, last): the last tick's sequence goes on")
        .isEqualTo(START + 10);
    assertThat(after).isEqualTo(before + 1);
  }

  @Test
  void aWallStepBackDuringACallAfterItsMeasurementIsSeenOnlyLaterAndChangesNoId() {
    SnowflakeGenerator generator = generator().build();
    long before = generator.nextId();
    manual.advance(Duration.ofMillis(1));
    // The step comes after this call's wall reading: the call uses the measurement from before.
    clock.afterNextWallRead(() -> manual.stepWall(-2_000));
    long during = generator.nextId();
    assertThat(during).isGreaterThan(before);
    assertThat(layout.decode(during).timestampMillis()).isEqualTo(START + 1);

    manual.advance(Duration.ofNanos(SnowflakeGenerator.REMEASURE_NANOS));
    assertThatThrownBy(generator::nextId).isInstanceOf(ClockMovedBackwardsException.class);
  }

  @Test
  void anOffsetMeasuredAgainMidBurstNeverLowersAnIdNorPassesTheHorizon() {
    lease.set(
        new WorkerLease(
            7, 1, manual.monotonicNanos() + Duration.ofHours(1).toNanos(), START + 1_000, 0));
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ofMillis(20)).build();
    long last = 0;
    long maxAheadMillis = Long.MIN_VALUE;
    for (int round = 0; round < 2_000; round++) {
      // 0.3 ms of monotonic time per round while the wall clock moves in whole milliseconds and
      // sometimes steps by ±1–3 ms (within max-backward): the offset is raised and lowered
      // between the calls of one burst, and by other calls within it.
      manual.advance(Duration.ofNanos(300_000));
      if (round % 7 == 3) {
        manual.stepWall(round % 2 == 0 ? 2 : -3);
      }
      if (round % 5 == 0) {
        clock.afterNextMonotonicRead(() -> manual.stepWall(1));
      }
      long[] ids = generator.nextIds(1 + (round * 131) % 600);
      assertThat(ids[0]).isGreaterThan(last);
      for (int i = 1; i < ids.length; i++) {
        assertThat(ids[i]).isGreaterThan(ids[i - 1]);
      }
      last = ids[ids.length - 1];
      long newest = layout.decode(last).timestampMillis();
      assertThat(newest).isLessThanOrEqualTo(START + 1_000);
      maxAheadMillis = Math.max(maxAheadMillis, newest - manual.wallMillis());
    }
    assertThat(maxAheadMillis)
        .as("never further ahead of the wall clock than borrowing, a step and a measurement allow")
        .isLessThanOrEqualTo(20 + 3 + 1);
  }

  /** A clock that can run an action right after one of its readings: time moving mid-call. */
  static final class InterferingClock implements Clock {
    private final ManualClock delegate;
    int monotonicReads;
    int wallReads;
    private Runnable afterMonotonic;
    private Runnable afterWall;

    InterferingClock(ManualClock delegate) {
      this.delegate = delegate;
    }

    void reset() {
      monotonicReads = 0;
      wallReads = 0;
    }

    void afterNextMonotonicRead(Runnable action) {
      afterMonotonic = action;
    }

    void afterNextWallRead(Runnable action) {
      afterWall = action;
    }

    @Override
    public long wallMillis() {
      wallReads++;
      long value = delegate.wallMillis();
      Runnable action = afterWall;
      afterWall = null;
      if (action != null) {
        action.run();
      }
      return value;
    }

    @Override
    public long monotonicNanos() {
      monotonicReads++;
      long value = delegate.monotonicNanos();
      Runnable action = afterMonotonic;
      afterMonotonic = null;
      if (action != null) {
        action.run();
      }
      return value;
    }

    @Override
    public void idle(long nanos) {
      delegate.idle(nanos);
    }
  }
}
