package dev.idmint.core.lease;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A request to claim a worker number.
 *
 * @param owner identifies the claiming node (for operators and for release/renew checks)
 * @param worker a static worker number to claim, or empty to claim any free one
 * @param maxWorker the highest worker number the claimant's layouts can encode
 * @param ttl how long the claim lasts by the coordinator's clock unless renewed
 * @param reserveUntilMillis the horizon to record in the same step: the coordinator stores the
 *     greater of this and what the worker already had
 */
public record ClaimRequest(
    String owner, OptionalInt worker, int maxWorker, Duration ttl, long reserveUntilMillis) {
  public ClaimRequest {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(ttl, "ttl");
    if (maxWorker < 0) {
      throw new IllegalArgumentException("maxWorker must be >= 0: maxWorker=" + maxWorker);
    }
    if (worker.isPresent() && (worker.getAsInt() < 0 || worker.getAsInt() > maxWorker)) {
      throw new IllegalArgumentException(
          "worker must be in [0, " + maxWorker + "]: worker=" + worker.getAsInt());
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: ttl=" + ttl);
    }
  }
}
