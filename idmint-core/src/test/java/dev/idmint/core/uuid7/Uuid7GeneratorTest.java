package dev.idmint.core.uuid7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.ClockMovedBackwardsException;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Uuid7GeneratorTest {
  private static final long START = Instant.parse("2026-12-01T23:59:59.500Z").toEpochMilli();
  private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  private final ManualClock clock = new ManualClock(START);
  private final Uuid7Layout layout = Uuid7Layout.of(SnowflakeLayout.builder().clock(clock).build());
  private final AtomicReference<WorkerLease> lease =
      new AtomicReference<>(lease(5, 1, HOUR_NANOS, START + 60_000, 0));

  private WorkerLease lease(
      int worker, long token, long validForNanos, long reservedUntil, long previousHorizon) {
    return new WorkerLease(
        worker, token, clock.monotonicNanos() + validForNanos, reservedUntil, previousHorizon);
  }

  private Uuid7Generator.Builder generator() {
    return Uuid7Generator.builder(layout, lease::get).clock(clock);
  }

  /** RFC 9562 orders UUIDs by their 16 bytes, unsigned. */
  static int byteOrder(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  @Test
  void theBitsAreAnRfc9562Version7WithTimestampCounterAndWorker() {
    Uuid7Generator generator = generator().build();
    UUID first = generator.nextUuid();
    UUID second = generator.nextUuid();

    assertThat(first.version()).isEqualTo(7);
    assertThat(first.variant()).isEqualTo(2);
    assertThat(first.getLeastSignificantBits() >>> 62).isEqualTo(0b10L);
    assertThat((first.getMostSignificantBits() >>> 12) & 0xF).isEqualTo(7L);
    assertThat(first.getMostSignificantBits() >>> 16).as("unix_ts_ms").isEqualTo(START);
    // The canonical text starts with the 48-bit timestamp in hex, then the version nibble.
    assertThat(first.toString())
        .startsWith(String.format("%08x-%04x-7", START >>> 16, START & 0xFFFF));
    assertThat(UUID.fromString(first.toString())).isEqualTo(first);

    Uuid7Id decoded = layout.decode(first);
    assertThat(decoded.timestamp()).isEqualTo(Instant.ofEpochMilli(START));
    assertThat(decoded.worker()).isEqualTo(5);
    assertThat(decoded.counter()).isZero();
    assertThat(layout.decode(second).counter()).isEqualTo(1);
    assertThat(second.getMostSignificantBits() & 0xFFF)
        .as("rand_a is the 12-bit counter")
        .isEqualTo(1);
    assertThat((second.getLeastSignificantBits() >>> 52) & 0x3FF)
        .as("worker atop rand_b")
        .isEqualTo(5);
    assertThat(layout.randomBits()).isEqualTo(52);
  }

  @Test
  void uuidsRiseAcrossMillisecondsAndCounterOverflowWithoutBorrowing() {
    Uuid7Generator generator = generator().maxBorrow(Duration.ZERO).build();
    UUID[] uuids = generator.nextUuids(3 * 4096 + 10);

    assertRising(uuids);
    assertThat(layout.decode(uuids[4095]).counter()).isEqualTo(4095);
    assertThat(layout.decode(uuids[4096]).timestampMillis()).isEqualTo(START + 1);
    assertThat(layout.decode(uuids[4096]).counter()).isZero();
    assertThat(layout.decode(uuids[uuids.length - 1]).timestampMillis()).isEqualTo(START + 3);
    assertThat(clock.wallMillis()).as("waited for the wall clock").isEqualTo(START + 3);
  }

  @Test
  void counterOverflowBorrowsTheNextMillisecondAndStillRises() {
    Uuid7Generator generator = generator().maxBorrow(Duration.ofMillis(2)).build();
    UUID[] uuids = new UUID[3 * 4096];
    for (int i = 0; i < uuids.length; i++) {
      uuids[i] = generator.nextUuid();
    }
    assertRising(uuids);
    assertThat(layout.decode(uuids[uuids.length - 1]).timestampMillis()).isEqualTo(START + 2);
    assertThat(clock.wallMillis()).as("borrowed, did not wait").isEqualTo(START);
    UUID waited = generator.nextUuid();
    assertThat(layout.decode(waited).timestampMillis())
        .as("a fourth millisecond lies past max-borrow: waited for until it is within it")
        .isEqualTo(START + 3);
    assertThat(clock.wallMillis()).isEqualTo(START + 1);
    assertThat(byteOrder(waited, uuids[uuids.length - 1])).isPositive();
  }

  @Test
  void aSmallBackwardStepIsWaitedOutAndALargeOneRefusedUntilTheClockCatchesUp() {
    Uuid7Generator generator = generator().build();
    UUID before = generator.nextUuid();
    clock.advanceMillis(10);
    UUID later = generator.nextUuid();

    clock.stepWall(-3);
    clock.advanceMillis(2); // a re-measurement is due
    UUID afterSmallStep = generator.nextUuid();
    assertThat(byteOrder(afterSmallStep, later)).isPositive();
    assertThat(layout.decode(afterSmallStep).timestampMillis())
        .isGreaterThanOrEqualTo(layout.decode(later).timestampMillis());

    clock.stepWall(-1_000);
    clock.advanceMillis(2);
    assertThatThrownBy(generator::nextUuid).isInstanceOf(ClockMovedBackwardsException.class);
    assertThat(generator.probe()).isInstanceOf(ClockMovedBackwardsException.class);

    clock.advanceMillis(1_000);
    UUID recovered = generator.nextUuid();
    assertThat(byteOrder(recovered, afterSmallStep)).isPositive();
    assertThat(byteOrder(later, before)).isPositive();
    assertThat(generator.probe()).isNull();
  }

  @Test
  void aLapsedLeaseFencesTheNodeUntilItIsRenewed() {
    lease.set(lease(5, 1, Duration.ofSeconds(1).toNanos(), START + 60_000, 0));
    Uuid7Generator generator = generator().build();
    UUID issued = generator.nextUuid();

    clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(generator::nextUuid)
        .isInstanceOf(LeaseNotHeldException.class)
        .hasMessageContaining("worker 5");
    assertThat(generator.probe()).isInstanceOf(LeaseNotHeldException.class);

    lease.set(lease(5, 1, HOUR_NANOS, START + 60_000, 0));
    assertThat(byteOrder(generator.nextUuid(), issued)).isPositive();

    lease.set(null);
    assertThatThrownBy(generator::nextUuid).isInstanceOf(LeaseNotHeldException.class);
  }

  @Test
  void theReservedHorizonsBoundTheTimestamps() {
    lease.set(lease(5, 2, HOUR_NANOS, START + 100, START + 20));
    Uuid7Generator generator =
        generator().maxBorrow(Duration.ZERO).maxBackward(Duration.ofMillis(50)).build();

    UUID first = generator.nextUuid();
    assertThat(layout.decode(first).timestampMillis())
        .as("after the previous holder's horizon, waited out")
        .isEqualTo(START + 21);

    clock.advanceMillis(200);
    assertThatThrownBy(generator::nextUuid).isInstanceOf(HorizonExhaustedException.class);

    lease.set(lease(5, 3, HOUR_NANOS, START + 60_000, START + 10_000));
    assertThatThrownBy(generator::nextUuid).isInstanceOf(ClockBehindHorizonException.class);
  }

  @Test
  void aWorkerThatDoesNotFitTheLayoutIsRefused() {
    lease.set(lease(1024, 1, HOUR_NANOS, START + 60_000, 0));
    assertThatThrownBy(generator().build()::nextUuid)
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("worker 1024");
  }

  private static void assertRising(UUID[] uuids) {
    for (int i = 1; i < uuids.length; i++) {
      assertThat(byteOrder(uuids[i], uuids[i - 1])).as("byte order at %d", i).isPositive();
      assertThat(uuids[i].compareTo(uuids[i - 1])).as("UUID.compareTo at %d", i).isPositive();
    }
  }
}
