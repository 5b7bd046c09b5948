package dev.idmint.core.snowflake;

import dev.idmint.core.Clock;
import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.ClockMovedBackwardsException;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.IdGenerator;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.LayoutExhaustedException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.lease.WorkerLeaseSource;
import java.lang.System.Logger.Level;
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
 * the path of an ID. A reservation takes as many sequence numbers of one tick as the caller wants
 * and the tick has left, so {@link #nextIds} fills up to a whole tick per CAS.
 *
 * <p>What a caller can rely on, under any clock behaviour:
 *
 * <ul>
 *   <li><b>Logical time never goes back</b> (DESIGN.md rule 1): the tick used is {@code max(wall,
 *       last)}. If the wall clock falls more than {@code maxBackward} behind the latest wall time
 *       seen, every call throws {@link ClockMovedBackwardsException} until it is back within that
 *       step; smaller steps are absorbed (the remaining sequence of the last tick is used, then the
 *       thread waits).
 *   <li><b>Lease fencing</b> (rule 2): the lease is checked before the reservation and again after
 *       it; an ID composed under a lease that lapsed or changed meanwhile is thrown away, never
 *       returned.
 *   <li><b>Reserved time</b> (rule 3): no tick at or before the worker's previous holders' horizon
 *       and no tick beyond the horizon this node has durably recorded is ever used.
 *   <li><b>Bounded borrowing</b>: when a tick's sequence is used up, the generator may move to the
 *       next tick before the wall clock reaches it, at most {@code maxBorrow} ahead and never past
 *       the reserved horizon. A burst above {@code 2^sequenceBits} IDs per tick is then served at
 *       once instead of waiting; the price is that timestamps of such IDs lie up to {@code
 *       maxBorrow} in the future. With borrowing off, the thread waits for the next tick.
 * </ul>
 */
public final class SnowflakeGenerator implements IdGenerator {
  private static final VarHandle STATE;
  private static final VarHandle HIGHEST_WALL;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(SnowflakeGenerator.class, "state", long.class);
      HIGHEST_WALL =
          lookup.findVarHandle(SnowflakeGenerator.class, "highestWallMillis", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * TEST-ONLY switch for the fault campaign's negative controls (idmint-chaos,
   * docs/reliability.md): the system property {@code idmint.negative-control}, read once when this
   * class loads. {@code skip-clock-check} uses the wall clock's tick even when it went back (no
   * backward-step check, no {@code max(wall, last)}); {@code skip-lease-check} ignores the lease
   * deadline, the fencing re-check and the reserved horizon, and keeps using the last lease seen
   * after it was lost. Either one makes the node issue DUPLICATE IDs under faults; it exists only
   * so that a test can prove the campaign's checks catch such a build. Never set it anywhere else.
   */
  static final String NEGATIVE_CONTROL_PROPERTY = "idmint.negative-control";

  private static final boolean SKIP_CLOCK_CHECK;
  private static final boolean SKIP_LEASE_CHECK;

  static {
    String control = System.getProperty(NEGATIVE_CONTROL_PROPERTY, "").strip();
    SKIP_CLOCK_CHECK = control.equals("skip-clock-check");
    SKIP_LEASE_CHECK = control.equals("skip-lease-check");
    if (!control.isEmpty()) {
      System.getLogger(SnowflakeGenerator.class.getName())
          .log(
              Level.WARNING,
              "!!! NEGATIVE CONTROL "
                  + NEGATIVE_CONTROL_PROPERTY
                  + "="
                  + control
                  + (SKIP_CLOCK_CHECK || SKIP_LEASE_CHECK
                      ? " is ON: this node's safety checks are disabled and it CAN ISSUE DUPLICATE"
                          + " IDs. Test use only. !!!"
                      : " is not a known switch (skip-clock-check, skip-lease-check); ignored"));
    }
  }

  public static final Duration DEFAULT_MAX_BACKWARD = Duration.ofMillis(5);
  public static final Duration DEFAULT_MAX_BORROW = Duration.ofSeconds(1);

  private final SnowflakeLayout layout;
  private final WorkerLeaseSource leases;
  private final Clock clock;
  private final int sequenceBits;
  private final long maxSequence;
  // Tunable while running (retune): each value is read once per call and only bounds waiting and
  // borrowing, never which IDs are unique, so a call that sees a mix of old and new values is safe.
  private volatile long maxBackwardMillis;
  private volatile long maxBorrowTicks;
  private volatile int randomStartBound;

  @SuppressWarnings("unused") // accessed through STATE
  private volatile long state;

  @SuppressWarnings("unused") // accessed through HIGHEST_WALL
  private volatile long highestWallMillis;

  /** Negative control only: the last lease seen, used after it was lost. */
  private volatile WorkerLease lastLeaseSeen;

  private SnowflakeGenerator(Builder builder) {
    this.layout = builder.layout;
    this.leases = builder.leases;
    this.clock = builder.clock;
    this.sequenceBits = layout.sequenceBits();
    this.maxSequence = layout.maxSequence();
    this.maxBackwardMillis = builder.maxBackward.toMillis();
    this.maxBorrowTicks = builder.maxBorrow.toMillis() / layout.tickUnit().millis();
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
    this.maxBorrowTicks = maxBorrow.toMillis() / layout.tickUnit().millis();
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
    WorkerLease lease = validLease();
    long reserved = reserve(lease, 1);
    checkStillValid(lease);
    return layout.compose(reserved >>> sequenceBits, lease.worker(), reserved & maxSequence);
  }

  @Override
  public void nextIds(long[] ids, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, ids.length);
    WorkerLease lease = validLease();
    int filled = 0;
    while (filled < count) {
      long reserved = reserve(lease, count - filled);
      long tick = reserved >>> sequenceBits;
      long sequence = reserved & maxSequence;
      long end = Math.min(maxSequence, sequence + (count - filled) - 1);
      for (; sequence <= end; sequence++) {
        ids[offset + filled++] = layout.compose(tick, lease.worker(), sequence);
      }
    }
    checkStillValid(lease);
  }

  /**
   * Says whether an ID could be issued now, without issuing one: {@code null} when it could, or the
   * exception the next call would throw (no lease, fenced, clock stepped back, clock behind the
   * previous holder's horizon, horizon used up). For readiness checks; a later call may still fail.
   */
  public IdUnavailableException probe() {
    WorkerLease lease = leases.current();
    if (lease == null) {
      return new LeaseNotHeldException(
          "no worker lease is held; waiting to claim one", Duration.ofSeconds(1));
    }
    if (clock.monotonicNanos() - lease.validUntilNanos() >= 0) {
      return fenced(lease);
    }
    long seen = highestWallMillis;
    long nowMillis = clock.wallMillis();
    if (seen - nowMillis > maxBackwardMillis) {
      return new ClockMovedBackwardsException(seen - nowMillis, maxBackwardMillis);
    }
    long floorMillis = layout.startMillisOf(layout.tickOf(lease.previousHorizonMillis()) + 1);
    long borrowMillis = maxBorrowTicks * layout.tickUnit().millis();
    if (floorMillis - nowMillis > borrowMillis + maxBackwardMillis) {
      return new ClockBehindHorizonException(
          lease.worker(), lease.previousHorizonMillis(), nowMillis);
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
  private long reserve(WorkerLease lease, int wanted) {
    long floorTick = Math.max(0, layout.tickOf(lease.previousHorizonMillis()));
    long horizonTick =
        SKIP_LEASE_CHECK ? Long.MAX_VALUE : layout.tickOf(lease.reservedUntilMillis() + 1) - 1;
    for (; ; ) {
      // Read the state and the latest wall time seen before reading the clock: a thread delayed
      // between these reads then holds a fresher clock value, never a stale one that would look
      // like a backward step.
      long current = state;
      long seen = highestWallMillis;
      long nowMillis = clock.wallMillis();
      if (seen - nowMillis > maxBackwardMillis && !SKIP_CLOCK_CHECK) {
        throw new ClockMovedBackwardsException(seen - nowMillis, maxBackwardMillis);
      }
      raiseHighestWall(seen, nowMillis);
      long nowTick = layout.tickOf(nowMillis);
      if (nowTick < 0) {
        throw new ClockBehindHorizonException(layout.epochMillis(), nowMillis);
      }
      long lastTick = current >>> sequenceBits;
      long lastSequence = current & maxSequence;
      boolean pastPreviousHolder = lastTick > floorTick;
      if (!pastPreviousHolder) {
        lastTick = floorTick;
        lastSequence = maxSequence;
      }
      long tick;
      long first;
      if (nowTick > lastTick || (SKIP_CLOCK_CHECK && nowTick < lastTick && pastPreviousHolder)) {
        tick = nowTick;
        first = firstSequence();
      } else if (lastSequence < maxSequence) {
        tick = lastTick;
        first = lastSequence + 1;
      } else {
        tick = lastTick + 1;
        first = firstSequence();
        long waitMillis = layout.startMillisOf(tick - maxBorrowTicks) - nowMillis;
        if (waitMillis > 0) {
          if (waitMillis > maxBackwardMillis + layout.tickUnit().millis()) {
            if (!pastPreviousHolder) {
              throw new ClockBehindHorizonException(
                  lease.worker(), lease.previousHorizonMillis(), nowMillis);
            }
            throw new ClockMovedBackwardsException(waitMillis, maxBackwardMillis);
          }
          clock.idle(waitMillis * 1_000_000L);
          continue;
        }
      }
      if (tick > horizonTick) {
        throw new HorizonExhaustedException(
            lease.worker(), lease.reservedUntilMillis(), layout.startMillisOf(tick + 1) - 1);
      }
      if (tick > layout.maxTick()) {
        throw new LayoutExhaustedException(
            "the timestamp bits of " + layout + " ran out at " + layout.exhaustedAt());
      }
      long last = Math.min(maxSequence, first + wanted - 1);
      if (STATE.compareAndSet(this, current, (tick << sequenceBits) | last)) {
        return (tick << sequenceBits) | first;
      }
    }
  }

  /**
   * Raises the latest wall time seen to {@code nowMillis} unless a fresher value is already there.
   * Must not feed back into this call's backward check: a value raised by another thread after our
   * clock read is newer than our reading, not a sign of a step back.
   */
  private void raiseHighestWall(long seen, long nowMillis) {
    while (nowMillis > seen && !HIGHEST_WALL.compareAndSet(this, seen, nowMillis)) {
      seen = highestWallMillis;
    }
  }

  private long firstSequence() {
    return randomStartBound == 0 ? 0 : ThreadLocalRandom.current().nextInt(randomStartBound);
  }

  private WorkerLease validLease() {
    WorkerLease lease = leases.current();
    if (SKIP_LEASE_CHECK) {
      if (lease == null) {
        lease = lastLeaseSeen;
      } else {
        lastLeaseSeen = lease;
      }
    }
    if (lease == null) {
      throw new LeaseNotHeldException(
          "no worker lease is held; waiting to claim one", Duration.ofSeconds(1));
    }
    if (clock.monotonicNanos() - lease.validUntilNanos() >= 0 && !SKIP_LEASE_CHECK) {
      throw fenced(lease);
    }
    if (lease.worker() > layout.maxWorker()) {
      throw new InvalidConfigurationException(
          "snowflake generator",
          List.of(
              "worker "
                  + lease.worker()
                  + " does not fit the layout's "
                  + layout.workerBits()
                  + " worker bits; lower the lease manager's max-worker"));
    }
    return lease;
  }

  private void checkStillValid(WorkerLease lease) {
    if (SKIP_LEASE_CHECK) {
      return;
    }
    WorkerLease now = leases.current();
    if (now == null
        || now.worker() != lease.worker()
        || now.fencingToken() != lease.fencingToken()
        || clock.monotonicNanos() - now.validUntilNanos() >= 0) {
      throw fenced(lease);
    }
  }

  private static LeaseNotHeldException fenced(WorkerLease lease) {
    return new LeaseNotHeldException(
        "the lease on worker "
            + lease.worker()
            + " passed its local deadline without a renewal; fenced until it is renewed",
        Duration.ofSeconds(1));
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
