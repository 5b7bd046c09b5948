package dev.idmint.core;

import java.time.Duration;

/**
 * The node holds no valid worker lease: it has not acquired one yet, or its local deadline passed
 * because renewals failed (self-fencing). Issuing resumes by itself once a lease is re-acquired.
 */
public final class LeaseNotHeldException extends IdUnavailableException {
  public LeaseNotHeldException(String message, Duration retryAfter) {
    super(message, retryAfter);
  }
}
