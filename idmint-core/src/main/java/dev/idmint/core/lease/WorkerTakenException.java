package dev.idmint.core.lease;

import dev.idmint.core.IdMintException;

/** A static worker number is held by another node's unexpired claim. */
public final class WorkerTakenException extends IdMintException {
  public WorkerTakenException(int worker, String holder) {
    super(
        "worker "
            + worker
            + " is already claimed by "
            + holder
            + "; two nodes configured with the same worker number cannot both run");
  }
}
