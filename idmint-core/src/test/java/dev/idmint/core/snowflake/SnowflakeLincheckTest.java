package dev.idmint.core.snowflake;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.WorkerLease;
import java.time.Duration;
import java.time.Instant;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * The CAS loop of {@link SnowflakeGenerator} under races, checked by Lincheck: every concurrent
 * history of single and batch calls must equal some sequential history of the same calls, which
 * means every ID is unique, each thread's IDs rise in the order it asked for them, and no sequence
 * number is skipped or taken twice (single IDs; see {@link #nextIdsOfOne}). The layout has 2
 * sequence bits, so a few calls already cross ticks (the borrowing branch); the clock does not
 * move, so the first calls also race to publish the first measurement of the wall clock. Bounded: a
 * few seconds per mode.
 */
public class SnowflakeLincheckTest {
  private static final long START = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();

  private final SnowflakeGenerator generator;

  public SnowflakeLincheckTest() {
    ManualClock clock = new ManualClock(START);
    SnowflakeLayout layout =
        SnowflakeLayout.builder()
            .clock(clock)
            .timestampBits(41)
            .workerBits(10)
            .sequenceBits(2)
            .build();
    WorkerLease lease =
        new WorkerLease(
            3, 1, clock.monotonicNanos() + Duration.ofHours(1).toNanos(), START + 3_600_000, 0);
    generator =
        SnowflakeGenerator.builder(layout, () -> lease)
            .clock(clock)
            .maxBorrow(Duration.ofSeconds(10))
            .build();
  }

  @Operation
  public long nextId() {
    return generator.nextId();
  }

  /**
   * The batch path with a batch of one. A longer batch is not one atomic step (it may take the end
   * of one tick and the start of the next in two CASes, with another thread's ID in between), so it
   * is not linearizable as a whole; its uniqueness and order are {@link SnowflakeUniquenessTest}'s.
   */
  @Operation
  public long nextIdsOfOne() {
    long[] ids = new long[1];
    generator.nextIds(ids, 0, 1);
    return ids[0];
  }

  @Test
  void stress() {
    StressOptions options =
        new StressOptions()
            .threads(3)
            .actorsPerThread(4)
            .iterations(20)
            .invocationsPerIteration(1_000);
    assertThatCode(() -> options.check(SnowflakeLincheckTest.class))
        .as("every racing history equals some sequential order of the same calls (stress)")
        .doesNotThrowAnyException();
  }

  @Test
  void modelChecking() {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .threads(2)
            .actorsPerThread(3)
            .iterations(20)
            .invocationsPerIteration(300);
    assertThatCode(() -> options.check(SnowflakeLincheckTest.class))
        .as("every interleaving equals some sequential order of the same calls (model checking)")
        .doesNotThrowAnyException();
  }
}
