package dev.idmint.server.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The one error type of the API: a request it refuses, with the {@link ApiError kind} that decides
 * how every transport answers it, and for a {@link ApiError#retryable() retryable} kind an optional
 * hint of when to try again.
 */
public final class ApiException extends RuntimeException {
  private final ApiError error;
  private final Duration retryAfter;

  public ApiException(ApiError error, String message) {
    this(error, message, null);
  }

  /**
   * @param retryAfter when to try again, or null for no hint
   * @throws IllegalArgumentException for a hint on a kind that is not retryable, or a negative one
   */
  public ApiException(ApiError error, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.error = Objects.requireNonNull(error, "error");
    if (retryAfter != null && (!error.retryable() || retryAfter.isNegative())) {
      throw new IllegalArgumentException(
          "retryAfter " + retryAfter + " on " + error + ", which is not retryable or negative");
    }
    this.retryAfter = retryAfter;
  }

  public ApiError error() {
    return error;
  }

  /** When to try again; null when the answer carries no hint. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * The {@code Retry-After} value every transport sends (HTTP header, gRPC trailer): whole seconds,
   * rounded up, at least 1; null when there is no hint.
   */
  public String retryAfterSeconds() {
    if (retryAfter == null) {
      return null;
    }
    long millis = retryAfter.toMillis();
    return Long.toString(Math.max(1, millis / 1000 + (millis % 1000 == 0 ? 0 : 1)));
  }
}
