package dev.idmint.server.api;

import java.time.Duration;

/**
 * A request the API refuses, with the code it is answered with. {@code retryAfter} is set for
 * {@link ApiError#UNAVAILABLE} and {@link ApiError#RESOURCE_EXHAUSTED}.
 */
public final class ApiException extends RuntimeException {
  private final ApiError error;
  private final Duration retryAfter;

  public ApiException(ApiError error, String message) {
    this(error, message, null);
  }

  public ApiException(ApiError error, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.error = error;
    this.retryAfter = retryAfter;
  }

  public ApiError error() {
    return error;
  }

  /** Null when not applicable. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
