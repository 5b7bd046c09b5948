package dev.idmint.server.api;

import dev.idmint.core.Clock;
import dev.idmint.server.config.Scope;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.server.config.TokenConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Bearer-token checks, scopes and rates. Every configured token is compared, in constant time,
 * whatever the request carries, so the time taken reveals neither which token matched nor how much
 * of one did. With no tokens configured, every request is allowed every scope (the node then
 * listens on loopback only, unless started with {@code --insecure-no-auth}).
 *
 * <p>Costs are bounded three ways: IDs per second per token; IDs per second per client address
 * while auth is off (when configured); and failed authentications per second per client address,
 * past which a request is answered 429 without its token being looked at, so guessing tokens costs
 * the guesser time.
 */
public final class Auth {
  private final List<TokenConfig> tokens;
  private final byte[][] secrets;
  private final Grant[] grants;
  private final AddressLimiters clients;
  private final FailedAuthLimit failures;

  public Auth(List<TokenConfig> tokens, ServerConfig.Connections limits, Clock clock) {
    this(tokens, limits, clock, new FailedAuthLimit(limits.failedAuthPerSecond(), clock));
  }

  /**
   * @param failures the failed-authentication budget per address, shared with {@link AdminAuth}
   */
  public Auth(
      List<TokenConfig> tokens,
      ServerConfig.Connections limits,
      Clock clock,
      FailedAuthLimit failures) {
    this.tokens = tokens;
    this.clients = new AddressLimiters(limits.clientIdsPerSecond(), clock);
    this.failures = failures;
    this.secrets = new byte[tokens.size()][];
    this.grants = new Grant[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      TokenConfig token = tokens.get(i);
      secrets[i] = token.token().getBytes(StandardCharsets.UTF_8);
      grants[i] =
          new Grant(
              token.scopes(),
              token.namespaces(),
              token.idsPerSecond() > 0 ? new RateLimiter(token.idsPerSecond(), clock) : null);
    }
  }

  public boolean enabled() {
    return !tokens.isEmpty();
  }

  /**
   * Who is asking: the grant of the token in {@code authorization}, or, with auth off, every scope
   * (limited per {@code clientAddress} when so configured).
   *
   * @param clientAddress the peer's address, for the per-client limits; may be null
   * @throws ApiException 401 without a valid token; 429 when this address failed too often
   */
  public Grant authenticate(String authorization, String clientAddress) {
    if (tokens.isEmpty()) {
      if (clients.perSecond() <= 0 || clientAddress == null) {
        return Grant.OPEN;
      }
      return new Grant(
          EnumSet.allOf(Scope.class), TokenConfig.ALL_NAMESPACES, clients.of(clientAddress));
    }
    return failures.attempt(clientAddress, () -> match(authorization));
  }

  /**
   * @throws ApiException 401 without a valid token
   */
  private Grant match(String authorization) {
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
    return grants[match];
  }

  /** What one token (or, with auth off, one client) may do. Immutable but for its rate bucket. */
  public static final class Grant {
    static final Grant OPEN =
        new Grant(EnumSet.allOf(Scope.class), TokenConfig.ALL_NAMESPACES, null);

    private final Set<Scope> scopes;
    private final Set<String> namespaces;
    private final RateLimiter limiter;

    Grant(Set<Scope> scopes, Set<String> namespaces, RateLimiter limiter) {
      this.scopes = Set.copyOf(scopes);
      this.namespaces = Set.copyOf(namespaces);
      this.limiter = limiter;
    }

    public boolean has(Scope scope) {
      return scopes.contains(scope);
    }

    /** True when this grant may use {@code namespace} at all (any scope). */
    public boolean sees(String namespace) {
      return namespaces.contains("*") || namespaces.contains(namespace);
    }

    /**
     * @throws ApiException 403 naming the missing scope
     */
    public void require(Scope scope, String why) {
      if (!has(scope)) {
        throw new ApiException(
            ApiError.PERMISSION_DENIED,
            "this token lacks the " + scope.id() + " scope, which " + why + " needs");
      }
    }

    /**
     * @throws ApiException 403 outside the token's namespaces
     */
    public void requireNamespace(String namespace) {
      if (!sees(namespace)) {
        throw new ApiException(
            ApiError.PERMISSION_DENIED,
            "this token may not use namespace " + IdApi.abbreviate(namespace));
      }
    }

    /**
     * Charges {@code ids} to the rate of this token (or client).
     *
     * @throws ApiException 429 over the rate, with {@code Retry-After}
     */
    public void charge(int ids) {
      if (limiter == null) {
        return;
      }
      if (!limiter.fits(ids)) {
        throw new ApiException(
            ApiError.RESOURCE_EXHAUSTED,
            "asks for "
                + ids
                + " IDs, more than the rate limit of "
                + limiter.ratePerSecond()
                + " IDs/s allows at once; ask for fewer per request");
      }
      if (!limiter.tryAcquire(ids)) {
        throw new ApiException(
            ApiError.RESOURCE_EXHAUSTED,
            "rate limit of " + limiter.ratePerSecond() + " IDs/s exceeded",
            Duration.ofSeconds(1));
      }
    }
  }
}
