package dev.idmint.core.lease;

import dev.idmint.core.Clock;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.IdMintException;
import dev.idmint.core.internal.BackgroundThread;
import java.lang.System.Logger.Level;
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

  // Guarded by lock.
  private LeaseGrant grant;
  private volatile ScheduledExecutorService renewer;
  private boolean started;
  private volatile boolean closed;
  private boolean warned;
  private long lastWarnNanos;
  private long consecutiveFailures;
  // Guarded by lock: the highest horizon the coordinator confirmed for each worker this node held.
  private final java.util.Map<Integer, Long> confirmedHorizons = new java.util.HashMap<>();

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
    long t0 = clock.monotonicNanos();
    long reserveUntil = clock.wallMillis() + config.horizonAhead().toMillis();
    LeaseGrant claimed =
        store.claim(
            new ClaimRequest(
                config.owner(),
                config.staticWorker(),
                config.maxWorker(),
                config.ttl(),
                reserveUntil));
    publish(claimed, t0);
    LOG.log(
        Level.INFO,
        "claimed worker "
            + claimed.worker()
            + " (fencing token "
            + claimed.fencingToken()
            + ", previous horizon "
            + claimed.previousHorizonMillis()
            + ")");
  }

  private void renew() {
    long t0 = clock.monotonicNanos();
    long reserveUntil =
        Math.max(
            grant.reservedUntilMillis(), clock.wallMillis() + config.horizonAhead().toMillis());
    try {
      publish(store.renew(grant, config.ttl().toMillis(), reserveUntil), t0);
    } catch (LeaseLostException lost) {
      current = null;
      grant = null;
      LOG.log(Level.WARNING, lost.getMessage() + "; claiming a worker again");
      claim();
    }
  }

  private void publish(LeaseGrant granted, long t0) {
    refuseHorizonGoneBack(granted);
    grant = granted;
    current =
        new WorkerLease(
            granted.worker(),
            granted.fencingToken(),
            t0 + config.localValidityNanos(granted.ttlMillis()),
            granted.reservedUntilMillis(),
            granted.previousHorizonMillis());
  }

  /**
   * A coordinator that lost durable writes (restored from a backup) answers with a horizon below
   * one it had confirmed to this node for the same worker: on a renewal of the same claim its
   * current horizon, on a new claim the horizon before the claim. Such an answer is not published.
   */
  private void refuseHorizonGoneBack(LeaseGrant granted) {
    boolean renewal =
        grant != null
            && grant.worker() == granted.worker()
            && grant.fencingToken() == granted.fencingToken();
    long answered = renewal ? granted.reservedUntilMillis() : granted.previousHorizonMillis();
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
