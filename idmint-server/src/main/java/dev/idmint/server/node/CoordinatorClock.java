package dev.idmint.server.node;

import dev.idmint.core.Clock;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.SegmentUnavailableException;
import dev.idmint.core.internal.BackgroundThread;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.WorkerLeaseStore;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * This node's estimate of the coordinator's clock, which decides the period of a business number (a
 * pattern namespace's day, month or year), so that two nodes agree which day it is around midnight
 * whatever their own wall clocks say.
 *
 * <p>Design notes. Every {@code measureEvery} the coordinator's clock is read ({@link
 * WorkerLeaseStore#coordinatorTime}) between two monotonic readings {@code t0} and {@code t1}; the
 * answer is taken to hold at their midpoint, so it is off by at most {@code (t1 − t0) / 2}. Between
 * measurements the estimate runs on the monotonic clock from that point, never on the wall clock: a
 * wall-clock step on this node changes nothing, and the monotonic clock's drift adds at most {@code
 * ρ · age} ({@code ρ} = the lease's clock-drift rate, 0.1 % by default). So at any moment
 *
 * <pre>  |estimate − coordinator's clock| ≤ round trip / 2 + ρ · age of the measurement</pre>
 *
 * which {@link #boundMillis()} reports; with the defaults (a measurement every second, a round trip
 * of a few milliseconds) that is a few milliseconds. An estimate older than {@code maxAge} (the
 * lease time: the coordinator has not answered for that long) is not used: {@link #nowMillis()}
 * throws and no number is issued, as a node without a valid lease issues no snowflake ID. A
 * coordinator that has no clock of its own (embedded H2 runs on this node's clock) is measured by
 * this node's wall clock in the same way.
 *
 * <p>The same thread calls the registered tasks ({@link #onTick}) every {@code tickEvery} with the
 * estimate: pattern namespaces prepare the next period's counters from it, so the first numbers of
 * a day are loaded before midnight even when no call comes near it.
 *
 * <p>Lifecycle: {@link #start()} measures once on the caller (so a failing coordinator fails the
 * start) and starts the named thread; {@link #close()} stops it.
 */
final class CoordinatorClock implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CoordinatorClock.class.getName());

  private final WorkerLeaseStore store;
  private final Clock clock;
  private final long measureEveryNanos;
  private final long tickEveryMillis;
  private final long maxAgeNanos;
  private final double driftRate;
  private final List<LongConsumer> tasks = new CopyOnWriteArrayList<>();

  /** The latest measurement; null before the first. */
  private volatile Measurement latest;

  private volatile ScheduledExecutorService thread;
  private volatile boolean failing;

  /**
   * @param measureEvery how often the coordinator's clock is read
   * @param tickEvery how often the tasks run
   * @param maxAge how old a measurement may grow before the estimate is refused
   * @param driftRate the monotonic clock's largest drift, e.g. 0.001
   */
  CoordinatorClock(
      WorkerLeaseStore store,
      Clock clock,
      Duration measureEvery,
      Duration tickEvery,
      Duration maxAge,
      double driftRate) {
    this.store = store;
    this.clock = clock;
    this.measureEveryNanos = measureEvery.toNanos();
    this.tickEveryMillis = Math.max(1, tickEvery.toMillis());
    this.maxAgeNanos = maxAge.toNanos();
    this.driftRate = driftRate;
  }

  /**
   * One reading of the coordinator's clock.
   *
   * @param coordinatorMillis the coordinator's clock at {@code monotonicNanos}
   * @param monotonicNanos the midpoint of the monotonic readings around the call
   * @param halfRoundTripNanos half the time the call took: the reading's uncertainty
   */
  private record Measurement(
      long coordinatorMillis, long monotonicNanos, long halfRoundTripNanos) {}

  /**
   * Measures once, then starts the background thread.
   *
   * @throws dev.idmint.core.CoordinatorException if the coordinator cannot be read
   */
  void start() {
    measure();
    ScheduledExecutorService started = BackgroundThread.start("idmint-coordinator-clock");
    started.scheduleWithFixedDelay(this::tick, 0, tickEveryMillis, TimeUnit.MILLISECONDS);
    thread = started;
  }

  /** Runs {@code task} with the estimate on every tick, from the clock's thread, until removed. */
  void onTick(LongConsumer task) {
    tasks.add(task);
  }

  void remove(LongConsumer task) {
    tasks.remove(task);
  }

  /**
   * The coordinator's time now, in Unix milliseconds, within {@link #boundMillis()}.
   *
   * @throws IdUnavailableException if no measurement is recent enough to say
   */
  long nowMillis() {
    Measurement m = latest;
    long now = clock.monotonicNanos();
    if (m == null || now - m.monotonicNanos > maxAgeNanos) {
      throw new SegmentUnavailableException(
          m == null
              ? "the coordinator's time is not known yet (it decides a business number's period)"
              : "the coordinator's time was last read "
                  + Duration.ofNanos(now - m.monotonicNanos).toMillis()
                  + " ms ago, longer than "
                  + Duration.ofNanos(maxAgeNanos).toMillis()
                  + " ms; no business number is issued until it answers again",
          Duration.ofSeconds(1),
          null);
    }
    return m.coordinatorMillis + Math.floorDiv(now - m.monotonicNanos, 1_000_000L);
  }

  /** How far {@link #nowMillis()} may be from the coordinator's clock now, or -1 without one. */
  long boundMillis() {
    Measurement m = latest;
    if (m == null) {
      return -1;
    }
    long age = Math.max(0, clock.monotonicNanos() - m.monotonicNanos);
    return (long) Math.ceil((m.halfRoundTripNanos + age * driftRate) / 1_000_000.0);
  }

  private void measure() {
    long before = clock.monotonicNanos();
    long wallBefore = clock.wallMillis();
    CoordinatorTime time = store.coordinatorTime(0);
    long after = clock.monotonicNanos();
    long wallAfter = clock.wallMillis();
    long coordinator =
        time.clockMillis().isPresent()
            ? time.clockMillis().getAsLong()
            : wallBefore + (wallAfter - wallBefore) / 2;
    latest = new Measurement(coordinator, before + (after - before) / 2, (after - before + 1) / 2);
  }

  private void tick() {
    Measurement m = latest;
    if (m == null || clock.monotonicNanos() - m.monotonicNanos >= measureEveryNanos) {
      try {
        measure();
        if (failing) {
          LOG.log(Level.INFO, "the coordinator's clock can be read again");
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          LOG.log(
              Level.WARNING,
              "cannot read the coordinator's clock (business numbers stop once the last reading"
                  + " is too old): "
                  + e.getMessage());
          failing = true;
        }
      }
    }
    long now;
    try {
      now = nowMillis();
    } catch (IdUnavailableException e) {
      return;
    }
    for (LongConsumer task : tasks) {
      try {
        task.accept(now);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a coordinator-clock task failed: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    BackgroundThread.stop(thread);
    thread = null;
  }
}
