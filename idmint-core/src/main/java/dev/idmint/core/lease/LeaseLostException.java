package dev.idmint.core.lease;

import dev.idmint.core.IdMintException;

/** A renewal found that the worker is no longer held under this claim's fencing token. */
public final class LeaseLostException extends IdMintException {
  public LeaseLostException(int worker, long fencingToken) {
    super(
        "lease on worker "
            + worker
            + " (fencing token "
            + fencingToken
            + ") was lost: released or claimed by another node");
  }
}
