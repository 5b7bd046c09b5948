package dev.idmint.core.snowflake;

import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.internal.Symbols;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a snowflake ID packs {@code timestamp | worker | sequence} into a positive long, and since
 * when the timestamp counts. Immutable and validated once, at {@link Builder#build()}.
 *
 * <p>The default is 41 bits of milliseconds since 2025-01-01T00:00:00Z (runs out in 2094), 10 bits
 * of worker and 12 bits of sequence. A layout whose timestamp runs out sooner than the configured
 * margin (default 10 years) from now is refused: one widely used generator shipped a 28-bit-seconds
 * layout that ran out in production.
 *
 * <p>Presets ({@link Preset}): {@code default} as above, and {@code js-safe}, whose IDs stay below
 * 2<sup>53</sup> so that a JavaScript {@code Number} holds every one of them exactly: 38 bits of 10
 * ms ticks since 2025-01-01 (runs out in 2112, about 87 years), 6 bits of worker (64 nodes) and 9
 * bits of sequence (512 IDs per 10 ms, 51 200 per second per worker, borrowing aside). What makes
 * it safe is the sum of the widths, 53, not the date: an ID is at most {@link #maxId()}, which
 * {@link #javaScriptSafe()} compares with {@link #MAX_SAFE_INTEGER}. The lease manager serving it
 * must claim workers below 64 ({@code max-worker: 63}); a larger worker is refused by the
 * generator.
 */
public final class SnowflakeLayout {
  /** 2025-01-01T00:00:00Z. */
  public static final long DEFAULT_EPOCH_MILLIS = 1_735_689_600_000L;

  /** JavaScript's {@code Number.MAX_SAFE_INTEGER}, 2<sup>53</sup> − 1. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  public static final Duration DEFAULT_MIN_REMAINING = Duration.ofDays(3653);

  private final int timestampBits;
  private final int workerBits;
  private final int sequenceBits;
  private final long epochMillis;
  private final TickUnit tickUnit;
  private final long maxTick;
  private final int maxWorker;
  private final int maxSequence;
  private final long exhaustedAtMillis;

  private SnowflakeLayout(Builder builder) {
    this.timestampBits = builder.timestampBits;
    this.workerBits = builder.workerBits;
    this.sequenceBits = builder.sequenceBits;
    this.epochMillis = builder.epochMillis;
    this.tickUnit = builder.tickUnit;
    this.maxTick = (1L << timestampBits) - 1;
    this.maxWorker = (int) ((1L << workerBits) - 1);
    this.maxSequence = (int) ((1L << sequenceBits) - 1);
    this.exhaustedAtMillis = exhaustedAt(epochMillis, timestampBits, tickUnit);
  }

  /** The default layout: 41 bits of milliseconds since 2025-01-01, 10 of worker, 12 of sequence. */
  public static SnowflakeLayout defaults() {
    return builder().build();
  }

  /** The {@code js-safe} preset (see the class notes); IDs below 2<sup>53</sup> until 2112. */
  public static SnowflakeLayout jsSafe() {
    return Preset.JS_SAFE.builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int timestampBits() {
    return timestampBits;
  }

  public int workerBits() {
    return workerBits;
  }

  public int sequenceBits() {
    return sequenceBits;
  }

  public long epochMillis() {
    return epochMillis;
  }

  public TickUnit tickUnit() {
    return tickUnit;
  }

  public long maxTick() {
    return maxTick;
  }

  public int maxWorker() {
    return maxWorker;
  }

  public int maxSequence() {
    return maxSequence;
  }

  /** The largest ID this layout can produce: every field at its maximum. */
  public long maxId() {
    return compose(maxTick, maxWorker, maxSequence);
  }

  /** True when every ID of this layout is exact in a JavaScript {@code Number} (below 2^53). */
  public boolean javaScriptSafe() {
    return maxId() <= MAX_SAFE_INTEGER;
  }

  /**
   * How many IDs one worker can issue per second at most without borrowing: {@code 2^sequenceBits}
   * per tick. With the worker count, the capacity to print beside {@link #exhaustedAt()}.
   */
  public long idsPerSecondPerWorker() {
    return (maxSequence + 1L) * 1000 / tickUnit.millis();
  }

  /** How many workers can issue at once: {@code 2^workerBits}. */
  public int workers() {
    return maxWorker + 1;
  }

  /**
   * The first instant whose timestamp no longer fits, in milliseconds since the Unix epoch; {@link
   * Long#MAX_VALUE} when that lies beyond what a long can count.
   */
  public long exhaustedAtMillis() {
    return exhaustedAtMillis;
  }

  /** The first instant whose timestamp no longer fits (see {@link #exhaustedAtMillis()}). */
  public Instant exhaustedAt() {
    return exhaustedAtMillis == Long.MAX_VALUE
        ? Instant.MAX
        : Instant.ofEpochMilli(exhaustedAtMillis);
  }

  /**
   * The tick that contains the given wall time; negative before the epoch. Not bounded by {@link
   * #maxTick()}.
   */
  public long tickOf(long wallMillis) {
    return Math.floorDiv(wallMillis - epochMillis, tickUnit.millis());
  }

  /** The wall time at which the given tick starts. */
  public long startMillisOf(long tick) {
    return epochMillis + tick * tickUnit.millis();
  }

  /**
   * Packs the three fields into a raw ID.
   *
   * @throws IllegalArgumentException if a field is out of its range
   */
  public long encode(long tick, int worker, int sequence) {
    if (tick < 0 || tick > maxTick) {
      throw new IllegalArgumentException("tick must be in [0, " + maxTick + "]: tick=" + tick);
    }
    if (worker < 0 || worker > maxWorker) {
      throw new IllegalArgumentException(
          "worker must be in [0, " + maxWorker + "]: worker=" + worker);
    }
    if (sequence < 0 || sequence > maxSequence) {
      throw new IllegalArgumentException(
          "sequence must be in [0, " + maxSequence + "]: sequence=" + sequence);
    }
    return compose(tick, worker, sequence);
  }

  /** Packs without checking; callers guarantee the ranges. */
  long compose(long tick, int worker, long sequence) {
    return (tick << (workerBits + sequenceBits)) | ((long) worker << sequenceBits) | sequence;
  }

  /**
   * Takes a raw ID apart.
   *
   * @throws InvalidIdException if the value is not positive or has bits set above the layout
   */
  public SnowflakeId decode(long id) {
    if (id <= 0) {
      throw new InvalidIdException("a snowflake ID is a positive number: id=" + id);
    }
    int totalBits = timestampBits + workerBits + sequenceBits;
    if (totalBits < 63 && (id >>> totalBits) != 0) {
      throw new InvalidIdException(
          "id=" + id + " has bits above the layout's " + totalBits + " bits; not from this layout");
    }
    long tick = id >>> (workerBits + sequenceBits);
    int worker = (int) ((id >>> sequenceBits) & maxWorker);
    int sequence = (int) (id & maxSequence);
    return new SnowflakeId(id, tick, startMillisOf(tick), worker, sequence);
  }

  /**
   * Refuses this layout if its timestamp runs out less than {@code minRemaining} after {@code
   * nowMillis}, or if its epoch lies in the future.
   *
   * @throws InvalidConfigurationException naming the exhaustion date
   */
  public void checkLifetime(long nowMillis, Duration minRemaining) {
    List<String> problems = new ArrayList<>();
    if (epochMillis > nowMillis) {
      problems.add(
          "epoch must not lie in the future: epoch="
              + Instant.ofEpochMilli(epochMillis)
              + ", now="
              + Instant.ofEpochMilli(nowMillis));
    }
    long remainingMillis =
        exhaustedAtMillis == Long.MAX_VALUE ? Long.MAX_VALUE : exhaustedAtMillis - nowMillis;
    if (remainingMillis < minRemaining.toMillis()) {
      problems.add(
          "timestamp bits run out at "
              + exhaustedAt()
              + ", less than the required margin of "
              + minRemaining.toDays()
              + " days from now; widen timestamp-bits, coarsen time-unit or move the epoch");
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("snowflake layout " + this, problems);
    }
  }

  private static long exhaustedAt(long epochMillis, int timestampBits, TickUnit unit) {
    if (timestampBits >= 62) {
      return Long.MAX_VALUE;
    }
    try {
      return Math.addExact(epochMillis, Math.multiplyExact(1L << timestampBits, unit.millis()));
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SnowflakeLayout other
        && timestampBits == other.timestampBits
        && workerBits == other.workerBits
        && sequenceBits == other.sequenceBits
        && epochMillis == other.epochMillis
        && tickUnit == other.tickUnit;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(timestampBits, workerBits, sequenceBits, epochMillis, tickUnit);
  }

  @Override
  public String toString() {
    return "SnowflakeLayout[timestampBits="
        + timestampBits
        + ", workerBits="
        + workerBits
        + ", sequenceBits="
        + sequenceBits
        + ", epoch="
        + Instant.ofEpochMilli(epochMillis)
        + ", timeUnit="
        + tickUnit.symbol()
        + "]";
  }

  /**
   * The named layouts a namespace can ask for instead of spelling out the widths. Each gives a
   * builder, so the epoch, margin and clock can still be set.
   */
  public enum Preset {
    /** 41 bits of milliseconds since 2025-01-01 (until 2094), 10 of worker, 12 of sequence. */
    DEFAULT("default", 41, 10, 12, TickUnit.MILLISECONDS),
    /** 38 bits of 10 ms ticks since 2025-01-01 (until 2112), 6 of worker, 9 of sequence. */
    JS_SAFE("js-safe", 38, 6, 9, TickUnit.TEN_MILLISECONDS);

    private final String symbol;
    private final int timestampBits;
    private final int workerBits;
    private final int sequenceBits;
    private final TickUnit tickUnit;

    Preset(String symbol, int timestampBits, int workerBits, int sequenceBits, TickUnit tickUnit) {
      this.symbol = symbol;
      this.timestampBits = timestampBits;
      this.workerBits = workerBits;
      this.sequenceBits = sequenceBits;
      this.tickUnit = tickUnit;
    }

    /** The name used in configuration: {@code default} or {@code js-safe}. */
    public String symbol() {
      return symbol;
    }

    /** A builder holding this preset's widths and time unit, and the default epoch. */
    public Builder builder() {
      return SnowflakeLayout.builder()
          .timestampBits(timestampBits)
          .workerBits(workerBits)
          .sequenceBits(sequenceBits)
          .tickUnit(tickUnit);
    }

    /**
     * Parses a configuration name.
     *
     * @throws InvalidConfigurationException naming the accepted values
     */
    public static Preset fromSymbol(String symbol) {
      return Symbols.parse(
          "snowflake layout", "layout", "layout", values(), Preset::symbol, symbol);
    }
  }

  /** Builds a {@link SnowflakeLayout}; every problem is reported at once by {@link #build()}. */
  public static final class Builder {
    private int timestampBits = 41;
    private int workerBits = 10;
    private int sequenceBits = 12;
    private long epochMillis = DEFAULT_EPOCH_MILLIS;
    private TickUnit tickUnit = TickUnit.MILLISECONDS;
    private Duration minRemaining = DEFAULT_MIN_REMAINING;
    private Clock clock = Clock.system();

    private Builder() {}

    public Builder timestampBits(int timestampBits) {
      this.timestampBits = timestampBits;
      return this;
    }

    public Builder workerBits(int workerBits) {
      this.workerBits = workerBits;
      return this;
    }

    public Builder sequenceBits(int sequenceBits) {
      this.sequenceBits = sequenceBits;
      return this;
    }

    public Builder epochMillis(long epochMillis) {
      this.epochMillis = epochMillis;
      return this;
    }

    public Builder epoch(Instant epoch) {
      return epochMillis(epoch.toEpochMilli());
    }

    public Builder tickUnit(TickUnit tickUnit) {
      this.tickUnit = tickUnit;
      return this;
    }

    /** The least time the timestamp bits must last from now; default 10 years. */
    public Builder minRemaining(Duration minRemaining) {
      this.minRemaining = minRemaining;
      return this;
    }

    /** The clock that says what "now" is for the lifetime check; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * @throws InvalidConfigurationException listing every problem: field widths out of range or not
     *     fitting 63 bits, a missing time unit, an epoch in the future, a lifetime shorter than the
     *     margin
     */
    public SnowflakeLayout build() {
      List<String> problems = new ArrayList<>();
      if (timestampBits < 1 || timestampBits > 62) {
        problems.add("timestamp-bits must be in [1, 62]: timestamp-bits=" + timestampBits);
      }
      if (workerBits < 0 || workerBits > 20) {
        problems.add("worker-bits must be in [0, 20]: worker-bits=" + workerBits);
      }
      if (sequenceBits < 0 || sequenceBits > 22) {
        problems.add("sequence-bits must be in [0, 22]: sequence-bits=" + sequenceBits);
      }
      if (timestampBits + workerBits + sequenceBits > 63) {
        problems.add(
            "timestamp-bits + worker-bits + sequence-bits must be <= 63 (the sign bit stays 0): "
                + timestampBits
                + " + "
                + workerBits
                + " + "
                + sequenceBits
                + " = "
                + (timestampBits + workerBits + sequenceBits));
      }
      if (tickUnit == null) {
        problems.add("time-unit must be set");
      }
      if (minRemaining == null || minRemaining.isNegative()) {
        problems.add("min-remaining must be zero or positive: min-remaining=" + minRemaining);
      }
      if (!problems.isEmpty()) {
        throw new InvalidConfigurationException("snowflake layout", problems);
      }
      SnowflakeLayout layout = new SnowflakeLayout(this);
      layout.checkLifetime(clock.wallMillis(), minRemaining);
      return layout;
    }
  }
}
