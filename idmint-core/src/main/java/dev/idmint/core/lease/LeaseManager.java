package dev.idmint.core.lease;

import dev.idmint.core.Clock;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.IdMintException;
import dev.idmint.core.internal.BackgroundThread;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds this node's worker lease: claims a worker, renews it in the background, advances the
 * reserved horizon off the hot path and fences itself when it cannot renew.
 *
 * <p>Design notes. The rules are DESIGN.md's 2 to 4:
 *
 * <ul>
 *   <li>Before every claim or renewal the monotonic time {@code t0} is taken; on success the lease
 *       is valid locally until {@code t0 + L·(1−ρ) − m}, where {@code L} is the lease time the
 *       coordinator granted by its own clock. The coordinator's expiry cannot come before that
 *       unless the clocks drift apart faster than ρ, so this node has stopped issuing before any
 *       other node can claim the worker.
 *   <li>Each renewal records {@code reservedUntil = wall + horizonAhead} in the same atomic step;
 *       the generator issues no timestamp beyond the last recorded value and none at or before the
 *       previous holders' value.
 *   <li>Before every claim or renewal the wall clock is compared with the coordinator's clock and
 *       with the highest horizon of any worker ({@link WorkerLeaseStore#coordinatorTime}, rule 8).
 *       Disagreeing by more than {@code max-clock-skew}, the claim or renewal still happens (the
 *       worker stays this node's) but records no new horizon, and the lease published carries the
 *       {@link ClockSkew}, so generators refuse with the reason; the first renewal that finds the
 *       clocks agreeing publishes a lease without it, and serving resumes by itself. The check runs
 *       before anything is written, so a clock an hour ahead never pushes a horizon an hour ahead.
 *   <li>A coordinator that lost durable writes (restored from a backup, Redis restarted without
 *       persistence) answers with horizons lower than it had recorded. A claim or renewal of a
 *       worker this node held that answers below what was confirmed to it is refused ({@link
 *       HorizonWentBackException}); and once the highest horizon of any worker is seen to go back,
 *       every new claim issues only above a floor that no lost horizon can reach ({@link
 *       #noticeLostHistory}).
 *   <li>A failed renewal changes nothing: the lease published earlier stays until its own local
 *       deadline, then generators refuse by themselves. A renewal that finds the claim lost clears
 *       the lease at once and tries to claim again.
 * </ul>
 *
 * All coordinator calls happen on the caller of {@link #start()} (the first claim) and then on one
 * named background thread. {@link #current()} is a volatile read.
 */
public final class LeaseManager implements WorkerLeaseSource, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LeaseManager.class.getName());
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final WorkerLeaseStore store;
  private final LeaseConfig config;
  private final Clock clock;
  private final Object lock = new Object();

  private volatile WorkerLease current;
  private volatile Throwable lastFailure;
  private volatile long clockSkewMillis;

  // Guarded by lock.
  private LeaseGrant grant;
  private volatile ScheduledExecutorService renewer;
  private boolean started;
  private volatile boolean closed;
  private boolean warned;
  private long lastWarnNanos;
  private long consecutiveFailures;
  // Guarded by lock: the highest horizon the coordinator confirmed for each worker this node held.
  private final Map<Integer, Long> confirmedHorizons = new HashMap<>();
  // Guarded by lock: the highest horizon of any worker the coordinator has reported to this node.
  private long highestHorizonSeen;
  // Guarded by lock: after the coordinator lost writes, no new claim issues at or below this.
  private long lostHistoryFloorMillis;
  // Guarded by lock: the floor of the claim held, the previous horizon or the one above.
  private long claimFloorMillis;
  // Guarded by lock: the local deadline of the lease published last, even once withdrawn.
  private long publishedValidUntilNanos;

  /** Creates a manager; no I/O and no thread until {@link #start()}. */
  public LeaseManager(WorkerLeaseStore store, LeaseConfig config, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Claims a worker on the calling thread and starts renewing it in the background.
   *
   * @throws WorkerTakenException if the configured static worker is held by another node
   * @throws NoFreeWorkerException if every worker number is held
   * @throws CoordinatorException if the coordinator cannot be reached
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException("lease manager already " + (closed ? "closed" : "started"));
      }
      store.onPossibleLoss(this::suspend);
      claim();
      started = true;
      renewer = BackgroundThread.start("idmint-lease-renewer");
      long intervalNanos = config.renewInterval().toNanos();
      renewer.scheduleWithFixedDelay(
          this::renewInBackground, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public WorkerLease current() {
    return current;
  }

  /** True while a lease is held and its local deadline has not passed. */
  public boolean isValid() {
    WorkerLease lease = current;
    return lease != null && clock.monotonicNanos() - lease.validUntilNanos() < 0;
  }

  /** The latest failure of a claim or renewal, or {@code null} after a success. */
  public Throwable lastFailure() {
    return lastFailure;
  }

  public LeaseConfig config() {
    return config;
  }

  /**
   * How far this node's wall clock was ahead of the coordinator's (negative: behind it, or behind
   * the highest horizon of any worker) at the last claim or renewal; 0 within the measuring
   * uncertainty (the round trip) or before the first measurement.
   */
  public long clockSkewMillis() {
    return clockSkewMillis;
  }

  /**
   * Performs one renewal now on the calling thread, or a claim when no lease is held. The
   * background thread calls this on schedule; tests call it to step through time.
   *
   * @throws CoordinatorException if the coordinator failed (the lease published before stays until
   *     its local deadline)
   * @throws IdMintException if a claim was refused
   */
  public void renewNow() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      try {
        if (grant == null) {
          claim();
        } else {
          renew();
        }
        lastFailure = null;
      } catch (RuntimeException e) {
        lastFailure = e;
        throw e;
      }
    }
  }

  /**
   * Stops renewing and releases the worker so another node may claim it at once. Generators reading
   * this manager refuse to issue from here on. Idempotent.
   */
  @Override
  public void close() {
    ScheduledExecutorService toStop;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = renewer;
    }
    BackgroundThread.stop(toStop);
    synchronized (lock) {
      current = null;
      if (grant != null) {
        LeaseGrant released = grant;
        grant = null;
        try {
          store.release(released);
        } catch (RuntimeException e) {
          LOG.log(
              Level.WARNING,
              "could not release worker "
                  + released.worker()
                  + "; it is free again once its lease expires: "
                  + e.getMessage());
        }
      }
    }
  }

  /**
   * Stops issuing at once because the store signalled that the claim may be lost; the next renewal
   * confirms the claim (and publishes the lease again) or finds it lost and claims anew.
   */
  private void suspend() {
    if (current != null) {
      current = null;
      LOG.log(Level.WARNING, "coordinator signalled a possible loss of the worker claim; fenced");
    }
    // Not under the lock: a renewal in progress may hold it for a whole store timeout, and this
    // runs on the store's event thread.
    ScheduledExecutorService scheduler = closed ? null : renewer;
    if (scheduler != null) {
      // Confirm or re-claim soon rather than at the next scheduled renewal: a brief disconnect
      // (a ZooKeeper leader election) should not cost a whole renew interval of unavailability.
      try {
        scheduler.schedule(this::renewInBackground, 100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        // closing
      }
    }
  }

  private void claim() {
    ClockSkew skew = checkClock();
    long t0 = clock.monotonicNanos();
    // Disagreeing clocks record no horizon: 0 leaves a worker's horizon as it was.
    long reserveUntil = skew == null ? clock.wallMillis() + config.horizonAhead().toMillis() : 0;
    LeaseGrant claimed =
        store.claim(
            new ClaimRequest(
                config.owner(),
                config.staticWorker(),
                config.maxWorker(),
                config.ttl(),
                reserveUntil));
    publish(claimed, t0, skew, true);
    LOG.log(
        Level.INFO,
        "claimed worker "
            + claimed.worker()
            + " (fencing token "
            + claimed.fencingToken()
            + ", previous horizon "
            + claimFloorMillis
            + ")"
            + (claimFloorMillis > claimed.previousHorizonMillis()
                ? "; the coordinator answered "
                    + claimed.previousHorizonMillis()
                    + ", raised because it lost writes"
                : ""));
  }

  private void renew() {
    ClockSkew skew = checkClock();
    long t0 = clock.monotonicNanos();
    long reserveUntil =
        skew == null
            ? Math.max(
                grant.reservedUntilMillis(), clock.wallMillis() + config.horizonAhead().toMillis())
            : grant.reservedUntilMillis();
    try {
      publish(store.renew(grant, config.ttl().toMillis(), reserveUntil), t0, skew, false);
    } catch (LeaseLostException lost) {
      int lostWorker = grant.worker();
      current = null;
      grant = null;
      LOG.log(Level.WARNING, lost.getMessage() + "; claiming a worker again");
      if (t0 - publishedValidUntilNanos < 0) {
        // Our local deadline ends before the coordinator's expiry (rule 2), so a claim that is
        // gone while still valid here was not expired: the coordinator lost it.
        lostWrites(
            "the claim on worker " + lostWorker + " vanished before it could have expired",
            clock.wallMillis());
      }
      claim();
    }
  }

  private void publish(LeaseGrant granted, long t0, ClockSkew skew, boolean claimed) {
    refuseHorizonGoneBack(granted, claimed);
    grant = granted;
    if (claimed) {
      // After the coordinator lost writes the worker's recorded horizon may be one of the lost
      // ones: IDs of a new claim start above the floor. A renewal keeps its claim's floor (nobody
      // else issued under our claim meanwhile).
      claimFloorMillis = Math.max(granted.previousHorizonMillis(), lostHistoryFloorMillis);
    }
    publishedValidUntilNanos = t0 + config.localValidityNanos(granted.ttlMillis());
    current =
        new WorkerLease(
            granted.worker(),
            granted.fencingToken(),
            publishedValidUntilNanos,
            granted.reservedUntilMillis(),
            Math.max(granted.previousHorizonMillis(), claimFloorMillis),
            skew);
  }

  /**
   * Rule 3 across a coordinator that lost writes (restored from a backup, a replica promoted
   * without them, Redis restarted without persistence): any worker's recorded horizon may then be
   * lower than what was issued under it before the loss. Two signs of it: the highest horizon of
   * any worker goes back (horizons only grow), or this node's claim is gone while its local
   * deadline, which ends before the coordinator's expiry, has not passed. Either may be missed (a
   * node that reads after others recorded new horizons sees no drop), so both are watched.
   */
  private void noticeLostHistory(long highestHorizon, long wallMillis) {
    if (highestHorizon < highestHorizonSeen) {
      lostWrites(
          "the coordinator's highest reserved horizon went back from "
              + highestHorizonSeen
              + " to "
              + highestHorizon,
          wallMillis);
    }
    highestHorizonSeen = highestHorizon;
  }

  /**
   * Every horizon recorded before the loss was at most its node's wall clock plus {@code
   * horizonAhead}, and each node's clock was within {@code maxClockSkew} of the coordinator's (rule
   * 8), so from this node's clock now every such horizon lies below {@code wall + horizonAhead +
   * 2·maxClockSkew}: new claims issue only above that. A node started after the loss cannot know
   * (docs/coordinators.md, the weakest stores).
   */
  private void lostWrites(String sign, long wallMillis) {
    long floor =
        Math.max(
            highestHorizonSeen,
            wallMillis + config.horizonAhead().toMillis() + 2 * config.maxClockSkew().toMillis());
    LOG.log(
        Level.WARNING,
        sign
            + ": the coordinator lost durable writes (restored from a backup, or a store without"
            + " persistence restarted); a worker claimed from now on issues only above "
            + floor
            + " ("
            + (floor - wallMillis)
            + " ms from now)");
    lostHistoryFloorMillis = Math.max(lostHistoryFloorMillis, floor);
  }

  /**
   * Compares the wall clock with the coordinator's (rule 8); returns the disagreement beyond {@code
   * max-clock-skew}, or null. The coordinator's clock was read between the wall readings before and
   * after the call, so only what lies outside that interval counts: a slow answer never makes a
   * correct clock look wrong. A horizon is at most {@code horizonAhead} ahead of the clock of the
   * node that recorded it, so a wall clock that trails the highest horizon by more than that (plus
   * {@code max-clock-skew}) is behind the latest IDs anyone issued.
   */
  private ClockSkew checkClock() {
    long before = clock.wallMillis();
    CoordinatorTime reference = store.coordinatorTime(config.maxWorker());
    long after = clock.wallMillis();
    noticeLostHistory(reference.highestHorizonMillis(), after);
    long skew = 0;
    String against = null;
    if (reference.clockMillis().isPresent()) {
      long coordinator = reference.clockMillis().getAsLong();
      skew = Math.max(0, before - coordinator) - Math.max(0, coordinator - after);
      against = reference.clockSource();
    }
    long behindHorizon =
        reference.highestHorizonMillis() - (after + config.horizonAhead().toMillis());
    if (behindHorizon > 0 && -behindHorizon < skew) {
      skew = -behindHorizon;
      against =
          "the highest reserved horizon of any worker minus horizon-ahead (the latest IDs issued"
              + " through this coordinator)";
    }
    long maxSkew = config.maxClockSkew().toMillis();
    boolean disagrees = Math.abs(skew) > maxSkew;
    boolean disagreed = Math.abs(clockSkewMillis) > maxSkew;
    clockSkewMillis = skew;
    if (!disagrees) {
      if (disagreed) {
        LOG.log(Level.INFO, "wall clock agrees with the coordinator again; serving resumes");
      }
      return null;
    }
    ClockSkew found = new ClockSkew(skew, against, maxSkew);
    if (!disagreed) {
      LOG.log(Level.WARNING, found.describe());
    }
    return found;
  }

  /**
   * A coordinator that lost durable writes (restored from a backup) answers with a horizon below
   * one it had confirmed to this node for the same worker: on a renewal of the same claim its
   * current horizon, on a new claim the horizon before the claim. Such an answer is not published.
   */
  private void refuseHorizonGoneBack(LeaseGrant granted, boolean claimed) {
    long answered = claimed ? granted.previousHorizonMillis() : granted.reservedUntilMillis();
    Long confirmed = confirmedHorizons.get(granted.worker());
    if (confirmed != null && answered < confirmed) {
      current = null;
      grant = null;
      try {
        store.release(granted);
      } catch (RuntimeException e) {
        // the claim expires by itself
      }
      throw new HorizonWentBackException(granted.worker(), confirmed, answered);
    }
    confirmedHorizons.merge(granted.worker(), granted.reservedUntilMillis(), Math::max);
  }

  private void renewInBackground() {
    try {
      renewNow();
      synchronized (lock) {
        if (consecutiveFailures > 0) {
          LOG.log(
              Level.INFO,
              "worker lease renewed again after " + consecutiveFailures + " failed attempts");
          consecutiveFailures = 0;
          warned = false;
        }
      }
    } catch (RuntimeException e) {
      warnRateLimited(e);
    }
  }

  private void warnRateLimited(RuntimeException e) {
    synchronized (lock) {
      consecutiveFailures++;
      long now = clock.monotonicNanos();
      if (!warned || now - lastWarnNanos >= WARN_EVERY_NANOS) {
        warned = true;
        lastWarnNanos = now;
        LOG.log(
            Level.WARNING,
            "worker lease renewal failed ("
                + consecutiveFailures
                + " attempts so far); issuing stops at the local deadline if this persists: "
                + e);
      }
    }
  }
}
