package dev.idmint.client;

/**
 * Base of every exception the idmint client throws on purpose. Unchecked: an ID that cannot be had
 * is a failure of the request that wanted it, not something a caller can usually repair.
 */
public class IdMintException extends RuntimeException {
  IdMintException(String message) {
    super(message);
  }

  IdMintException(String message, Throwable cause) {
    super(message, cause);
  }
}
