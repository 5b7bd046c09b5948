package dev.idmint.core.lease;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a node's wall clock is compared with before it claims or renews a worker (DESIGN.md rule 8):
 * the coordinator's own clock, where it has one, and the highest reserved horizon of any worker.
 *
 * @param clockMillis the coordinator's clock when it answered, or empty for a coordinator that has
 *     no clock of its own (embedded H2 runs on this node's clock)
 * @param clockSource names that clock for operators ({@code "PostgreSQL's clock_timestamp()"});
 *     ignored when {@code clockMillis} is empty
 * @param highestHorizonMillis the highest horizon recorded for any worker, or 0 when none was ever
 *     recorded; every ID ever issued through this coordinator has a timestamp at or below it
 */
public record CoordinatorTime(
    OptionalLong clockMillis, String clockSource, long highestHorizonMillis) {
  public CoordinatorTime {
    Objects.requireNonNull(clockMillis, "clockMillis");
    Objects.requireNonNull(clockSource, "clockSource");
  }

  /** A coordinator with a clock of its own. */
  public static CoordinatorTime of(String clockSource, long clockMillis, long highestHorizon) {
    return new CoordinatorTime(OptionalLong.of(clockMillis), clockSource, highestHorizon);
  }

  /** A coordinator without a clock of its own: only the horizons can be compared with. */
  public static CoordinatorTime horizonOnly(long highestHorizonMillis) {
    return new CoordinatorTime(OptionalLong.empty(), "", highestHorizonMillis);
  }
}
