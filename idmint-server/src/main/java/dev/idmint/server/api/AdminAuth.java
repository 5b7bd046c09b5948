package dev.idmint.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The admin token check: the same bearer scheme and constant-time comparison as {@link Auth}, one
 * token, and the same failed-authentication limit per client address ({@link FailedAuthLimit},
 * shared with the ID tokens). Without a configured token the admin API is off and every call gets
 * 403 saying how to turn it on.
 */
public final class AdminAuth {
  private final byte[] secret;
  private final FailedAuthLimit failures;

  /**
   * @param token the admin token, or null when the admin API is off
   * @param failures the failed-authentication budget per address
   */
  public AdminAuth(String token, FailedAuthLimit failures) {
    this.secret = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.failures = failures;
  }

  public boolean enabled() {
    return secret != null;
  }

  /**
   * @param clientAddress the peer's address, for the failed-authentication limit; may be null
   * @throws ApiException 403 when no admin token is configured, 401 without the right token, 429
   *     when this address failed too often
   */
  public void check(String authorization, String clientAddress) {
    off();
    failures.attempt(
        clientAddress,
        () -> {
          if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(
                ApiError.UNAUTHENTICATED,
                "the admin API needs the admin token: Authorization: Bearer <admin token>");
          }
          byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
          if (!MessageDigest.isEqual(secret, presented)) {
            throw new ApiException(ApiError.UNAUTHENTICATED, "the admin token is not valid");
          }
          return null;
        });
  }

  /**
   * The check of {@code /docs}: the admin token as a bearer token or as the password of HTTP Basic
   * authentication, under the same limit.
   *
   * @throws ApiException 403 when no admin token is configured, 401 without the right token, 429
   *     when this address failed too often
   */
  public void checkDocs(String authorization, String clientAddress) {
    off();
    failures.attempt(
        clientAddress,
        () -> {
          if (!presented(authorization, secret)) {
            throw new ApiException(
                ApiError.UNAUTHENTICATED,
                "/docs needs the admin token: Authorization: Bearer <admin token>, or any"
                    + " user name with the admin token as password");
          }
          return null;
        });
  }

  private void off() {
    if (secret == null) {
      throw new ApiException(
          ApiError.PERMISSION_DENIED,
          "the admin API is off on this node; enable it with auth.admin-token in the configuration"
              + " file or the IDMINT_ADMIN_TOKEN environment variable (at least 16 characters)");
    }
  }

  /** Whether {@code authorization} carries the admin token (Bearer, or Basic's password). */
  static boolean presented(String authorization, byte[] secret) {
    if (authorization == null) {
      return false;
    }
    byte[] candidate;
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      candidate = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return false;
      }
      candidate = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
    } else {
      return false;
    }
    return MessageDigest.isEqual(secret, candidate);
  }
}
