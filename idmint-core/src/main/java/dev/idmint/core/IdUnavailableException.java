package dev.idmint.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The node cannot issue an ID safely right now, and may be able to later without anyone's help: the
 * clock stepped back or disagrees with the coordinator's, the worker lease is not held, the
 * reserved horizon is used up, or no segment could be loaded. A service answers 503 with {@code
 * Retry-After: }{@link #retryAfter()}; a client tries another node.
 */
public abstract class IdUnavailableException extends IdMintException {
  private final Duration retryAfter;

  protected IdUnavailableException(String message, Duration retryAfter) {
    this(message, retryAfter, null);
  }

  protected IdUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** A fair guess of when trying again could succeed; never negative. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
