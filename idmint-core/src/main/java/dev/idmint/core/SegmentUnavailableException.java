package dev.idmint.core;

import java.time.Duration;

/**
 * A segment namespace has no IDs left in either buffer and the next range could not be loaded
 * within the allowed wait. Nothing was issued.
 */
public final class SegmentUnavailableException extends IdUnavailableException {
  public SegmentUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, retryAfter, cause);
  }
}
