package dev.idmint.server.http;

import dev.idmint.server.config.TokenConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Bearer-token checks. Every configured token is compared, in constant time, whatever the request
 * carries, so the time taken reveals neither which token matched nor how much of one did. With no
 * tokens configured, every request is allowed.
 */
public final class Auth {
  private final List<TokenConfig> tokens;
  private final byte[][] secrets;
  private final RateLimiter[] limiters;

  public Auth(List<TokenConfig> tokens) {
    this.tokens = tokens;
    this.secrets = new byte[tokens.size()][];
    this.limiters = new RateLimiter[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      secrets[i] = tokens.get(i).token().getBytes(StandardCharsets.UTF_8);
      limiters[i] =
          tokens.get(i).ratePerSecond() > 0 ? new RateLimiter(tokens.get(i).ratePerSecond()) : null;
    }
  }

  public boolean enabled() {
    return !tokens.isEmpty();
  }

  /**
   * Checks the {@code Authorization} header for an ID request on {@code namespace}.
   *
   * @throws ApiException 401 without a valid token, 403 outside its namespaces, 429 over its rate
   */
  public void check(String authorization, String namespace) {
    if (tokens.isEmpty()) {
      return;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(
          ApiError.UNAUTHENTICATED, "a bearer token is required: Authorization: Bearer <token>");
    }
    byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    int match = -1;
    for (int i = 0; i < secrets.length; i++) {
      if (MessageDigest.isEqual(secrets[i], presented) && match < 0) {
        match = i;
      }
    }
    if (match < 0) {
      throw new ApiException(ApiError.UNAUTHENTICATED, "the bearer token is not valid");
    }
    if (namespace != null && !tokens.get(match).allows(namespace)) {
      throw new ApiException(
          ApiError.PERMISSION_DENIED, "this token may not use namespace " + namespace);
    }
    RateLimiter limiter = limiters[match];
    if (limiter != null && !limiter.tryAcquire()) {
      throw new ApiException(
          ApiError.RESOURCE_EXHAUSTED,
          "rate limit of " + tokens.get(match).ratePerSecond() + " requests/s exceeded",
          java.time.Duration.ofSeconds(1));
    }
  }
}
