package dev.idmint.core.lease;

import dev.idmint.core.CoordinatorException;

/**
 * SPI: worker claims, held in the coordinator that every node shares. Implementations live in the
 * store modules (JDBC, ZooKeeper, Redis) and pass the testkit's {@code WorkerLeaseStoreContract}.
 *
 * <p>Contract every implementation keeps:
 *
 * <ul>
 *   <li>At most one unexpired claim per worker number, enforced by the coordinator (unique
 *       constraint, create-if-absent), also for static worker numbers (DESIGN.md rule 4).
 *   <li>Expiry is decided only by the coordinator's own clock.
 *   <li>The reserved horizon of a worker only grows and survives the claim: a later claimant sees
 *       it as {@link LeaseGrant#previousHorizonMillis()}.
 *   <li>Among free workers, prefer the one whose horizon is oldest, so a new claimant rarely has to
 *       wait for its clock to pass a previous horizon.
 *   <li>Engine failures surface as {@link CoordinatorException}; an operation whose outcome is
 *       unknown is reported as a failure.
 * </ul>
 *
 * Calls happen on the lease manager's background thread, never on a request thread.
 */
public interface WorkerLeaseStore {

  /**
   * Claims a worker: the static number in the request, or any free one in {@code [0, maxWorker]}. A
   * worker is free when it was never claimed, was released, or its claim expired by the
   * coordinator's clock. Records the request's horizon in the same atomic step.
   *
   * @throws WorkerTakenException if a static worker is held by another unexpired claim
   * @throws NoFreeWorkerException if every worker number is held
   * @throws CoordinatorException if the coordinator failed
   */
  LeaseGrant claim(ClaimRequest request);

  /**
   * Extends the claim to the coordinator's now plus {@code ttlMillis} and raises the horizon to
   * {@code max(current, reserveUntilMillis)}, atomically. Succeeds as long as the worker is still
   * held under the same fencing token, even if it expired meanwhile: nobody else can have issued
   * with it.
   *
   * @throws LeaseLostException if the worker was released or claimed again since
   * @throws CoordinatorException if the coordinator failed
   */
  LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis);

  /**
   * Gives the worker up so another node may claim it at once. Its horizon stays. Releasing a claim
   * that is no longer held does nothing.
   *
   * @throws CoordinatorException if the coordinator failed
   */
  void release(LeaseGrant lease);

  /**
   * Reads what a node's wall clock is compared with before it claims or renews (DESIGN.md rule 8):
   * the coordinator's own clock (read as late as possible in the call, so it lies between the
   * node's wall readings before and after the call) and the highest horizon recorded for any worker
   * in {@code [0, maxWorker]} at least (stores that can cheaply include higher numbers do). Writes
   * nothing a claim or renewal depends on.
   *
   * @throws CoordinatorException if the coordinator failed
   */
  CoordinatorTime coordinatorTime(int maxWorker);

  /**
   * Registers a callback that the store calls, from any thread, as soon as it learns that claims
   * made through it may be lost (ZooKeeper: connection SUSPENDED or LOST). The lease manager then
   * stops issuing at once instead of at its local deadline, and renews or re-claims on its next
   * cycle. Stores without such a signal keep the default, which does nothing.
   */
  default void onPossibleLoss(Runnable listener) {}
}
