package dev.idmint.core;

/**
 * The coordinator (database, ZooKeeper, Redis) could not be reached or did not answer as expected.
 * Store implementations wrap their engine's failures in this type; background tasks retry, and
 * callers on the hot path never see it directly.
 */
public class CoordinatorException extends IdMintException {
  public CoordinatorException(String message) {
    super(message);
  }

  public CoordinatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
