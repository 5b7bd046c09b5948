package dev.idmint.core.publicid;

import dev.idmint.core.IdMintException;

/**
 * A string given as a public ID was not made by this codec. {@link #reason()} says which check
 * failed; the message names the offending part. A service maps every reason to 400 Bad Request.
 */
public final class InvalidPublicIdException extends IdMintException {
  /** Which part of a public ID is wrong. */
  public enum Reason {
    /** No {@code <prefix>_} at the start, or another entity type's prefix. */
    PREFIX,
    /** The key-version character is missing or names no configured key. */
    VERSION,
    /** The body (with any check characters) has the wrong number of characters. */
    LENGTH,
    /** A character is not a digit of the codec's alphabet. */
    ALPHABET,
    /** The body is a number outside the range of raw IDs, [1, 2^63 - 1]. */
    RANGE,
    /** The keyed check characters do not match: a guess or a typo, not an issued ID. */
    CHECK
  }

  private final Reason reason;

  public InvalidPublicIdException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
