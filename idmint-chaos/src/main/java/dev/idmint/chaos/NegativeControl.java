package dev.idmint.chaos;

import dev.idmint.core.Clock;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.IdGenerator;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.lease.WorkerLeaseSource;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.server.node.SnowflakeFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The deliberately broken builds of the fault campaign's negative controls (docs/reliability.md):
 * each is a {@link SnowflakeFactory} that {@link NegativeControlNode} plugs into a node of the
 * campaign's own. They exist only in this module, which is never deployed: the shipped server has
 * no switch that turns a safety check off. Either one makes a node issue DUPLICATE IDs under
 * faults; a campaign run with one must find them, which proves its checks can fail.
 */
enum NegativeControl {
  /**
   * No logical clock: the tick is the wall clock's, even after it went back (no backward-step
   * check, no {@code max(wall, last)}); the sequence starts again whenever the tick changes. Lease
   * and horizon checks stay.
   */
  SKIP_CLOCK_CHECK("skip-clock-check") {
    @Override
    SnowflakeFactory factory() {
      return (ns, leases, clock) -> new WallClockSnowflake(ns.layout(), leases, clock);
    }
  },

  /**
   * The real generator behind a lease source that lies: a lease never passes its deadline nor its
   * reserved horizon, and the last lease seen is kept after it was lost. A paused node whose worker
   * was taken over goes on issuing on that worker when it resumes.
   */
  SKIP_LEASE_CHECK("skip-lease-check") {
    @Override
    SnowflakeFactory factory() {
      return (ns, leases, clock) ->
          SnowflakeFactory.STANDARD.create(ns, new LyingLeaseSource(leases, clock), clock);
    }
  };

  /** The name a campaign spec and the node's command line use. */
  final String id;

  NegativeControl(String id) {
    this.id = id;
  }

  abstract SnowflakeFactory factory();

  /**
   * @throws IllegalArgumentException naming the known controls if {@code id} is none of them
   */
  static NegativeControl of(String id) {
    for (NegativeControl control : values()) {
      if (control.id.equals(id)) {
        return control;
      }
    }
    throw new IllegalArgumentException(
        "unknown negative control '"
            + id
            + "'; known: "
            + SKIP_CLOCK_CHECK.id
            + ", "
            + SKIP_LEASE_CHECK.id);
  }

  @Override
  public String toString() {
    return id.toUpperCase(Locale.ROOT);
  }

  /** See {@link #SKIP_CLOCK_CHECK}. */
  static final class WallClockSnowflake implements IdGenerator {
    private final SnowflakeLayout layout;
    private final WorkerLeaseSource leases;
    private final Clock clock;
    private long lastTick = Long.MIN_VALUE;
    private long sequence;

    WallClockSnowflake(SnowflakeLayout layout, WorkerLeaseSource leases, Clock clock) {
      this.layout = layout;
      this.leases = leases;
      this.clock = clock;
    }

    @Override
    public long nextId() {
      WorkerLease lease = leases.current();
      if (lease == null || clock.monotonicNanos() - lease.validUntilNanos() >= 0) {
        throw new LeaseNotHeldException("negative control: no valid lease", Duration.ofSeconds(1));
      }
      for (; ; ) {
        long wallMillis = clock.wallMillis();
        if (wallMillis > lease.reservedUntilMillis()) {
          throw new HorizonExhaustedException(
              lease.worker(), lease.reservedUntilMillis(), wallMillis);
        }
        long tick = layout.tickOf(wallMillis);
        synchronized (this) {
          if (tick != lastTick) {
            lastTick = tick;
            sequence = 0;
          } else if (sequence < layout.maxSequence()) {
            sequence++;
          } else {
            clock.idle(1_000_000L);
            continue;
          }
          return layout.encode(tick, lease.worker(), (int) sequence);
        }
      }
    }

    @Override
    public void nextIds(long[] ids, int offset, int count) {
      Objects.checkFromIndexSize(offset, count, ids.length);
      for (int i = 0; i < count; i++) {
        ids[offset + i] = nextId();
      }
    }
  }

  /** See {@link #SKIP_LEASE_CHECK}. */
  static final class LyingLeaseSource implements WorkerLeaseSource {
    private static final Duration FOREVER = Duration.ofDays(365L * 50);

    private final WorkerLeaseSource real;
    private final Clock clock;
    private volatile WorkerLease lastReal;
    private volatile WorkerLease lie;

    LyingLeaseSource(WorkerLeaseSource real, Clock clock) {
      this.real = Objects.requireNonNull(real, "real");
      this.clock = clock;
    }

    @Override
    public WorkerLease current() {
      WorkerLease now = real.current();
      if (now == null || now == lastReal) {
        return lie;
      }
      WorkerLease lying =
          new WorkerLease(
              now.worker(),
              now.fencingToken(),
              clock.monotonicNanos() + FOREVER.toNanos(),
              clock.wallMillis() + FOREVER.toMillis(),
              now.previousHorizonMillis());
      lie = lying;
      lastReal = now;
      return lying;
    }
  }
}
