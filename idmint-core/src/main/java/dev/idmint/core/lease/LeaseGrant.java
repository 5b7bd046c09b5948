package dev.idmint.core.lease;

/**
 * The coordinator's answer to a claim or a renewal. Times are the coordinator's own; only the
 * difference {@code expiresAtMillis - coordinatorTimeMillis} is used by the node, never compared
 * with its own clock.
 *
 * @param worker the worker number held
 * @param owner the owner the claim was made for
 * @param fencingToken identifies this claim; unchanged by renewals, new for every claim
 * @param coordinatorTimeMillis the coordinator's clock when it answered
 * @param expiresAtMillis when the claim expires by the coordinator's clock
 * @param reservedUntilMillis the worker's durably recorded horizon after this operation
 * @param previousHorizonMillis the worker's horizon before this claim (0 when never claimed);
 *     renewals repeat the value of the claim
 */
public record LeaseGrant(
    int worker,
    String owner,
    long fencingToken,
    long coordinatorTimeMillis,
    long expiresAtMillis,
    long reservedUntilMillis,
    long previousHorizonMillis) {

  /** The lease time granted, by the coordinator's clock. */
  public long ttlMillis() {
    return expiresAtMillis - coordinatorTimeMillis;
  }
}
