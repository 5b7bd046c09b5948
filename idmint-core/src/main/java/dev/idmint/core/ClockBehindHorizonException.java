package dev.idmint.core;

import java.time.Duration;

/**
 * The worker's previous holder reserved timestamps up to a time that this node's wall clock has not
 * reached yet (typically a restart with the clock set back, or a takeover from a node whose clock
 * ran ahead). Issuing now could repeat an ID the previous holder issued, so the generator refuses
 * until the clock passes the previous horizon.
 */
public final class ClockBehindHorizonException extends IdUnavailableException {
  private final long previousHorizonMillis;

  public ClockBehindHorizonException(int worker, long previousHorizonMillis, long wallMillis) {
    super(
        "wall clock "
            + wallMillis
            + " is "
            + (previousHorizonMillis - wallMillis)
            + " ms behind the reserved horizon "
            + previousHorizonMillis
            + " of worker "
            + worker
            + "'s previous holder; refusing to issue IDs until the clock passes it",
        Duration.ofMillis(Math.max(1, previousHorizonMillis - wallMillis + 1)));
    this.previousHorizonMillis = previousHorizonMillis;
  }

  /** The wall clock lies before the layout's epoch: no timestamp can be formed at all. */
  public ClockBehindHorizonException(long epochMillis, long wallMillis) {
    super(
        "wall clock "
            + wallMillis
            + " lies before the layout's epoch "
            + epochMillis
            + "; refusing to issue IDs until the clock passes it",
        Duration.ofMillis(Math.max(1, epochMillis - wallMillis + 1)));
    this.previousHorizonMillis = epochMillis;
  }

  public long previousHorizonMillis() {
    return previousHorizonMillis;
  }
}
