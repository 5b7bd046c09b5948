package dev.idmint.core.snowflake;

import dev.idmint.core.Clock;
import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.ClockMovedBackwardsException;
import dev.idmint.core.ClockSkewException;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.IdGenerator;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.LayoutExhaustedException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.lease.WorkerLeaseSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issues snowflake IDs ({@code tick | worker | sequence}) for one namespace on one node.
 *
 * <p>Design notes. All mutable state is one {@code long}, {@code tick << sequenceBits | sequence}
 * of the last reservation, advanced by a single compare-and-set: no lock, no allocation, no I/O on
 * the path of an ID. The word sits on a cache line of its own ({@link SnowflakeStateField}). A
 * reservation takes as many sequence numbers of one tick as the caller wants and the tick has left,
 * so {@link #nextIds} fills up to a whole tick per CAS.
 *
 * <p>One clock read per ID. The common path reads only the monotonic clock, once, and derives from
 * that one reading both the fencing check and the tick: wall time is {@code monotonic + offset},
 * where the offset is measured by reading the wall clock at most once per {@link #REMEASURE_NANOS}
 * of monotonic time (by whichever call finds it due; several measuring at once publish with a CAS,
 * so the measurements form one chain). A measurement keeps the old offset while the derived time
 * lies in the same millisecond as the wall reading, raises it when the wall clock is ahead and
 * lowers it when the wall clock is behind (a step back, or the two clocks drifting apart). The wall
 * reading is paired with a monotonic reading taken after it, so the derived time is a lower bound
 * of the wall time (plus drift), never a millisecond ahead of the latest wall reading when
 * measured. A CAS that loses to another thread retries with the same reading; the clock is read
 * again only after waiting, or before refusing because of a long wait.
 *
 * <p>What a caller can rely on, under any clock behaviour, and why:
 *
 * <ul>
 *   <li><b>Logical time never goes back</b> (DESIGN.md rule 1). The tick used is {@code
 *       max(derived, last)}: the state word only ever grows (a new tick is greater than the last,
 *       or the same tick with a greater sequence), whatever the derived time does, so a lowered
 *       offset, a stale reading after a lost CAS or a thread delayed between its reading and its
 *       CAS can only make it reuse the last tick's remaining sequence or wait. A backward step of
 *       the wall clock is seen at the next measurement, within {@link #REMEASURE_NANOS}: more than
 *       {@code maxBackward} behind the latest wall time measured (capped at the reserved horizon: a
 *       reading beyond it was never used for an ID), every call throws {@link
 *       ClockMovedBackwardsException} (and measures again) until it is back within that step;
 *       smaller steps are absorbed. Until a step is seen, ticks follow the monotonic clock, which
 *       did not step, so nothing issued in that window is below an earlier ID either.
 *   <li><b>Lease fencing</b> (rule 2). The reading is checked against the local deadline of the
 *       lease read before it; after the CAS the lease is read again and must be the same claim
 *       (worker and fencing token), or the ID is thrown away. A lease that lapses between the
 *       reading and the CAS (a thread stalled there) cannot cause a duplicate: the lease was valid
 *       at the reading, so the coordinator held the claim for us then, and the tick is at most the
 *       horizon this node recorded durably before publishing that lease; whoever claims the worker
 *       after it lapses starts above that horizon (rule 3). The next call reads the clock anew and
 *       is fenced.
 *   <li><b>Clocks agree</b> (rule 8): under a lease that carries a {@code ClockSkew} nothing is
 *       issued; such a lease is never cached, so the check costs the common path nothing.
 *   <li><b>Reserved time</b> (rule 3): no tick at or before the worker's previous holders' horizon
 *       and no tick beyond the horizon this node has durably recorded is ever used. Both are
 *       compared with the tick itself, so they hold whatever the derived wall time is.
 *   <li><b>Bounded borrowing</b>: when a tick's sequence is used up, the generator may move to the
 *       next tick before the derived time reaches it, at most {@code maxBorrow} ahead and never
 *       past the reserved horizon. The derived time is the wall time within the reading's
 *       resolution (1 ms) plus the rate difference of the two clocks over one measuring interval,
 *       except between a wall step and the measurement that sees it. A burst above {@code
 *       2^sequenceBits} IDs per tick is then served at once instead of waiting; the price is that
 *       timestamps of such IDs lie up to {@code maxBorrow} in the future. With borrowing off, the
 *       thread waits for the next tick: it parks for all but the last moments of a wait ({@link
 *       Clock#idle}), so threads waiting at the cap do not all spin.
 * </ul>
 *
 * <p>The worker number is checked against the layout once per published lease (a renewal publishes
 * a new one), not per call; the ticks bounding the lease are computed at the same time.
 */
public final class SnowflakeGenerator extends SnowflakeStatePadAfter implements IdGenerator {
  private static final VarHandle STATE;
  private static final VarHandle TIME_BASE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(SnowflakeStateField.class, "state", long.class);
      TIME_BASE = lookup.findVarHandle(SnowflakeGenerator.class, "timeBase", TimeBase.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public static final Duration DEFAULT_MAX_BACKWARD = Duration.ofMillis(5);
  public static final Duration DEFAULT_MAX_BORROW = Duration.ofSeconds(1);

  /**
   * How long one measured offset between the wall and the monotonic clock is used: a wall-clock
   * step is seen by the first call at least this much monotonic time after the last measurement.
   */
  static final long REMEASURE_NANOS = 1_000_000L;

  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final SnowflakeLayout layout;
  private final WorkerLeaseSource leases;
  private final Clock clock;
  private final int sequenceBits;
  private final int timestampShift;
  private final long maxSequence;
  private final long epochMillis;
  private final long tickMillis;
  private final long tickNanos;
  // Tunable while running (retune): each value is read once per call and only bounds waiting and
  // borrowing, never which IDs are unique, so a call that sees a mix of old and new values is safe.
  private volatile long maxBackwardMillis;
  private volatile long maxBorrowTicks;
  private volatile int randomStartBound;

  /** The latest measurement of the wall clock against the monotonic clock; replaced by CAS. */
  @SuppressWarnings("unused") // also accessed through TIME_BASE
  private volatile TimeBase timeBase = TimeBase.UNMEASURED;

  /**
   * The lease last seen and what was derived from it. Immutable, so a racy publication is safe; a
   * call whose lease is not this one's derives a new one.
   */
  private LeaseView view = LeaseView.NONE;

  private SnowflakeGenerator(Builder builder) {
    this.layout = builder.layout;
    this.leases = builder.leases;
    this.clock = builder.clock;
    this.sequenceBits = layout.sequenceBits();
    this.timestampShift = layout.workerBits() + layout.sequenceBits();
    this.maxSequence = layout.maxSequence();
    this.epochMillis = layout.epochMillis();
    this.tickMillis = layout.tickUnit().millis();
    this.tickNanos = tickMillis * NANOS_PER_MILLI;
    this.maxBackwardMillis = builder.maxBackward.toMillis();
    this.maxBorrowTicks = builder.maxBorrow.toMillis() / tickMillis;
    this.randomStartBound =
        builder.randomSequenceStart ? (int) Math.max(1, (maxSequence + 1) / 2) : 0;
  }

  /**
   * Changes the limits that do not affect uniqueness while the generator runs (the namespace
   * registry applies them to every node without a restart). Calls in flight may still use the old
   * values.
   *
   * @throws InvalidConfigurationException if a duration is null or negative
   */
  public void retune(Duration maxBorrow, Duration maxBackward, boolean randomSequenceStart) {
    List<String> problems = new ArrayList<>();
    if (maxBackward == null || maxBackward.isNegative()) {
      problems.add("max-backward must be >= 0: max-backward=" + maxBackward);
    }
    if (maxBorrow == null || maxBorrow.isNegative()) {
      problems.add("max-borrow must be >= 0: max-borrow=" + maxBorrow);
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("snowflake generator", problems);
    }
    this.maxBackwardMillis = maxBackward.toMillis();
    this.maxBorrowTicks = maxBorrow.toMillis() / tickMillis;
    this.randomStartBound = randomSequenceStart ? (int) Math.max(1, (maxSequence + 1) / 2) : 0;
  }

  public static Builder builder(SnowflakeLayout layout, WorkerLeaseSource leases) {
    return new Builder(layout, leases);
  }

  public SnowflakeLayout layout() {
    return layout;
  }

  @Override
  public long nextId() {
    LeaseView lease = leaseView();
    long reserved = reserve(lease, 1);
    confirm(lease);
    return ((reserved >>> sequenceBits) << timestampShift)
        | lease.workerBits
        | (reserved & maxSequence);
  }

  @Override
  public void nextIds(long[] ids, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, ids.length);
    LeaseView lease = leaseView();
    int filled = 0;
    while (filled < count) {
      long reserved = reserve(lease, count - filled);
      long high = ((reserved >>> sequenceBits) << timestampShift) | lease.workerBits;
      long sequence = reserved & maxSequence;
      long end = Math.min(maxSequence, sequence + (count - filled) - 1);
      for (; sequence <= end; sequence++) {
        ids[offset + filled++] = high | sequence;
      }
    }
    confirm(lease);
  }

  /**
   * Says whether an ID could be issued now, without issuing one: {@code null} when it could, or the
   * exception the next call would throw (no lease, fenced, clock behind the previous holder's
   * horizon, clock disagreeing with the coordinator's, clock stepped back, horizon used up). For
   * readiness checks; a later call may still fail. Reads the clocks directly, so it sees a
   * wall-clock step at once.
   */
  public IdUnavailableException probe() {
    return refusal(leases.current());
  }

  /** Why nothing could be issued under {@code lease} now, or null; the most specific reason. */
  private IdUnavailableException refusal(WorkerLease lease) {
    if (lease == null) {
      return new LeaseNotHeldException(
          "no worker lease is held; waiting to claim one", Duration.ofSeconds(1));
    }
    if (clock.monotonicNanos() - lease.validUntilNanos() >= 0) {
      return fenced(lease);
    }
    TimeBase base = timeBase;
    long nowMillis = clock.wallMillis();
    long floorMillis = layout.startMillisOf(layout.tickOf(lease.previousHorizonMillis()) + 1);
    long borrowMillis = maxBorrowTicks * tickMillis;
    if (floorMillis - nowMillis > borrowMillis + maxBackwardMillis) {
      return new ClockBehindHorizonException(
          lease.worker(), lease.previousHorizonMillis(), nowMillis);
    }
    if (lease.clockSkew() != null) {
      return new ClockSkewException(lease.clockSkew());
    }
    if (base != TimeBase.UNMEASURED && base.highestWallMillis - nowMillis > maxBackwardMillis) {
      return new ClockMovedBackwardsException(
          base.highestWallMillis - nowMillis, maxBackwardMillis);
    }
    if (nowMillis > lease.reservedUntilMillis()) {
      return new HorizonExhaustedException(lease.worker(), lease.reservedUntilMillis(), nowMillis);
    }
    return null;
  }

  /**
   * Reserves up to {@code wanted} sequence numbers of one tick; returns {@code tick << sequenceBits
   * | first}. The number reserved is {@code min(wanted, maxSequence + 1 - first)}.
   */
  private long reserve(LeaseView lease, int wanted) {
    // The state is read before the clock, so the first attempt's reading is never older than the
    // state it is compared with; after a lost CAS the same reading is reused (fresh = false), and
    // a decision to refuse because of a long wait is only taken on a fresh reading.
    long current = state;
    long nowNanos = clock.monotonicNanos();
    boolean fresh = true;
    for (; ; ) {
      if (nowNanos - lease.validUntilNanos >= 0) {
        throw fenced(lease.lease);
      }
      TimeBase base = timeBase;
      if (base.everyCall || nowNanos - base.nextMeasureNanos >= 0) {
        base = measure(base, lease.lease.reservedUntilMillis());
        if (base.backwardMillis != 0) {
          throw new ClockMovedBackwardsException(base.backwardMillis, maxBackwardMillis);
        }
      }
      long sinceEpochNanos = nowNanos + base.epochOffsetNanos;
      if (sinceEpochNanos < 0) {
        throw new ClockBehindHorizonException(
            epochMillis, epochMillis + Math.floorDiv(sinceEpochNanos, NANOS_PER_MILLI));
      }
      // A constant divisor for the default 1 ms tick: the JIT turns it into a multiplication.
      long nowTick =
          tickMillis == 1 ? sinceEpochNanos / NANOS_PER_MILLI : sinceEpochNanos / tickNanos;
      long lastTick = current >>> sequenceBits;
      long lastSequence = current & maxSequence;
      boolean pastPreviousHolder = lastTick > lease.floorTick;
      if (!pastPreviousHolder) {
        lastTick = lease.floorTick;
        lastSequence = maxSequence;
      }
      long tick;
      long first;
      if (nowTick > lastTick) {
        tick = nowTick;
        first = firstSequence();
      } else if (lastSequence < maxSequence) {
        tick = lastTick;
        first = lastSequence + 1;
      } else {
        tick = lastTick + 1;
        first = firstSequence();
        long waitNanos = (tick - maxBorrowTicks) * tickNanos - sinceEpochNanos;
        if (waitNanos > 0) {
          long waitMillis = (waitNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI;
          if (waitMillis > maxBackwardMillis + tickMillis) {
            if (!fresh) {
              current = state;
              nowNanos = clock.monotonicNanos();
              fresh = true;
              continue;
            }
            long nowMillis = epochMillis + sinceEpochNanos / NANOS_PER_MILLI;
            // Refusing: the next call measures the wall clock again at once, so a clock that was
            // set right is seen without waiting for the measuring interval.
            TIME_BASE.compareAndSet(
                this,
                base,
                new TimeBase(
                    base.epochOffsetNanos, nowNanos, base.highestWallMillis, base.backwardMillis));
            if (!pastPreviousHolder) {
              throw new ClockBehindHorizonException(
                  lease.lease.worker(), lease.lease.previousHorizonMillis(), nowMillis);
            }
            throw new ClockMovedBackwardsException(waitMillis, maxBackwardMillis);
          }
          clock.idle(waitNanos);
          current = state;
          nowNanos = clock.monotonicNanos();
          fresh = true;
          continue;
        }
      }
      if (tick > lease.horizonTick) {
        throw new HorizonExhaustedException(
            lease.lease.worker(),
            lease.lease.reservedUntilMillis(),
            layout.startMillisOf(tick + 1) - 1);
      }
      if (tick > layout.maxTick()) {
        throw new LayoutExhaustedException(
            "the timestamp bits of " + layout + " ran out at " + layout.exhaustedAt());
      }
      long last = Math.min(maxSequence, first + wanted - 1);
      long witness = (long) STATE.compareAndExchange(this, current, (tick << sequenceBits) | last);
      if (witness == current) {
        return (tick << sequenceBits) | first;
      }
      current = witness;
      fresh = false;
    }
  }

  /**
   * Reads the wall clock and publishes a new measurement, unless another thread published one first
   * (then that one is used). The wall reading is paired with a monotonic reading taken after it, so
   * a delay between the two makes the derived time lag the wall clock, never lead it.
   */
  /**
   * Reads the wall clock against the monotonic one. The highest reading is remembered, so that a
   * wall clock stepped back is refused, but never above {@code horizonMillis}: no ID is issued
   * beyond the reserved horizon, so a reading past it (a clock stepped far ahead, refused until the
   * next renewal sees the skew) is time this worker never used, and once the clock is set right the
   * node waits for the horizon, not for the hour it read.
   */
  private TimeBase measure(TimeBase base, long horizonMillis) {
    for (; ; ) {
      long wallMillis = clock.wallMillis();
      long measuredNanos = clock.monotonicNanos();
      long sinceEpochMillis = wallMillis - epochMillis;
      long offsetNanos = sinceEpochMillis * NANOS_PER_MILLI - measuredNanos;
      long highest = Math.min(wallMillis, horizonMillis);
      if (base != TimeBase.UNMEASURED) {
        long derivedMillis = Math.floorDiv(measuredNanos + base.epochOffsetNanos, NANOS_PER_MILLI);
        if (derivedMillis == sinceEpochMillis) {
          offsetNanos = base.epochOffsetNanos; // within the wall reading's resolution
        }
        highest = Math.max(base.highestWallMillis, highest);
      }
      long back = highest - wallMillis;
      TimeBase next =
          new TimeBase(
              offsetNanos,
              measuredNanos + REMEASURE_NANOS,
              highest,
              back > maxBackwardMillis ? back : 0);
      if (TIME_BASE.compareAndSet(this, base, next)) {
        return next;
      }
      base = timeBase;
      if (!base.everyCall && measuredNanos - base.nextMeasureNanos < 0) {
        return base;
      }
    }
  }

  private long firstSequence() {
    return randomStartBound == 0 ? 0 : ThreadLocalRandom.current().nextInt(randomStartBound);
  }

  /** The view of the current lease, derived once per published lease. */
  private LeaseView leaseView() {
    WorkerLease lease = leases.current();
    LeaseView known = view;
    if (known.lease == lease) {
      return known;
    }
    if (lease == null) {
      throw new LeaseNotHeldException(
          "no worker lease is held; waiting to claim one", Duration.ofSeconds(1));
    }
    if (lease.clockSkew() != null) {
      // Never cached as the view, so every call under this lease comes here and refuses (rule 8);
      // the hot path for agreeing clocks is unchanged.
      IdUnavailableException refused = refusal(lease);
      throw refused != null ? refused : new ClockSkewException(lease.clockSkew());
    }
    if (lease.worker() < 0 || lease.worker() > layout.maxWorker()) {
      throw new InvalidConfigurationException(
          "snowflake generator",
          List.of(
              "worker "
                  + lease.worker()
                  + " does not fit the layout's "
                  + layout.workerBits()
                  + " worker bits; lower the lease manager's max-worker"));
    }
    LeaseView derived =
        new LeaseView(
            lease,
            (long) lease.worker() << sequenceBits,
            Math.max(0, layout.tickOf(lease.previousHorizonMillis())),
            layout.tickOf(lease.reservedUntilMillis() + 1) - 1);
    view = derived;
    return derived;
  }

  /** After the CAS: the lease must still be the same claim, or the ID is thrown away. */
  private void confirm(LeaseView used) {
    WorkerLease now = leases.current();
    if (now != used.lease
        && (now == null
            || now.worker() != used.lease.worker()
            || now.fencingToken() != used.lease.fencingToken())) {
      throw fenced(used.lease);
    }
  }

  private static LeaseNotHeldException fenced(WorkerLease lease) {
    return new LeaseNotHeldException(
        "the lease on worker "
            + lease.worker()
            + " passed its local deadline without a renewal; fenced until it is renewed",
        Duration.ofSeconds(1));
  }

  /**
   * One measurement of the wall clock against the monotonic clock. Immutable.
   *
   * @param epochOffsetNanos {@code monotonic + epochOffsetNanos} is the derived time since the
   *     layout's epoch
   * @param nextMeasureNanos the monotonic time from which the next call measures again
   * @param highestWallMillis the latest wall time measured so far, at most the reserved horizon
   * @param backwardMillis how far the wall clock was behind that, when by more than max-backward;
   *     else 0
   */
  private static final class TimeBase {
    static final TimeBase UNMEASURED = new TimeBase(0, 0, Long.MIN_VALUE, 0);

    final long epochOffsetNanos;
    final long nextMeasureNanos;
    final long highestWallMillis;
    final long backwardMillis;

    /** Measure on every call: before the first measurement and while the clock is stepped back. */
    final boolean everyCall;

    TimeBase(
        long epochOffsetNanos, long nextMeasureNanos, long highestWallMillis, long backwardMillis) {
      this.epochOffsetNanos = epochOffsetNanos;
      this.nextMeasureNanos = nextMeasureNanos;
      this.highestWallMillis = highestWallMillis;
      this.backwardMillis = backwardMillis;
      this.everyCall = highestWallMillis == Long.MIN_VALUE || backwardMillis != 0;
    }
  }

  /** A lease and the values derived from it once: the worker's bits and the ticks bounding it. */
  private static final class LeaseView {
    static final LeaseView NONE =
        new LeaseView(new WorkerLease(-1, 0, 0, Long.MIN_VALUE, Long.MAX_VALUE), 0, 0, -1);

    final WorkerLease lease;
    final long validUntilNanos;
    final long workerBits;
    final long floorTick;
    final long horizonTick;

    LeaseView(WorkerLease lease, long workerBits, long floorTick, long horizonTick) {
      this.lease = lease;
      this.validUntilNanos = lease.validUntilNanos();
      this.workerBits = workerBits;
      this.floorTick = floorTick;
      this.horizonTick = horizonTick;
    }
  }

  /** Builds a {@link SnowflakeGenerator}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final SnowflakeLayout layout;
    private final WorkerLeaseSource leases;
    private Clock clock = Clock.system();
    private Duration maxBackward = DEFAULT_MAX_BACKWARD;
    private Duration maxBorrow = DEFAULT_MAX_BORROW;
    private boolean randomSequenceStart;

    private Builder(SnowflakeLayout layout, WorkerLeaseSource leases) {
      this.layout = layout;
      this.leases = leases;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** The largest backward wall-clock step that is waited out; default 5 ms. */
    public Builder maxBackward(Duration maxBackward) {
      this.maxBackward = maxBackward;
      return this;
    }

    /**
     * How far logical time may run ahead of the wall clock when a tick's sequence is used up;
     * default 1 s; {@link Duration#ZERO} turns borrowing off. Keep it well below the lease's
     * horizon-ahead minus its renew-interval: borrowing that reaches the reserved horizon gets
     * {@link HorizonExhaustedException} until the next renewal.
     */
    public Builder maxBorrow(Duration maxBorrow) {
      this.maxBorrow = maxBorrow;
      return this;
    }

    /**
     * Starts each tick's sequence at a random number in the lower half of its range, so that
     * sequence numbers do not reveal per-tick load; halves the guaranteed IDs per tick. Default
     * off.
     */
    public Builder randomSequenceStart(boolean randomSequenceStart) {
      this.randomSequenceStart = randomSequenceStart;
      return this;
    }

    /**
     * @throws InvalidConfigurationException listing every problem
     */
    public SnowflakeGenerator build() {
      List<String> problems = new ArrayList<>();
      if (layout == null) {
        problems.add("layout must be set");
      }
      if (leases == null) {
        problems.add("lease source must be set");
      }
      if (clock == null) {
        problems.add("clock must be set");
      }
      if (maxBackward == null || maxBackward.isNegative()) {
        problems.add("max-backward must be >= 0: max-backward=" + maxBackward);
      }
      if (maxBorrow == null || maxBorrow.isNegative()) {
        problems.add("max-borrow must be >= 0: max-borrow=" + maxBorrow);
      }
      if (!problems.isEmpty()) {
        throw new InvalidConfigurationException("snowflake generator", problems);
      }
      return new SnowflakeGenerator(this);
    }
  }
}
