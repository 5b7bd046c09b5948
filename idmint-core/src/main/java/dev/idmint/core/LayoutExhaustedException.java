package dev.idmint.core;

/**
 * The snowflake layout's timestamp bits have run out: the current time no longer fits. Permanent
 * for this layout; a new namespace with a new epoch is needed. The margin check at construction
 * exists so that this is never met in production.
 */
public final class LayoutExhaustedException extends IdMintException {
  public LayoutExhaustedException(String message) {
    super(message);
  }
}
