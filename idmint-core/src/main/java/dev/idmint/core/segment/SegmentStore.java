package dev.idmint.core.segment;

import dev.idmint.core.CoordinatorException;

/**
 * SPI: dense ranges of a namespace, allocated from one row (or key) in the coordinator. Store
 * modules implement it and pass the testkit's {@code SegmentStoreContract}.
 *
 * <p>Contract: every call returns a range that no other call, on any node, ever returned or will
 * return for the same namespace (DESIGN.md rule 5: one atomic update, e.g. {@code UPDATE … SET
 * max_id = max_id + step RETURNING max_id}); the first range of a namespace starts at 1; a call
 * whose commit outcome is unknown throws, and its range is never used. Called on the segment
 * loader's background thread only.
 */
@FunctionalInterface
public interface SegmentStore {

  /**
   * Allocates the next {@code step} IDs of {@code namespace}, creating the namespace's row on first
   * use.
   *
   * @throws IllegalArgumentException if {@code step < 1}
   * @throws CoordinatorException if the coordinator failed or the outcome is unknown
   */
  Segment allocate(String namespace, long step);
}
