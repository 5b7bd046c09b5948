package dev.idmint.core.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.ClockMovedBackwardsException;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.LayoutExhaustedException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.WorkerLease;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SnowflakeGeneratorTest {
  private static final long START = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
  private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  private final ManualClock clock = new ManualClock(START);
  private final SnowflakeLayout layout = SnowflakeLayout.builder().clock(clock).build();
  private final AtomicReference<WorkerLease> lease =
      new AtomicReference<>(lease(7, 1, START + 60_000, 0));

  private WorkerLease lease(int worker, long token, long reservedUntil, long previousHorizon) {
    return new WorkerLease(
        worker, token, clock.monotonicNanos() + HOUR_NANOS, reservedUntil, previousHorizon);
  }

  private SnowflakeGenerator.Builder generator() {
    return SnowflakeGenerator.builder(layout, lease::get).clock(clock);
  }

  private SnowflakeId decode(long id) {
    return layout.decode(id);
  }

  @Test
  void idsCarryTheWorkerTheTickAndARisingSequence() {
    SnowflakeGenerator generator = generator().build();
    long first = generator.nextId();
    long second = generator.nextId();
    clock.advanceMillis(3);
    long third = generator.nextId();

    assertThat(decode(first)).isEqualTo(new SnowflakeId(first, layout.tickOf(START), START, 7, 0));
    assertThat(decode(second).sequence()).isEqualTo(1);
    assertThat(decode(third).timestampMillis()).isEqualTo(START + 3);
    assertThat(decode(third).sequence()).isZero();
    assertThat(first).isLessThan(second).isLessThan(third);
  }

  @Test
  void aBatchFillsWholeTicksAndStaysUniqueAndOrdered() {
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ZERO).build();
    long[] ids = generator.nextIds(10_000);
    for (int i = 1; i < ids.length; i++) {
      assertThat(ids[i]).isGreaterThan(ids[i - 1]);
    }
    assertThat(decode(ids[4095]).sequence()).isEqualTo(4095);
    assertThat(decode(ids[4096]).timestampMillis()).isEqualTo(START + 1);
    assertThat(decode(ids[9999]).timestampMillis()).isEqualTo(START + 2);
    assertThat(clock.wallMillis())
        .as("waited for the wall clock, no borrowing")
        .isEqualTo(START + 2);
  }

  @Test
  void retuningBorrowingWhileRunningChangesWhatAnExhaustedTickDoes() {
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ZERO).build();
    generator.nextIds(4096);
    generator.retune(Duration.ofMillis(5), SnowflakeGenerator.DEFAULT_MAX_BACKWARD, false);
    long borrowed = generator.nextId();
    assertThat(decode(borrowed).timestampMillis()).isEqualTo(START + 1);
    assertThat(clock.wallMillis()).as("borrowed, did not wait").isEqualTo(START);

    generator.retune(Duration.ZERO, SnowflakeGenerator.DEFAULT_MAX_BACKWARD, false);
    generator.nextIds(4095);
    long waited = generator.nextId();
    assertThat(decode(waited).timestampMillis()).isEqualTo(START + 2);
    assertThat(clock.wallMillis()).as("waited again").isEqualTo(START + 2);
    assertThat(waited).isGreaterThan(borrowed);
  }

  @Test
  void retuneRefusesNegativeLimitsAndKeepsTheOldOnes() {
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ZERO).build();
    assertThatThrownBy(() -> generator.retune(Duration.ofMillis(-1), Duration.ofMillis(-2), false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "invalid snowflake generator: max-backward must be >= 0: max-backward=PT-0.002S;"
                + " max-borrow must be >= 0: max-borrow=PT-0.001S");
    generator.nextIds(4096);
    generator.nextId();
    assertThat(clock.wallMillis()).as("still no borrowing").isEqualTo(START + 1);
  }

  @Test
  void withoutBorrowingAnExhaustedTickWaitsForTheNextOne() {
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ZERO).build();
    generator.nextIds(4096);
    long next = generator.nextId();
    assertThat(decode(next).timestampMillis()).isEqualTo(START + 1);
    assertThat(clock.wallMillis()).isEqualTo(START + 1);
  }

  @Test
  void borrowingServesABurstAheadOfTheClockButNeverPastTheBorrowLimit() {
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ofMillis(5)).build();
    long[] burst = generator.nextIds(4096 * 6);
    assertThat(clock.wallMillis()).as("no wait while borrowing").isEqualTo(START);
    assertThat(decode(burst[burst.length - 1]).timestampMillis()).isEqualTo(START + 5);

    long waited = generator.nextId();
    assertThat(decode(waited).timestampMillis()).isEqualTo(START + 6);
    assertThat(clock.wallMillis())
        .as("waited once the borrow limit was reached")
        .isEqualTo(START + 1);
  }

  @Test
  void borrowingNeverPassesTheReservedHorizon() {
    lease.set(lease(7, 1, START + 3, 0));
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ofSeconds(1)).build();
    long[] ids = generator.nextIds(4096 * 4);
    assertThat(decode(ids[ids.length - 1]).timestampMillis()).isEqualTo(START + 3);
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(HorizonExhaustedException.class)
        .hasMessage(
            "worker 7 needs timestamp "
                + (START + 4)
                + " but its reserved horizon ends at "
                + (START + 3)
                + "; waiting for the coordinator to advance it");

    lease.set(lease(7, 1, START + 10, 0));
    assertThat(decode(generator.nextId()).timestampMillis()).isEqualTo(START + 4);
  }

  @Test
  void theWallClockPassingTheHorizonFencesTheNode() {
    lease.set(lease(7, 1, START + 1_000, 0));
    SnowflakeGenerator generator = generator().build();
    generator.nextId();
    clock.advanceMillis(1_001);
    assertThatThrownBy(generator::nextId).isInstanceOf(HorizonExhaustedException.class);
  }

  @Test
  void aSmallBackwardStepIsWaitedOut() {
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ZERO).build();
    long before = generator.nextIds(4096)[4095];
    clock.stepWall(-3);

    long after = generator.nextId();

    assertThat(after).isGreaterThan(before);
    assertThat(decode(after).timestampMillis()).isEqualTo(START + 1);
    assertThat(clock.wallMillis())
        .as("waited until the clock passed the last tick")
        .isEqualTo(START + 1);
  }

  @Test
  void aSmallBackwardStepKeepsUsingTheLastTicksSequence() {
    SnowflakeGenerator generator = generator().build();
    long before = generator.nextId();
    clock.stepWall(-5);
    long after = generator.nextId();
    assertThat(after).isEqualTo(before + 1);
  }

  @Test
  void aLargeBackwardStepFailsClosedAndRecoversWhenTheClockCatchesUp() {
    SnowflakeGenerator generator = generator().build();
    long before = generator.nextId();
    clock.stepWall(-1_001);
    assertThat(generator.nextId())
        .as("the step is not seen before the next measurement; the monotonic clock did not step")
        .isGreaterThan(before);
    clock.advance(Duration.ofNanos(SnowflakeGenerator.REMEASURE_NANOS));

    assertThatThrownBy(generator::nextId)
        .isInstanceOfSatisfying(
            ClockMovedBackwardsException.class,
            e -> {
              assertThat(e.backwardMillis()).isEqualTo(1_000);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(995));
            })
        .hasMessage(
            "wall clock moved backwards by 1000 ms (more than max-backward=5 ms); refusing to"
                + " issue IDs until it catches up");
    clock.advanceMillis(990);
    assertThatThrownBy(generator::nextId).isInstanceOf(ClockMovedBackwardsException.class);

    clock.advanceMillis(10);
    long after = generator.nextId();
    assertThat(after).isGreaterThan(before);
  }

  @Test
  void aBackwardStepNeverProducesAnIdBelowTheLastOne() {
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ofMillis(2)).build();
    long last = 0;
    for (int round = 0; round < 200; round++) {
      long[] ids = generator.nextIds(1 + (round * 37) % 5000);
      assertThat(ids[0]).isGreaterThan(last);
      last = ids[ids.length - 1];
      clock.stepWall(round % 3 == 0 ? -4 : 2);
    }
  }

  @Test
  void aRestartBehindThePreviousHoldersHorizonRefusesUntilTheClockPassesIt() {
    long previousHorizon = START + 10_000;
    lease.set(lease(7, 2, START + 60_000, previousHorizon));
    SnowflakeGenerator generator = generator().build();

    assertThatThrownBy(generator::nextId)
        .isInstanceOfSatisfying(
            ClockBehindHorizonException.class,
            e -> assertThat(e.previousHorizonMillis()).isEqualTo(previousHorizon))
        .hasMessageContaining("10000 ms behind the reserved horizon");

    clock.advanceMillis(9_500);
    long borrowed = generator.nextId();
    assertThat(decode(borrowed).timestampMillis())
        .as("borrowing may start just after the previous horizon, never at or before it")
        .isEqualTo(previousHorizon + 1);
  }

  @Test
  void aRestartBehindThePreviousHorizonWithoutBorrowingWaitsOnlyWhenTheGapIsSmall() {
    lease.set(lease(7, 2, START + 60_000, START + 3));
    SnowflakeGenerator generator = generator().maxBorrow(Duration.ZERO).build();
    long id = generator.nextId();
    assertThat(decode(id).timestampMillis()).isEqualTo(START + 4);
    assertThat(clock.wallMillis()).isEqualTo(START + 4);
  }

  @Test
  void noLeaseMeansNoId() {
    lease.set(null);
    SnowflakeGenerator generator = generator().build();
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(LeaseNotHeldException.class)
        .hasMessage("no worker lease is held; waiting to claim one");
  }

  @Test
  void aLeasePastItsLocalDeadlineIsFenced() {
    lease.set(new WorkerLease(7, 1, clock.monotonicNanos() + 1_000_000_000L, START + 60_000, 0));
    SnowflakeGenerator generator = generator().build();
    generator.nextId();
    clock.advance(Duration.ofMillis(999));
    generator.nextId();
    clock.advance(Duration.ofMillis(1));
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(LeaseNotHeldException.class)
        .hasMessage(
            "the lease on worker 7 passed its local deadline without a renewal; fenced until it is"
                + " renewed");
    assertThatThrownBy(() -> generator.nextIds(10)).isInstanceOf(LeaseNotHeldException.class);
  }

  @Test
  void anIdComposedWhileTheLeaseChangedIsThrownAway() {
    WorkerLease first = lease(7, 1, START + 60_000, 0);
    WorkerLease reclaimed = lease(9, 2, START + 60_000, 0);
    AtomicInteger reads = new AtomicInteger();
    SnowflakeGenerator generator =
        SnowflakeGenerator.builder(layout, () -> reads.getAndIncrement() == 0 ? first : reclaimed)
            .clock(clock)
            .build();
    assertThatThrownBy(generator::nextId).isInstanceOf(LeaseNotHeldException.class);
    assertThat(decode(generator.nextId()).worker()).isEqualTo(9);
  }

  @Test
  void aWorkerThatDoesNotFitTheLayoutIsRefused() {
    lease.set(lease(1024, 1, START + 60_000, 0));
    SnowflakeGenerator generator = generator().build();
    assertThatThrownBy(generator::nextId)
        .hasMessageContaining("worker 1024 does not fit the layout's 10 worker bits");
  }

  @Test
  void aLayoutRunningOutOfYearsRefusesToIssue() {
    SnowflakeLayout shortLived =
        SnowflakeLayout.builder()
            .clock(clock)
            .epochMillis(START - 1_000)
            .timestampBits(11)
            .minRemaining(Duration.ZERO)
            .build();
    SnowflakeGenerator generator =
        SnowflakeGenerator.builder(shortLived, lease::get).clock(clock).build();
    generator.nextId();
    clock.advanceMillis(1_048);
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(LayoutExhaustedException.class)
        .hasMessageContaining("ran out at");
  }

  @Test
  void randomSequenceStartsStayInTheLowerHalfAndVary() {
    SnowflakeGenerator generator = generator().randomSequenceStart(true).build();
    int[] starts = new int[50];
    for (int i = 0; i < starts.length; i++) {
      clock.advanceMillis(1);
      starts[i] = decode(generator.nextId()).sequence();
    }
    assertThat(Arrays.stream(starts).max().getAsInt()).isLessThanOrEqualTo(2047);
    assertThat(Arrays.stream(starts).distinct().count()).isGreaterThan(10);
  }

  @Test
  void tenMillisecondTicksAdvanceEveryTenMilliseconds() {
    SnowflakeLayout coarse =
        SnowflakeLayout.builder()
            .clock(clock)
            .timestampBits(37)
            .tickUnit(TickUnit.TEN_MILLISECONDS)
            .build();
    SnowflakeGenerator generator =
        SnowflakeGenerator.builder(coarse, lease::get).clock(clock).build();
    long a = generator.nextId();
    clock.advanceMillis(9);
    long b = generator.nextId();
    clock.advanceMillis(1);
    long c = generator.nextId();
    assertThat(coarse.decode(a).tick()).isEqualTo(coarse.decode(b).tick());
    assertThat(coarse.decode(c).tick()).isEqualTo(coarse.decode(a).tick() + 1);
  }

  @Test
  void badSettingsAreAllReported() {
    assertThatThrownBy(
            () ->
                SnowflakeGenerator.builder(layout, null)
                    .maxBackward(Duration.ofMillis(-1))
                    .maxBorrow(Duration.ofMillis(-2))
                    .build())
        .hasMessage(
            "invalid snowflake generator: lease source must be set; max-backward must be >= 0:"
                + " max-backward=PT-0.001S; max-borrow must be >= 0: max-borrow=PT-0.002S");
  }

  @Test
  void probeSaysWhetherTheNextCallCouldIssueWithoutIssuing() {
    SnowflakeGenerator generator = generator().build();
    assertThat(generator.probe()).isNull();
    long first = generator.nextId();
    assertThat(generator.probe()).isNull();
    assertThat(generator.nextId()).isEqualTo(first + 1);

    clock.stepWall(-1_000);
    assertThat(generator.probe()).isInstanceOf(ClockMovedBackwardsException.class);
    clock.stepWall(1_000);

    lease.set(lease(7, 2, START + 60_000, START + 30_000));
    assertThat(generator.probe()).isInstanceOf(ClockBehindHorizonException.class);

    lease.set(lease(7, 3, START - 1, 0));
    assertThat(generator.probe()).isInstanceOf(HorizonExhaustedException.class);

    lease.set(null);
    assertThat(generator.probe()).isInstanceOf(LeaseNotHeldException.class);
  }
}
