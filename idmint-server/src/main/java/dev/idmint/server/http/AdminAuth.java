package dev.idmint.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin token check: the same bearer scheme and constant-time comparison as {@link Auth}, one
 * token. Without a configured token the admin API is off and every call gets 403 saying how to turn
 * it on.
 */
public final class AdminAuth {
  private final byte[] secret;

  /**
   * @param token the admin token, or null when the admin API is off
   */
  public AdminAuth(String token) {
    this.secret = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean enabled() {
    return secret != null;
  }

  /**
   * @throws ApiException 403 when no admin token is configured, 401 without the right token
   */
  public void check(String authorization) {
    if (secret == null) {
      throw new ApiException(
          ApiError.PERMISSION_DENIED,
          "the admin API is off on this node; enable it with auth.admin-token in the configuration"
              + " file or the IDMINT_ADMIN_TOKEN environment variable (at least 16 characters)");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(
          ApiError.UNAUTHENTICATED,
          "the admin API needs the admin token: Authorization: Bearer <admin token>");
    }
    byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(secret, presented)) {
      throw new ApiException(ApiError.UNAUTHENTICATED, "the admin token is not valid");
    }
  }
}
