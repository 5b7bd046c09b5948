package dev.idmint.core;

import dev.idmint.core.lease.ClockSkew;
import java.time.Duration;
import java.util.Objects;

/**
 * This node's wall clock disagrees with the coordinator's clock, or lies behind the highest horizon
 * any worker recorded, by more than {@code max-clock-skew} (DESIGN.md rule 8). Its IDs would carry
 * wrong timestamps and sort below (behind) or push ahead of (ahead) everybody else's, so the node
 * issues no snowflake ID until a renewal finds the clocks agreeing again.
 */
public final class ClockSkewException extends IdUnavailableException {
  private final transient ClockSkew skew;

  public ClockSkewException(ClockSkew skew) {
    super(Objects.requireNonNull(skew, "skew").describe(), Duration.ofSeconds(1));
    this.skew = skew;
  }

  public ClockSkew skew() {
    return skew;
  }
}
