package dev.idmint.bench;

import dev.idmint.core.Clock;
import dev.idmint.core.HorizonExhaustedException;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeId;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * idmint snowflake with borrowing on (the default 1 s) under a short reserved horizon that a
 * background renewer advances the way {@link dev.idmint.core.lease.LeaseManager} does: every {@code
 * horizonAheadMillis / 4} it publishes a new lease with {@code reservedUntil = max(previous, wall +
 * horizonAheadMillis)}.
 *
 * <p>What it checks, and fails the benchmark on (DESIGN.md rule 3): after every call, that the ID's
 * tick is not beyond the horizon of the lease in force (read after the call, so never older than
 * the one the generator used); and at the end of every iteration, that the last ID issued (the
 * highest, since one generator's IDs only grow), decoded with {@link SnowflakeLayout#decode},
 * carries a timestamp at or before the horizon in force.
 *
 * <p>What it prints, per iteration (warm-up included): IDs issued, the rate, how many IDs were
 * issued above the 4,096-per-ms cap, how far the last ID's timestamp lies ahead of the wall clock,
 * and how many calls were refused with {@link HorizonExhaustedException}. The window of each line
 * runs from the end of the previous iteration (or the generator's creation) to the end of this one:
 * the cap keeps accruing while JMH pauses between iterations, and a borrowing generator catches up
 * on it when calls resume, so a window that left the pauses out would show that catch-up as a
 * burst. The issued and refused rates are also reported as secondary results.
 */
@State(Scope.Benchmark)
public class RenewedHorizon {
  /**
   * How far ahead each renewal reserves. 2000: the horizon stays 1.5 to 2 s ahead, beyond the 1 s
   * of borrowing. 400: the horizon (0.3 to 0.4 s ahead) binds before the borrowing limit does.
   */
  @Param({"2000", "400"})
  public long horizonAheadMillis;

  private final Clock clock = Clock.system();
  private final SnowflakeLayout layout = SnowflakeLayout.defaults();
  private final List<PerThread> threads = new CopyOnWriteArrayList<>();
  private final int tickShift = layout.workerBits() + layout.sequenceBits();

  private volatile Renewal renewal;
  private ScheduledExecutorService renewer;
  private SnowflakeGenerator generator;

  private int iteration;
  private long windowStartNanos;
  private long issuedBefore;
  private long refusedBefore;
  private long issuedTotal;
  private long refusedTotal;
  private long aboveCapTotal;
  private long maxLeadMillis;

  /** A lease and the last tick its horizon allows, published together. */
  private record Renewal(WorkerLease lease, long horizonTick) {}

  @Setup(Level.Trial)
  public void setUp() {
    renew();
    renewer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "bench-horizon-renewer");
              thread.setDaemon(true);
              return thread;
            });
    long intervalMillis = horizonAheadMillis / 4;
    renewer.scheduleAtFixedRate(this::renew, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    generator = SnowflakeGenerator.builder(layout, () -> renewal.lease()).build();
    windowStartNanos = clock.monotonicNanos();
  }

  private void renew() {
    Renewal previous = renewal;
    long reservedUntilMillis =
        Math.max(
            previous == null ? 0 : previous.lease().reservedUntilMillis(),
            clock.wallMillis() + horizonAheadMillis);
    WorkerLease lease =
        new WorkerLease(
            1, 1, clock.monotonicNanos() + Generators.HOUR_NANOS, reservedUntilMillis, 0);
    renewal = new Renewal(lease, layout.tickOf(reservedUntilMillis + 1) - 1);
  }

  /**
   * Runs after every thread has finished the iteration.
   *
   * @throws IllegalStateException if any ID carried a timestamp beyond the horizon in force
   */
  @TearDown(Level.Iteration)
  public void endIteration() {
    long endNanos = clock.monotonicNanos();
    long elapsedNanos = endNanos - windowStartNanos;
    windowStartNanos = endNanos;
    long nowMillis = clock.wallMillis();
    WorkerLease inForce = renewal.lease();
    long issued = 0;
    long refused = 0;
    long beyondHorizon = 0;
    long lastId = 0;
    for (PerThread thread : threads) {
      issued += thread.issuedSoFar;
      refused += thread.refusedSoFar;
      beyondHorizon += thread.beyondHorizon;
      lastId = Math.max(lastId, thread.lastId);
    }
    iteration++;
    long issuedNow = issued - issuedBefore;
    long refusedNow = refused - refusedBefore;
    issuedBefore = issued;
    refusedBefore = refused;
    if (beyondHorizon > 0) {
      throw new IllegalStateException(
          beyondHorizon + " IDs carried a tick beyond the reserved horizon in force");
    }
    if (lastId == 0) {
      System.out.printf(
          "[horizon %d ms] iteration %d: no ID issued%n", horizonAheadMillis, iteration);
      return;
    }
    SnowflakeId last = layout.decode(lastId);
    if (last.timestampMillis() > inForce.reservedUntilMillis()) {
      throw new IllegalStateException(
          "last ID "
              + lastId
              + " has timestamp "
              + last.timestamp()
              + ", beyond the reserved horizon "
              + Instant.ofEpochMilli(inForce.reservedUntilMillis()));
    }
    long capPerMs = (layout.maxSequence() + 1L) / layout.tickUnit().millis();
    long capInWindow = capPerMs * elapsedNanos / 1_000_000L;
    long aboveCap = Math.max(0, issuedNow - capInWindow);
    long leadMillis = last.timestampMillis() - nowMillis;
    issuedTotal += issuedNow;
    refusedTotal += refusedNow;
    aboveCapTotal += aboveCap;
    maxLeadMillis = Math.max(maxLeadMillis, leadMillis);
    double seconds = elapsedNanos / 1e9;
    System.out.printf(
        Locale.ROOT,
        "[horizon %d ms] iteration %d: issued %,d IDs in %.3f s (since the last report) ="
            + " %.3f M/s (cap %.3f M/s);"
            + " above cap: %,d IDs (%.3f M/s); last ID %d is %d ms ahead of the wall clock,"
            + " %d ms before the horizon: OK; refused (horizon exhausted): %,d%n",
        horizonAheadMillis,
        iteration,
        issuedNow,
        seconds,
        issuedNow / seconds / 1e6,
        capPerMs / 1e3,
        aboveCap,
        aboveCap / seconds / 1e6,
        lastId,
        leadMillis,
        inForce.reservedUntilMillis() - last.timestampMillis(),
        refusedNow);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    renewer.shutdownNow();
    System.out.printf(
        Locale.ROOT,
        "[horizon %d ms] trial: issued %,d IDs, %,d of them above the cap, refused %,d calls;"
            + " largest lead over the wall clock %d ms; every ID within the reserved horizon%n",
        horizonAheadMillis,
        issuedTotal,
        aboveCapTotal,
        refusedTotal,
        maxLeadMillis);
  }

  /**
   * One benchmark thread's view: what it issued and the per-call horizon check. {@link #issued} and
   * {@link #refused} are JMH secondary results (rates); the rest is read by {@link #endIteration()}
   * after all threads have stopped for the iteration.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class PerThread {
    /** IDs issued in this iteration. */
    public long issued;

    /** Calls refused with {@link HorizonExhaustedException} in this iteration. */
    public long refused;

    private long issuedSoFar;
    private long refusedSoFar;
    private long beyondHorizon;
    private long lastId;

    @Setup(Level.Trial)
    public void register(RenewedHorizon shared) {
      shared.threads.add(this);
    }

    @Setup(Level.Iteration)
    public void resetCounters() {
      issued = 0;
      refused = 0;
    }

    /** Issues one ID and checks it against the horizon; returns 0 for a refused call. */
    long next(RenewedHorizon shared) {
      long id;
      try {
        id = shared.generator.nextId();
      } catch (HorizonExhaustedException refusal) {
        refused++;
        refusedSoFar++;
        return 0;
      }
      if ((id >>> shared.tickShift) > shared.renewal.horizonTick()) {
        beyondHorizon++;
      }
      issued++;
      issuedSoFar++;
      lastId = id;
      return id;
    }
  }
}
