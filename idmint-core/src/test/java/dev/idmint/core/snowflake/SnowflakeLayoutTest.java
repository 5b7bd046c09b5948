package dev.idmint.core.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.ManualClock;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SnowflakeLayoutTest {
  private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

  private static SnowflakeLayout.Builder at(long nowMillis) {
    return SnowflakeLayout.builder().clock(new ManualClock(nowMillis));
  }

  @Property
  void decodeInvertsEncode(
      @ForAll @IntRange(min = 1, max = 45) int timestampBits,
      @ForAll @IntRange(min = 0, max = 12) int workerBits,
      @ForAll @IntRange(min = 0, max = 16) int sequenceBits,
      @ForAll @LongRange(min = 0) long tickSeed,
      @ForAll @IntRange(min = 0) int workerSeed,
      @ForAll @IntRange(min = 0) int sequenceSeed) {
    Assume.that(timestampBits + workerBits + sequenceBits <= 63);
    SnowflakeLayout layout =
        at(0)
            .timestampBits(timestampBits)
            .workerBits(workerBits)
            .sequenceBits(sequenceBits)
            .minRemaining(Duration.ZERO)
            .epochMillis(0)
            .build();
    long tick = tickSeed % (layout.maxTick() + 1);
    int worker = (int) (workerSeed % (layout.maxWorker() + 1L));
    int sequence = (int) (sequenceSeed % (layout.maxSequence() + 1L));
    Assume.that(tick + worker + sequence > 0);

    long id = layout.encode(tick, worker, sequence);
    SnowflakeId decoded = layout.decode(id);

    assertThat(id).isPositive();
    assertThat(decoded.tick()).isEqualTo(tick);
    assertThat(decoded.worker()).isEqualTo(worker);
    assertThat(decoded.sequence()).isEqualTo(sequence);
    assertThat(decoded.timestampMillis()).isEqualTo(tick * layout.tickUnit().millis());
  }

  @Property
  void idsOrderLikeTheirTicks(
      @ForAll @LongRange(min = 1, max = (1L << 41) - 2) long tick,
      @ForAll @IntRange(min = 0, max = 1023) int workerA,
      @ForAll @IntRange(min = 0, max = 1023) int workerB,
      @ForAll @IntRange(min = 0, max = 4095) int sequenceA,
      @ForAll @IntRange(min = 0, max = 4095) int sequenceB) {
    SnowflakeLayout layout = at(NOW).build();
    assertThat(layout.encode(tick, workerA, sequenceA))
        .isLessThan(layout.encode(tick + 1, workerB, sequenceB));
  }

  @Test
  void theDefaultLayoutRunsOutIn2094() {
    SnowflakeLayout layout = at(NOW).build();
    assertThat(layout.timestampBits()).isEqualTo(41);
    assertThat(layout.workerBits()).isEqualTo(10);
    assertThat(layout.sequenceBits()).isEqualTo(12);
    assertThat(layout.epochMillis())
        .isEqualTo(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
    assertThat(layout.exhaustedAt()).isEqualTo(Instant.parse("2094-09-07T15:47:35.552Z"));
  }

  @Test
  void coarserTimeUnitsStretchTheLifetime() {
    SnowflakeLayout tenMillis =
        at(NOW).timestampBits(37).tickUnit(TickUnit.TEN_MILLISECONDS).build();
    SnowflakeLayout seconds = at(NOW).timestampBits(31).tickUnit(TickUnit.SECONDS).build();
    assertThat(tenMillis.exhaustedAtMillis())
        .isEqualTo(SnowflakeLayout.DEFAULT_EPOCH_MILLIS + (1L << 37) * 10);
    assertThat(seconds.exhaustedAt()).isEqualTo(Instant.parse("2093-01-19T03:14:08Z"));
    assertThat(tenMillis.tickOf(SnowflakeLayout.DEFAULT_EPOCH_MILLIS + 25)).isEqualTo(2);
    assertThat(seconds.startMillisOf(3)).isEqualTo(SnowflakeLayout.DEFAULT_EPOCH_MILLIS + 3000);
  }

  @Test
  void aLayoutThatRunsOutWithinTheMarginIsRefused() {
    // The peer mistake: 28 bits of seconds since 2016 ran out on 2024-11-20.
    long epoch2016 = Instant.parse("2016-05-20T00:00:00Z").toEpochMilli();
    assertThatThrownBy(
            () ->
                at(NOW)
                    .epochMillis(epoch2016)
                    .timestampBits(28)
                    .workerBits(10)
                    .sequenceBits(12)
                    .tickUnit(TickUnit.SECONDS)
                    .build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("timestamp bits run out at 2024-11-20T21:24:16Z")
        .hasMessageContaining("less than the required margin of 3653 days");
  }

  @Test
  void theMarginIsConfigurable() {
    long now = SnowflakeLayout.DEFAULT_EPOCH_MILLIS;
    SnowflakeLayout.Builder thirtyFourYears = at(now).timestampBits(40);
    assertThat(thirtyFourYears.minRemaining(Duration.ofDays(365L * 30)).build()).isNotNull();
    assertThatThrownBy(() -> thirtyFourYears.minRemaining(Duration.ofDays(365L * 40)).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("less than the required margin of 14600 days");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> at(NOW).timestampBits(50).workerBits(21).sequenceBits(-1).build())
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "worker-bits must be in [0, 20]: worker-bits=21",
                        "sequence-bits must be in [0, 22]: sequence-bits=-1",
                        "timestamp-bits + worker-bits + sequence-bits must be <= 63 (the sign bit"
                            + " stays 0): 50 + 21 + -1 = 70"));
  }

  @Test
  void anEpochInTheFutureIsRefused() {
    assertThatThrownBy(() -> at(NOW).epochMillis(NOW + 1).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("epoch must not lie in the future");
  }

  @Test
  void encodeRejectsFieldsOutOfRange() {
    SnowflakeLayout layout = at(NOW).build();
    assertThatThrownBy(() -> layout.encode(1, 1024, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("worker must be in [0, 1023]: worker=1024");
    assertThatThrownBy(() -> layout.encode(1, 0, 4096))
        .hasMessage("sequence must be in [0, 4095]: sequence=4096");
    assertThatThrownBy(() -> layout.encode(-1, 0, 0))
        .hasMessage("tick must be in [0, 2199023255551]: tick=-1");
  }

  @Test
  void decodeRejectsWhatTheLayoutCannotHaveIssued() {
    SnowflakeLayout narrow = at(NOW).timestampBits(31).tickUnit(TickUnit.SECONDS).build();
    assertThatThrownBy(() -> narrow.decode(0))
        .isInstanceOf(InvalidIdException.class)
        .hasMessage("a snowflake ID is a positive number: id=0");
    assertThatThrownBy(() -> narrow.decode(-5)).isInstanceOf(InvalidIdException.class);
    assertThatThrownBy(() -> narrow.decode(1L << 53))
        .isInstanceOf(InvalidIdException.class)
        .hasMessage(
            "id=9007199254740992 has bits above the layout's 53 bits; not from this layout");
  }

  @Test
  void timeUnitSymbolsParseAndUnknownOnesAreNamed() {
    assertThat(TickUnit.fromSymbol("10ms")).isEqualTo(TickUnit.TEN_MILLISECONDS);
    assertThatThrownBy(() -> TickUnit.fromSymbol("min"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "invalid snowflake layout: time unit must be one of ms, 10ms, s: time-unit=min");
  }
}
