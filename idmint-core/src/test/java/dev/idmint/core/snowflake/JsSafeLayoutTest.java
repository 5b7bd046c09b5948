package dev.idmint.core.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.LayoutExhaustedException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.lease.WorkerLease;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsSafeLayoutTest {
  private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  @Test
  void theLargestIdOverTheWholeLifetimeIsExactInADouble() {
    SnowflakeLayout layout = SnowflakeLayout.jsSafe();

    assertThat(layout.timestampBits() + layout.workerBits() + layout.sequenceBits()).isEqualTo(53);
    assertThat(layout.maxId()).isLessThan(1L << 53).isEqualTo(SnowflakeLayout.MAX_SAFE_INTEGER);
    assertThat(layout.javaScriptSafe()).isTrue();
    // What JavaScript's Number is: an IEEE 754 double. Every ID up to the max round-trips, and the
    // max's neighbour above would not be distinguishable from 2^53.
    assertThat((long) (double) layout.maxId()).isEqualTo(layout.maxId());
    assertThat((long) (double) (layout.maxId() - 1)).isEqualTo(layout.maxId() - 1);
    assertThat((double) ((1L << 53) + 1)).isEqualTo((double) (1L << 53));
    assertThat(layout.decode(layout.maxId()).tick()).isEqualTo(layout.maxTick());
  }

  @Test
  void itsCapacityAndRunOutDateAreStated() {
    SnowflakeLayout layout = SnowflakeLayout.jsSafe();

    assertThat(layout.tickUnit()).isEqualTo(TickUnit.TEN_MILLISECONDS);
    assertThat(layout.epochMillis()).isEqualTo(SnowflakeLayout.DEFAULT_EPOCH_MILLIS);
    assertThat(layout.workers()).isEqualTo(64);
    assertThat(layout.idsPerSecondPerWorker()).isEqualTo(51_200);
    // 2^38 ticks of 10 ms after 2025-01-01T00:00:00Z.
    assertThat(layout.exhaustedAt()).isEqualTo(Instant.parse("2112-02-09T13:44:29.440Z"));
    assertThat(SnowflakeLayout.defaults().javaScriptSafe()).isFalse();
    assertThat(SnowflakeLayout.defaults().idsPerSecondPerWorker()).isEqualTo(4_096_000);
  }

  @Test
  void presetsParseByNameAndKeepTheirWidthsWhenTheEpochMoves() {
    assertThat(SnowflakeLayout.Preset.fromSymbol("js-safe"))
        .isEqualTo(SnowflakeLayout.Preset.JS_SAFE);
    assertThat(SnowflakeLayout.Preset.fromSymbol("default").builder().build())
        .isEqualTo(SnowflakeLayout.defaults());
    SnowflakeLayout moved =
        SnowflakeLayout.Preset.JS_SAFE
            .builder()
            .epoch(Instant.parse("2026-01-01T00:00:00Z"))
            .build();
    assertThat(moved.javaScriptSafe()).isTrue();
    assertThat(moved.exhaustedAt()).isAfter(SnowflakeLayout.jsSafe().exhaustedAt());
    assertThatThrownBy(() -> SnowflakeLayout.Preset.fromSymbol("js"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("default, js-safe")
        .hasMessageContaining("layout=js");
  }

  @Test
  void aGeneratorOnItIssuesUniqueSafeIdsUpToTheLastTick() {
    SnowflakeLayout probe = SnowflakeLayout.jsSafe();
    long lastTickStart = probe.startMillisOf(probe.maxTick());
    ManualClock clock = new ManualClock(lastTickStart - 50);
    SnowflakeLayout layout =
        SnowflakeLayout.Preset.JS_SAFE.builder().clock(clock).minRemaining(Duration.ZERO).build();
    WorkerLease lease =
        new WorkerLease(
            layout.maxWorker(), 1, clock.monotonicNanos() + HOUR_NANOS, Long.MAX_VALUE - 1, 0);
    SnowflakeGenerator generator =
        SnowflakeGenerator.builder(layout, () -> lease)
            .clock(clock)
            .maxBorrow(Duration.ZERO)
            .build();

    Set<Long> seen = new HashSet<>();
    long previous = 0;
    // 5 ticks before the last plus the last one, each tick's 512 sequence numbers used up.
    for (int i = 0; i < 6 * 512; i++) {
      long id = generator.nextId();
      assertThat(id).isGreaterThan(previous).isLessThanOrEqualTo(SnowflakeLayout.MAX_SAFE_INTEGER);
      assertThat(seen.add(id)).isTrue();
      assertThat(layout.decode(id).worker()).isEqualTo(63);
      previous = id;
    }
    assertThat(previous).isEqualTo(layout.maxId());
    assertThatThrownBy(generator::nextId).isInstanceOf(LayoutExhaustedException.class);
  }
}
