package dev.idmint.core.uuid7;

import dev.idmint.core.Clock;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.lease.WorkerLeaseSource;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issues RFC 9562 UUIDv7s for one namespace on one node.
 *
 * <p>Design notes. A UUIDv7 here is a snowflake ID written in another form ({@link Uuid7Layout}):
 * every UUID comes from one {@link SnowflakeGenerator#nextId()} of a generator this class owns, and
 * its {@code (tick, worker, sequence)} are placed into the UUID's timestamp, counter and worker
 * bits, the rest filled from {@link ThreadLocalRandom}. So the safety rules are the snowflake's,
 * not a copy of them: logical time never goes back and small backward steps are waited out, larger
 * ones refused with {@link dev.idmint.core.ClockMovedBackwardsException} (rule 1); the lease is
 * checked before and after, and a lapsed one fences the node with {@link
 * dev.idmint.core.LeaseNotHeldException} (rule 2); no millisecond at or before the previous
 * holders' horizon or beyond this node's reserved horizon is used (rule 3). Uniqueness across nodes
 * comes from the worker number in the UUID, which the lease makes exclusive (rule 4), not from the
 * random bits.
 *
 * <p>Which RFC 9562 §6.2 method: method 1, a fixed-length dedicated counter (the snowflake's
 * sequence) in the bits right after the version, rather than method 3 (sub-millisecond clock
 * fraction in rand_a). Method 1 is what the snowflake already is, so ordering and uniqueness follow
 * from its state word with no second piece of logic; method 3 would tie uniqueness to the clock's
 * resolution and still need a counter for two calls in one fraction. On counter overflow the RFC
 * allows the timestamp to run ahead of real time: that is the snowflake's bounded borrowing ({@code
 * maxBorrow}); with borrowing off the call waits for the next millisecond.
 *
 * <p>What a caller can rely on: UUIDs from one generator rise strictly (in {@link UUID#compareTo}
 * and byte order), also across millisecond boundaries and counter overflow; two generators holding
 * different workers never issue the same UUID; errors are thrown, never returned as UUIDs.
 */
public final class Uuid7Generator {
  private final Uuid7Layout layout;
  private final SnowflakeGenerator fields;

  private Uuid7Generator(Uuid7Layout layout, SnowflakeGenerator fields) {
    this.layout = layout;
    this.fields = fields;
  }

  public static Builder builder(Uuid7Layout layout, WorkerLeaseSource leases) {
    return new Builder(layout, leases);
  }

  public Uuid7Layout layout() {
    return layout;
  }

  /**
   * Returns one new UUID.
   *
   * @throws IdUnavailableException if none can be issued safely right now (no lease, fenced, clock
   *     stepped back, horizon used up)
   */
  public UUID nextUuid() {
    return layout.fromSnowflake(fields.nextId(), ThreadLocalRandom.current().nextLong());
  }

  /**
   * Fills {@code uuids[offset, offset + count)} with new UUIDs, in rising order. Either every slot
   * is filled, or an exception is thrown and none of them may be used.
   *
   * @throws IndexOutOfBoundsException if the range does not lie within {@code uuids}
   * @throws IdUnavailableException if the UUIDs cannot be issued safely right now
   */
  public void nextUuids(UUID[] uuids, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, uuids.length);
    long[] raw = new long[count];
    fields.nextIds(raw, 0, count);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < count; i++) {
      uuids[offset + i] = layout.fromSnowflake(raw[i], random.nextLong());
    }
  }

  /**
   * Returns {@code count} new UUIDs in rising order.
   *
   * @throws IllegalArgumentException if {@code count < 1}
   * @throws IdUnavailableException if the UUIDs cannot be issued safely right now
   */
  public UUID[] nextUuids(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: count=" + count);
    }
    UUID[] uuids = new UUID[count];
    nextUuids(uuids, 0, count);
    return uuids;
  }

  /** Whether a UUID could be issued now: {@code null}, or what the next call would throw. */
  public IdUnavailableException probe() {
    return fields.probe();
  }

  /** Changes the limits that do not affect uniqueness; see {@link SnowflakeGenerator#retune}. */
  public void retune(Duration maxBorrow, Duration maxBackward, boolean randomCounterStart) {
    fields.retune(maxBorrow, maxBackward, randomCounterStart);
  }

  /**
   * Builds a {@link Uuid7Generator}; the options are the snowflake generator's and mean the same.
   */
  public static final class Builder {
    private final Uuid7Layout layout;
    private final SnowflakeGenerator.Builder fields;

    private Builder(Uuid7Layout layout, WorkerLeaseSource leases) {
      this.layout = layout;
      this.fields = SnowflakeGenerator.builder(layout == null ? null : layout.snowflake(), leases);
    }

    public Builder clock(Clock clock) {
      fields.clock(clock);
      return this;
    }

    /** The largest backward wall-clock step that is waited out; default 5 ms. */
    public Builder maxBackward(Duration maxBackward) {
      fields.maxBackward(maxBackward);
      return this;
    }

    /** How far the timestamp may run ahead of the wall clock on counter overflow; default 1 s. */
    public Builder maxBorrow(Duration maxBorrow) {
      fields.maxBorrow(maxBorrow);
      return this;
    }

    /** Starts each millisecond's counter at a random value in the lower half; default off. */
    public Builder randomCounterStart(boolean randomCounterStart) {
      fields.randomSequenceStart(randomCounterStart);
      return this;
    }

    /**
     * @throws InvalidConfigurationException listing every problem
     */
    public Uuid7Generator build() {
      return new Uuid7Generator(layout, fields.build());
    }
  }
}
