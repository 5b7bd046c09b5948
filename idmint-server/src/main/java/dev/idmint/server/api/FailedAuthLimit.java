package dev.idmint.server.api;

import dev.idmint.core.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Failed authentications per second per client address ({@code limits.failed-auth-rate-limit}), one
 * budget per address shared by every check that takes it: the ID tokens ({@link Auth}), the admin
 * token ({@link AdminAuth}) and {@code /docs}. Past the limit a request is answered 429 without its
 * token being looked at, so guessing tokens costs the guesser time.
 */
public final class FailedAuthLimit {
  private final AddressLimiters failures;

  public FailedAuthLimit(double failuresPerSecond, Clock clock) {
    this.failures = new AddressLimiters(failuresPerSecond, clock);
  }

  /**
   * Runs {@code check} for a request from {@code clientAddress}; a 401 it throws counts as one
   * failure of that address.
   *
   * @param clientAddress the peer's address; null runs {@code check} unlimited
   * @throws ApiException 429 (without running {@code check}) when this address failed too often;
   *     whatever {@code check} throws
   */
  public <T> T attempt(String clientAddress, Supplier<T> check) {
    if (clientAddress == null) {
      return check.get();
    }
    RateLimiter failed = failures.of(clientAddress);
    if (failed.exhausted()) {
      throw new ApiException(
          ApiError.RESOURCE_EXHAUSTED,
          "too many requests from this address failed authentication; try again later",
          Duration.ofSeconds(1));
    }
    try {
      return check.get();
    } catch (ApiException e) {
      if (e.error() == ApiError.UNAUTHENTICATED) {
        failed.tryAcquire(1);
      }
      throw e;
    }
  }
}
