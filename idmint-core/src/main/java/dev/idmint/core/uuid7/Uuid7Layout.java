package dev.idmint.core.uuid7;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.core.snowflake.TickUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * How a UUIDv7 (RFC 9562 §5.7) carries a snowflake's {@code tick | worker | sequence}. Immutable.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       unix_ts_ms (48)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         unix_ts_ms            |  ver  |  rand_a = counter    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |var|  (counter rest) | worker |          random               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            random                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The 74 bits after the version (rand_a, 12) and the variant (rand_b, 62) are read as one field:
 * first the snowflake's sequence (the counter, {@code sequenceBits}), then its worker ({@code
 * workerBits}), then random bits to the end. {@code unix_ts_ms} is the tick's start in Unix
 * milliseconds, so the snowflake layout must count milliseconds. With the default layout (12 bits
 * of sequence, 10 of worker) rand_a is exactly the 12-bit counter of RFC 9562 §6.2 method 1, the
 * worker takes the top of rand_b and 52 bits are random.
 *
 * <p>Consequences: a UUID is unique because its {@code (tick, worker, sequence)} is (the random
 * bits add nothing to uniqueness, and need not be unguessable: UUIDs are not secrets, RFC 9562 §8);
 * within one worker UUIDs rise with {@code (tick, sequence)}, since the counter lies above the
 * worker and the random bits; the layout's lifetime (2094 for the default) bounds the UUIDs too,
 * and its epoch only bounds the state word, not the Unix timestamp written. Because the variant
 * makes the low word negative as a signed long, {@link UUID#compareTo} orders these UUIDs like
 * their bytes until the year 6429 (when {@code unix_ts_ms} reaches 2<sup>47</sup>).
 */
public final class Uuid7Layout {
  private static final long MAX_UNIX_MILLIS = 1L << 48;
  private static final long RAND_B_MASK = (1L << 62) - 1;

  private final SnowflakeLayout snowflake;
  private final int sequenceBits;
  private final int workerBits;
  private final int fieldBits; // counter + worker, in [12, 42]
  private final int randomBits; // 74 - fieldBits, in [32, 62]
  private final long randomMask;
  private final long fieldLowMask; // the part of the field that goes into rand_b

  private Uuid7Layout(SnowflakeLayout snowflake) {
    this.snowflake = snowflake;
    this.sequenceBits = snowflake.sequenceBits();
    this.workerBits = snowflake.workerBits();
    this.fieldBits = sequenceBits + workerBits;
    this.randomBits = 74 - fieldBits;
    this.randomMask = (1L << randomBits) - 1;
    this.fieldLowMask = (1L << (fieldBits - 12)) - 1;
  }

  /** UUIDs over the default snowflake layout: 12-bit counter, 10-bit worker, until 2094. */
  public static Uuid7Layout defaults() {
    return of(SnowflakeLayout.defaults());
  }

  /**
   * UUIDs over the given snowflake layout.
   *
   * @throws InvalidConfigurationException listing every problem: a time unit other than
   *     milliseconds, an epoch before 1970, a lifetime past what 48 bits of Unix milliseconds hold
   *     (year 10889), or fewer than 12 bits of sequence and worker together (they must fill rand_a)
   */
  public static Uuid7Layout of(SnowflakeLayout snowflake) {
    Objects.requireNonNull(snowflake, "snowflake");
    List<String> problems = new ArrayList<>();
    if (snowflake.tickUnit() != TickUnit.MILLISECONDS) {
      problems.add(
          "time-unit must be ms, UUIDv7 counts Unix milliseconds: time-unit="
              + snowflake.tickUnit().symbol());
    }
    if (snowflake.epochMillis() < 0) {
      problems.add("epoch must not lie before 1970: epoch=" + snowflake.epochMillis());
    }
    if (snowflake.exhaustedAtMillis() > MAX_UNIX_MILLIS) {
      problems.add(
          "timestamp bits must run out before 48 bits of Unix milliseconds do: exhausted at "
              + snowflake.exhaustedAt());
    }
    if (snowflake.sequenceBits() + snowflake.workerBits() < 12) {
      problems.add(
          "sequence-bits + worker-bits must be >= 12, to fill rand_a: "
              + snowflake.sequenceBits()
              + " + "
              + snowflake.workerBits());
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("uuid7 layout " + snowflake, problems);
    }
    return new Uuid7Layout(snowflake);
  }

  /** The snowflake layout whose generator issues the fields. */
  public SnowflakeLayout snowflake() {
    return snowflake;
  }

  /** How many random bits each UUID carries (52 with the default layout). */
  public int randomBits() {
    return randomBits;
  }

  /**
   * The UUID of a raw snowflake ID of this layout, with {@code random} (masked to {@link
   * #randomBits()}) in the random bits. Callers guarantee the raw ID is from this layout.
   */
  UUID fromSnowflake(long raw, long random) {
    long sequence = raw & snowflake.maxSequence();
    long worker = (raw >>> sequenceBits) & snowflake.maxWorker();
    long tick = raw >>> fieldBits;
    long unixMillis = snowflake.epochMillis() + tick;
    long field = (sequence << workerBits) | worker;
    long msb = (unixMillis << 16) | 0x7000L | (field >>> (fieldBits - 12));
    long lsb = (1L << 63) | ((field & fieldLowMask) << randomBits) | (random & randomMask);
    return new UUID(msb, lsb);
  }

  /**
   * Takes a UUID of this layout apart.
   *
   * @throws InvalidIdException if it is not version 7, not variant {@code 0b10}, or carries a
   *     timestamp this layout cannot have issued (before its epoch or after its run-out date)
   */
  public Uuid7Id decode(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    if (uuid.version() != 7) {
      throw new InvalidIdException("not a UUIDv7: version " + uuid.version() + " in " + uuid);
    }
    long lsb = uuid.getLeastSignificantBits();
    if ((lsb >>> 62) != 0b10) {
      throw new InvalidIdException(
          "not an RFC 9562 UUID: variant bits " + Long.toBinaryString(lsb >>> 62) + " in " + uuid);
    }
    long msb = uuid.getMostSignificantBits();
    long unixMillis = msb >>> 16;
    if (unixMillis < snowflake.epochMillis() || unixMillis >= snowflake.exhaustedAtMillis()) {
      throw new InvalidIdException(
          "timestamp "
              + unixMillis
              + " of "
              + uuid
              + " lies outside the layout's lifetime; not from this layout");
    }
    long field = ((msb & 0xFFFL) << (fieldBits - 12)) | ((lsb & RAND_B_MASK) >>> randomBits);
    int worker = (int) (field & snowflake.maxWorker());
    int counter = (int) (field >>> workerBits);
    return new Uuid7Id(uuid, unixMillis, worker, counter);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Uuid7Layout other && snowflake.equals(other.snowflake);
  }

  @Override
  public int hashCode() {
    return snowflake.hashCode();
  }

  @Override
  public String toString() {
    return "Uuid7Layout[" + snowflake + "]";
  }
}
