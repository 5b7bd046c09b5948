package dev.idmint.bench;

import com.github.f4b6a3.uuid.UuidCreator;
import dev.idmint.core.Clock;
import io.hypersistence.tsid.TSID;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One benchmark method per generator: idmint's generators beside the peers, measured in the same
 * run. Baselines: {@link java.util.concurrent.atomic.AtomicLong#incrementAndGet()} (the physical
 * floor of a shared counter), an empty call (the harness floor) and one read of each clock (the
 * floor of anything time-based). The class is abstract; {@link OneThread} and {@link TwoThreads}
 * run every method at one and at two threads, so one JMH invocation measures both.
 *
 * <p>Every generator lives in a {@link org.openjdk.jmh.annotations.Scope#Benchmark} state (see
 * {@link Generators}): the threads of a run share one generator, as the request threads of one node
 * would. Each method returns its ID, which JMH consumes; no explicit Blackhole.
 *
 * <p>Every method also bumps {@link CpuCounters#ids}, so that the CPU time its thread used can be
 * divided by the IDs it asked for (a plain field increment, identical in every method, the baseline
 * included).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class IdGeneratorBenchmarks {

  // ---- baselines ------------------------------------------------------------------------------

  /** The harness floor: a call that only bumps the counter every method bumps. */
  @Benchmark
  public long emptyCall(CpuCounters cpu) {
    return ++cpu.ids;
  }

  @Benchmark
  public long atomicLong(Generators.Counter counter, CpuCounters cpu) {
    cpu.ids++;
    return counter.value.incrementAndGet();
  }

  /** What one read of the wall clock costs; idmint's snowflake reads it once per call. */
  @Benchmark
  public long wallClock(CpuCounters cpu) {
    cpu.ids++;
    return Clock.system().wallMillis();
  }

  /** What one read of the monotonic clock costs; idmint's snowflake reads it twice per call. */
  @Benchmark
  public long monotonicClock(CpuCounters cpu) {
    cpu.ids++;
    return Clock.system().monotonicNanos();
  }

  // ---- idmint ---------------------------------------------------------------------------------

  @Benchmark
  public long idmintSnowflakeNoBorrow(Generators.IdmintSnowflakeNoBorrow state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.nextId();
  }

  @Benchmark
  public long idmintSnowflakeBorrow(Generators.IdmintSnowflakeBorrow state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.nextId();
  }

  @Benchmark
  public long idmintSnowflakeBorrowRenewed(
      RenewedHorizon state, RenewedHorizon.PerThread thread, CpuCounters cpu) {
    cpu.ids++;
    return thread.next(state);
  }

  @Benchmark
  public long idmintSnowflakeWideSequence(
      Generators.IdmintSnowflakeWideSequence state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.nextId();
  }

  @Benchmark
  public long idmintSegment(Generators.IdmintSegment state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.nextId();
  }

  // ---- peers ----------------------------------------------------------------------------------

  @Benchmark
  public long cosidSnowflake(Generators.CosIdSnowflake state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.generate();
  }

  @Benchmark
  public long cosidSnowflakeWideSequence(
      Generators.CosIdSnowflakeWideSequence state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.generate();
  }

  @Benchmark
  public long cosidSegmentChain(Generators.CosIdSegmentChain state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.generate();
  }

  @Benchmark
  public long hutoolSnowflake(Generators.HutoolSnowflake state, CpuCounters cpu) {
    cpu.ids++;
    return state.generator.nextId();
  }

  @Benchmark
  public long tsidFactory(Generators.TsidFactory state, CpuCounters cpu) {
    cpu.ids++;
    return state.factory.generate().toLong();
  }

  @Benchmark
  public long tsidFast(CpuCounters cpu) {
    cpu.ids++;
    return TSID.fast().toLong();
  }

  @Benchmark
  public UUID uuidCreatorV7(CpuCounters cpu) {
    cpu.ids++;
    return UuidCreator.getTimeOrderedEpoch();
  }

  @Benchmark
  public UUID jdkRandomUuid(CpuCounters cpu) {
    cpu.ids++;
    return UUID.randomUUID();
  }
}
