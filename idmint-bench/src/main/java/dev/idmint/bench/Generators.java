package dev.idmint.bench;

import cn.hutool.core.lang.Snowflake;
import dev.idmint.core.Clock;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.lease.WorkerLeaseSource;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.segment.SegmentGenerator;
import dev.idmint.core.segment.SegmentStore;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import io.hypersistence.tsid.TSID;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import me.ahoo.cosid.segment.IdSegmentDistributor;
import me.ahoo.cosid.segment.SegmentChainId;
import me.ahoo.cosid.segment.concurrent.PrefetchWorkerExecutorService;
import me.ahoo.cosid.snowflake.MillisecondSnowflakeId;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The generators under test, one {@link Scope#Benchmark} state each: all threads of a run share one
 * generator. Every generator is built in {@code @Setup(Level.Trial)}, so it starts fresh in each
 * forked JVM, and every background thread is stopped in {@code @TearDown}. JMH subclasses state
 * classes, so they are public and not final.
 *
 * <p>All snowflakes here have 12 bits of sequence per millisecond: 4,096 IDs per ms, 4.096 M/s per
 * worker, is the cap every one of them must respect unless it borrows time.
 */
public final class Generators {
  static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  private Generators() {}

  /**
   * A lease on worker 1 that stays valid for an hour and has timestamps reserved an hour ahead: the
   * horizon never binds, so the generator is measured on its own.
   */
  static WorkerLeaseSource fixedLease() {
    Clock clock = Clock.system();
    WorkerLease lease =
        new WorkerLease(
            1,
            1,
            clock.monotonicNanos() + HOUR_NANOS,
            clock.wallMillis() + Duration.ofHours(1).toMillis(),
            0);
    return () -> lease;
  }

  /** The physical baseline: one shared counter. */
  @State(Scope.Benchmark)
  public static class Counter {
    final AtomicLong value = new AtomicLong();
  }

  /** idmint snowflake, default layout, borrowing off: a full millisecond waits for the next. */
  @State(Scope.Benchmark)
  public static class IdmintSnowflakeNoBorrow {
    SnowflakeGenerator generator;

    @Setup(Level.Trial)
    public void setUp() {
      generator =
          SnowflakeGenerator.builder(SnowflakeLayout.defaults(), fixedLease())
              .maxBorrow(Duration.ZERO)
              .build();
    }
  }

  /**
   * idmint snowflake, default layout, default borrowing (up to 1 s ahead of the wall clock). Under
   * sustained overload the borrowed second is used up within the first warm-up iteration; what is
   * measured after that is the cap. {@link RenewedHorizon} shows the burst itself.
   */
  @State(Scope.Benchmark)
  public static class IdmintSnowflakeBorrow {
    SnowflakeGenerator generator;

    @Setup(Level.Trial)
    public void setUp() {
      generator = SnowflakeGenerator.builder(SnowflakeLayout.defaults(), fixedLease()).build();
    }
  }

  /**
   * idmint snowflake on a layout with 21 bits of sequence (41 + 1 + 21): 2,097,152 IDs per ms, a
   * cap no benchmark thread reaches, so what is measured is the cost of one call rather than the
   * cap. Compare with {@link CosIdSnowflakeWideSequence}.
   */
  @State(Scope.Benchmark)
  public static class IdmintSnowflakeWideSequence {
    SnowflakeGenerator generator;

    @Setup(Level.Trial)
    public void setUp() {
      SnowflakeLayout layout =
          SnowflakeLayout.builder().timestampBits(41).workerBits(1).sequenceBits(21).build();
      generator = SnowflakeGenerator.builder(layout, fixedLease()).maxBorrow(Duration.ZERO).build();
    }
  }

  /**
   * idmint segment generator over an in-memory store (an {@link AtomicLong}, as fast as a store can
   * be). {@code step} is a fixed step (minimum = maximum, so the adaptation is off and the same
   * step as {@link CosIdSegmentChain}'s is measured), or {@code adaptive}: {@link
   * SegmentConfig#defaults()}, the step starting at 1,000 and adapting to the rate.
   */
  @State(Scope.Benchmark)
  public static class IdmintSegment {
    @Param({"1000", "1000000", "adaptive"})
    public String step;

    /** {@code memory}: answers at once; {@code 2ms}: each allocation takes 2 ms (a round trip). */
    @Param({"memory", "2ms"})
    public String store;

    SegmentGenerator generator;

    @Setup(Level.Trial)
    public void setUp() {
      AtomicLong maxId = new AtomicLong();
      boolean slow = store.equals("2ms");
      SegmentStore segments =
          (namespace, size) -> {
            if (slow) {
              storeLatency();
            }
            long end = maxId.addAndGet(size) + 1;
            return new Segment(end - size, end);
          };
      SegmentConfig config;
      if (step.equals("adaptive")) {
        config = SegmentConfig.defaults();
      } else {
        long fixed = Long.parseLong(step);
        config = SegmentConfig.builder().initialStep(fixed).minStep(fixed).maxStep(fixed).build();
      }
      generator = new SegmentGenerator("bench", segments, config, Clock.system());
      generator.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      generator.close();
    }
  }

  /** CosId's millisecond snowflake (41 + 10 + 12 bits): a synchronized method that spins. */
  @State(Scope.Benchmark)
  public static class CosIdSnowflake {
    MillisecondSnowflakeId generator;

    @Setup(Level.Trial)
    public void setUp() {
      generator = new MillisecondSnowflakeId(1);
    }
  }

  /** CosId's millisecond snowflake on the same 41 + 1 + 21 layout and epoch as idmint's above. */
  @State(Scope.Benchmark)
  public static class CosIdSnowflakeWideSequence {
    MillisecondSnowflakeId generator;

    @Setup(Level.Trial)
    public void setUp() {
      generator = new MillisecondSnowflakeId(SnowflakeLayout.DEFAULT_EPOCH_MILLIS, 41, 1, 21, 1);
    }
  }

  /**
   * CosId's segment chain with the same in-memory distributor and step as {@link IdmintSegment},
   * and its own prefetch executor (the one-argument constructor would use a global one with a
   * shutdown hook).
   */
  @State(Scope.Benchmark)
  public static class CosIdSegmentChain {
    @Param({"1000", "1000000"})
    public long step;

    /** As {@link IdmintSegment#store}. */
    @Param({"memory", "2ms"})
    public String store;

    PrefetchWorkerExecutorService prefetch;
    SegmentChainId generator;

    @Setup(Level.Trial)
    public void setUp() {
      prefetch = new PrefetchWorkerExecutorService(Duration.ofSeconds(1), 1, false);
      generator =
          new SegmentChainId(
              Long.MAX_VALUE,
              SegmentChainId.DEFAULT_SAFE_DISTANCE,
              store.equals("2ms") ? new SlowAtomic(step) : new IdSegmentDistributor.Atomic(step),
              prefetch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      prefetch.shutdown();
    }
  }

  /** CosId's in-memory distributor, each allocation taking 2 ms like idmint's {@code 2ms} store. */
  static final class SlowAtomic extends IdSegmentDistributor.Atomic {
    SlowAtomic(long step) {
      super(step);
    }

    @Override
    public long nextMaxId(long step) {
      storeLatency();
      return super.nextMaxId(step);
    }
  }

  /** Two milliseconds of a store round trip, spent off-CPU as a network wait would be. */
  static void storeLatency() {
    long until = System.nanoTime() + 2_000_000L;
    for (long left = 2_000_000L; left > 0; left = until - System.nanoTime()) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }

  /**
   * Hutool's snowflake as users get it from {@code new Snowflake(worker, datacenter)}: a
   * synchronized method that spins, reading Hutool's own millisecond clock thread.
   */
  @State(Scope.Benchmark)
  public static class HutoolSnowflake {
    Snowflake generator;

    @Setup(Level.Trial)
    public void setUp() {
      generator = new Snowflake(1, 1);
    }
  }

  /**
   * TSID from a factory with a node number (10 node bits, 12 counter bits). When the counter of a
   * millisecond overflows, the factory carries into the timestamp, without a bound: under sustained
   * overload its timestamps run ahead of the wall clock further and further. The teardown prints
   * how far, after every iteration.
   */
  @State(Scope.Benchmark)
  public static class TsidFactory {
    TSID.Factory factory;
    private int iteration;

    @Setup(Level.Trial)
    public void setUp() {
      factory = TSID.Factory.builder().withNode(1).build();
    }

    @TearDown(Level.Iteration)
    public void printLead() {
      long leadMillis = factory.generate().getUnixMilliseconds() - Clock.system().wallMillis();
      System.out.printf(
          "[tsidFactory] iteration %d: the newest TSID's timestamp is %d ms ahead of the wall"
              + " clock%n",
          ++iteration, leadMillis);
    }
  }
}
