package dev.idmint.core.lease;

/**
 * What a generator needs to know about the worker lease its node holds right now. Immutable; a
 * renewal publishes a new instance.
 *
 * @param worker the worker number claimed in the coordinator
 * @param fencingToken identifies this claim; a new claim of the same worker gets a new token
 * @param validUntilNanos the local self-fencing deadline on the monotonic clock: past it the node
 *     issues nothing (DESIGN.md rule 2)
 * @param reservedUntilMillis the wall time up to which timestamps are durably reserved for this
 *     worker; nothing later may be issued (rule 3)
 * @param previousHorizonMillis the reserved horizon of the worker's previous holders when it was
 *     claimed; nothing at or before it may be issued (rule 3)
 * @param clockSkew {@code null} when this node's clock agreed with the coordinator's at the claim
 *     or renewal that published this lease; otherwise how it disagreed, and then nothing may be
 *     issued (rule 8)
 */
public record WorkerLease(
    int worker,
    long fencingToken,
    long validUntilNanos,
    long reservedUntilMillis,
    long previousHorizonMillis,
    ClockSkew clockSkew) {

  /** A lease published while the clocks agree. */
  public WorkerLease(
      int worker,
      long fencingToken,
      long validUntilNanos,
      long reservedUntilMillis,
      long previousHorizonMillis) {
    this(worker, fencingToken, validUntilNanos, reservedUntilMillis, previousHorizonMillis, null);
  }
}
