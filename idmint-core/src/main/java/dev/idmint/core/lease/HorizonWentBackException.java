package dev.idmint.core.lease;

import dev.idmint.core.CoordinatorException;

/**
 * The coordinator answered with a reserved horizon for a worker that is lower than one this node
 * had already seen recorded for that worker: the coordinator lost durable writes (restored from a
 * backup, a replica promoted without them, a store that does not keep its data). Timestamps between
 * the two values may already carry IDs, so the node does not use the answer: it stops issuing under
 * that worker, releases the claim and claims again on its next cycle, which records a horizon ahead
 * of its own clock again (and is refused once more while that is still below what it had seen).
 */
public final class HorizonWentBackException extends CoordinatorException {
  private final int worker;
  private final long recordedMillis;
  private final long answeredMillis;

  public HorizonWentBackException(int worker, long recordedMillis, long answeredMillis) {
    super(
        "the coordinator's reserved horizon of worker "
            + worker
            + " went back from "
            + recordedMillis
            + " to "
            + answeredMillis
            + " ("
            + (recordedMillis - answeredMillis)
            + " ms): it lost durable writes (restored from a backup?); not issuing under it");
    this.worker = worker;
    this.recordedMillis = recordedMillis;
    this.answeredMillis = answeredMillis;
  }

  public int worker() {
    return worker;
  }

  /** The highest horizon this node had seen recorded for the worker. */
  public long recordedMillis() {
    return recordedMillis;
  }

  /** The lower horizon the coordinator answered with. */
  public long answeredMillis() {
    return answeredMillis;
  }
}
