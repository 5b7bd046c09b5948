package dev.idmint.core;

import java.time.Duration;

/**
 * Issuing would use a timestamp beyond the reserved horizon that is durably recorded in the
 * coordinator for this worker. Happens when the coordinator could not be reached to advance the
 * horizon; issuing resumes once it is advanced again.
 */
public final class HorizonExhaustedException extends IdUnavailableException {
  public HorizonExhaustedException(int worker, long reservedUntilMillis, long neededMillis) {
    super(
        "worker "
            + worker
            + " needs timestamp "
            + neededMillis
            + " but its reserved horizon ends at "
            + reservedUntilMillis
            + "; waiting for the coordinator to advance it",
        Duration.ofMillis(100));
  }
}
