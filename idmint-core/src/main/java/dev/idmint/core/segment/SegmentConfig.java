package dev.idmint.core.segment;

import dev.idmint.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sizing of a segment namespace's buffers. Immutable; {@link Builder#build()} reports every problem
 * at once.
 *
 * <p>The step adapts: each time the next buffer is loaded, the consumption rate of the current one
 * is measured and the step set so that one buffer lasts {@code bufferDuration} (at most doubling or
 * halving per load, within {@code [minStep, maxStep]}). With two buffers, a coordinator outage is
 * served through for roughly one to two {@code bufferDuration}s at a steady rate.
 *
 * @param initialStep the step of the first allocation
 * @param minStep the least step the adaptation may choose
 * @param maxStep the largest step the adaptation may choose
 * @param loadFactor the fraction of the current buffer consumed when the next one is loaded
 * @param bufferDuration how long one buffer should last at the observed rate
 * @param awaitTimeout how long a caller waits when both buffers are empty before it gets a {@link
 *     dev.idmint.core.SegmentUnavailableException}
 * @param initialHighWater IDs below this are never served (the high-water mark remembered from an
 *     earlier run); 0 when unknown
 * @param threadChunk how many IDs a thread takes from the shared buffer at once and then hands out
 *     without touching shared memory; 1 turns it off (see {@link Builder#threadChunk(int)})
 */
public record SegmentConfig(
    long initialStep,
    long minStep,
    long maxStep,
    double loadFactor,
    Duration bufferDuration,
    Duration awaitTimeout,
    long initialHighWater,
    int threadChunk) {

  public static SegmentConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SegmentConfig} with the documented defaults. */
  public static final class Builder {
    private long initialStep = 1000;
    private long minStep = 100;
    private long maxStep = 100_000_000;
    private double loadFactor = 0.1;
    private Duration bufferDuration = Duration.ofMinutes(10);
    private Duration awaitTimeout = Duration.ofSeconds(1);
    private long initialHighWater;
    private int threadChunk = 32;

    private Builder() {}

    public Builder initialStep(long initialStep) {
      this.initialStep = initialStep;
      return this;
    }

    public Builder minStep(long minStep) {
      this.minStep = minStep;
      return this;
    }

    public Builder maxStep(long maxStep) {
      this.maxStep = maxStep;
      return this;
    }

    /** Fixes the step: no adaptation. */
    public Builder fixedStep(long step) {
      this.initialStep = step;
      this.minStep = step;
      this.maxStep = step;
      return this;
    }

    public Builder loadFactor(double loadFactor) {
      this.loadFactor = loadFactor;
      return this;
    }

    public Builder bufferDuration(Duration bufferDuration) {
      this.bufferDuration = bufferDuration;
      return this;
    }

    public Builder awaitTimeout(Duration awaitTimeout) {
      this.awaitTimeout = awaitTimeout;
      return this;
    }

    public Builder initialHighWater(long initialHighWater) {
      this.initialHighWater = initialHighWater;
      return this;
    }

    /**
     * IDs a thread takes from the shared buffer in one atomic step (default 32), then hands out
     * from thread-local memory. Under contention this is what keeps threads from queueing on one
     * counter. The price: IDs from different threads interleave within a window of this size, and
     * IDs a thread took but never handed out (the thread stopped calling, or the generator was
     * closed) are skipped — gaps, never duplicates. 1 turns it off.
     */
    public Builder threadChunk(int threadChunk) {
      this.threadChunk = threadChunk;
      return this;
    }

    /**
     * @throws InvalidConfigurationException listing every problem
     */
    public SegmentConfig build() {
      List<String> problems = new ArrayList<>();
      if (minStep < 1) {
        problems.add("min-step must be >= 1: min-step=" + minStep);
      }
      if (maxStep < minStep) {
        problems.add("max-step must be >= min-step: max-step=" + maxStep + ", min-step=" + minStep);
      }
      if (initialStep < minStep || initialStep > maxStep) {
        problems.add(
            "step must be in [min-step, max-step] = ["
                + minStep
                + ", "
                + maxStep
                + "]: step="
                + initialStep);
      }
      if (!(loadFactor >= 0 && loadFactor < 1)) {
        problems.add("load-factor must be in [0, 1): load-factor=" + loadFactor);
      }
      if (bufferDuration == null || bufferDuration.isNegative() || bufferDuration.isZero()) {
        problems.add("buffer-duration must be positive: buffer-duration=" + bufferDuration);
      }
      if (awaitTimeout == null || awaitTimeout.isNegative()) {
        problems.add("await-timeout must be >= 0: await-timeout=" + awaitTimeout);
      }
      if (initialHighWater < 0) {
        problems.add("initial-high-water must be >= 0: initial-high-water=" + initialHighWater);
      }
      if (threadChunk < 1 || threadChunk > 1_000_000) {
        problems.add("thread-chunk must be in [1, 1000000]: thread-chunk=" + threadChunk);
      }
      if (!problems.isEmpty()) {
        throw new InvalidConfigurationException("segment configuration", problems);
      }
      return new SegmentConfig(
          initialStep,
          minStep,
          maxStep,
          loadFactor,
          bufferDuration,
          awaitTimeout,
          initialHighWater,
          threadChunk);
    }
  }
}
