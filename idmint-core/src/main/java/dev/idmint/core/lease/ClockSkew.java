package dev.idmint.core.lease;

import java.util.Objects;

/**
 * A disagreement between this node's wall clock and a reference beyond {@code max-clock-skew}
 * (DESIGN.md rule 8), as measured at the last claim or renewal. While a lease carries one, its
 * generators issue no snowflake ID.
 *
 * @param skewMillis how far this node's clock is ahead of the reference (negative: behind)
 * @param reference what the clock was compared with, for the operator
 * @param maxSkewMillis the configured {@code max-clock-skew}
 */
public record ClockSkew(long skewMillis, String reference, long maxSkewMillis) {
  public ClockSkew {
    Objects.requireNonNull(reference, "reference");
  }

  /** A sentence for readiness checks and 503 bodies: how far, which reference, what to do. */
  public String describe() {
    return "this node's wall clock is "
        + Math.abs(skewMillis)
        + " ms "
        + (skewMillis < 0 ? "behind " : "ahead of ")
        + reference
        + ", more than max-clock-skew ("
        + maxSkewMillis
        + " ms); snowflake IDs are refused until the clocks agree: fix this machine's time"
        + " synchronisation (NTP: chrony, ntpd or systemd-timesyncd)"
        + (reference.startsWith("the highest") ? "" : " or the coordinator's")
        + ". Serving resumes by itself at the next lease renewal once they agree";
  }
}
