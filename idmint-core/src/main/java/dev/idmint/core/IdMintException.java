package dev.idmint.core;

/**
 * The root of every exception idmint throws on purpose. Unchecked: a caller that cannot handle a
 * failure should let it travel, and an ID is never returned in its place.
 */
public abstract class IdMintException extends RuntimeException {
  protected IdMintException(String message) {
    super(message);
  }

  protected IdMintException(String message, Throwable cause) {
    super(message, cause);
  }
}
