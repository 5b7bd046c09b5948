package dev.idmint.testkit;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SegmentStore} in memory, for tests and simulations: one instance plays one coordinator.
 * Faults are injected with {@link #setAvailable(boolean)}; {@link #reset(String)} plays a store
 * restored from an old backup.
 */
public final class InMemorySegmentStore implements SegmentStore {
  private final ConcurrentMap<String, AtomicLong> maxIds = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private volatile boolean available = true;

  /** While unavailable, every call fails with {@link CoordinatorException}. */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  /** Forgets a namespace, so that its next range starts at 1 again. */
  public void reset(String namespace) {
    maxIds.remove(namespace);
  }

  /** How many allocations were attempted, failed ones included. */
  public long allocations() {
    return calls.get();
  }

  @Override
  public Segment allocate(String namespace, long step) {
    calls.incrementAndGet();
    if (step < 1) {
      throw new IllegalArgumentException("step must be >= 1: step=" + step);
    }
    if (!available) {
      throw new CoordinatorException("in-memory coordinator is unavailable (injected fault)");
    }
    long end = maxIds.computeIfAbsent(namespace, ns -> new AtomicLong(1)).addAndGet(step);
    return new Segment(end - step, end);
  }
}
