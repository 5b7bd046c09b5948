package dev.idmint.core.lease;

import dev.idmint.core.IdMintException;

/** Every worker number in {@code [0, maxWorker]} is held by an unexpired claim. */
public final class NoFreeWorkerException extends IdMintException {
  public NoFreeWorkerException(int maxWorker) {
    super(
        "no free worker: all "
            + (maxWorker + 1L)
            + " worker numbers [0, "
            + maxWorker
            + "] are claimed; stop a node or widen worker-bits");
  }
}
