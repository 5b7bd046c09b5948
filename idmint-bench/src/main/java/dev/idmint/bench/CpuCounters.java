package dev.idmint.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU time per ID, per benchmark thread. A throughput score says how many IDs came out per second;
 * it does not say what they cost: a generator whose threads park while another holds its lock uses
 * less CPU per ID than one whose threads all spin, at the same throughput.
 *
 * <p>How: at the start and the end of each iteration this thread's CPU time is read from {@link
 * ThreadMXBean#getCurrentThreadCpuTime()} (on Linux {@code CLOCK_THREAD_CPUTIME_ID}, user + system
 * time of this thread only), and the benchmark method counts its calls in {@link #ids}. The three
 * public fields are JMH secondary results of type {@code EVENTS}, summed over the threads (and
 * aggregated alike over the iterations), so {@code cpuNanos / ids} is the CPU time the benchmark
 * threads spent per ID and {@code cpuNanos / wallNanos} the fraction of a core each kept busy.
 *
 * <p>What it leaves out: the generators' own background threads (segment loaders, Hutool's clock
 * thread, the renewer of {@link RenewedHorizon}), the JIT and the GC. The window includes the calls
 * JMH makes while it synchronises the threads at the start and end of an iteration; those calls are
 * counted in {@link #ids} too, so the ratio stays right.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuCounters {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Calls made by this thread in the iteration; incremented by the benchmark method. */
  public long ids;

  /** CPU time this thread used in the iteration. */
  public long cpuNanos;

  /** Wall time of the same window. */
  public long wallNanos;

  private long cpuStartNanos;
  private long wallStartNanos;

  @Setup(Level.Iteration)
  public void start() {
    if (!THREADS.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure the CPU time of a thread");
    }
    ids = 0;
    cpuNanos = 0;
    wallNanos = 0;
    wallStartNanos = System.nanoTime();
    cpuStartNanos = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void stop() {
    cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStartNanos;
    wallNanos = System.nanoTime() - wallStartNanos;
  }
}
