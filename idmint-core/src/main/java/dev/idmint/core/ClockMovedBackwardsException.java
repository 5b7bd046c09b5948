package dev.idmint.core;

import java.time.Duration;

/**
 * The wall clock stepped back further than the generator may wait out. The generator fails closed
 * and recovers by itself once the wall clock is back within the allowed step of the latest time it
 * had seen.
 */
public final class ClockMovedBackwardsException extends IdUnavailableException {
  private final long backwardMillis;

  public ClockMovedBackwardsException(long backwardMillis, long maxBackwardMillis) {
    super(
        "wall clock moved backwards by "
            + backwardMillis
            + " ms (more than max-backward="
            + maxBackwardMillis
            + " ms); refusing to issue IDs until it catches up",
        Duration.ofMillis(Math.max(1, backwardMillis - maxBackwardMillis)));
    this.backwardMillis = backwardMillis;
  }

  /** How far the wall clock is behind the latest wall time the generator had seen. */
  public long backwardMillis() {
    return backwardMillis;
  }
}
