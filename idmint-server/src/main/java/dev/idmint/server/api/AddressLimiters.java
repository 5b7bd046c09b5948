package dev.idmint.server.api;

import dev.idmint.core.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RateLimiter} per client address, all at the same rate. At most {@link
 * #MAX_TRACKED_ADDRESSES} are kept; past that the table starts over (bounded memory).
 */
final class AddressLimiters {
  /** Per-address limiters kept at most. */
  static final int MAX_TRACKED_ADDRESSES = 10_000;

  private final double perSecond;
  private final Clock clock;
  private final ConcurrentHashMap<String, RateLimiter> table = new ConcurrentHashMap<>();

  AddressLimiters(double perSecond, Clock clock) {
    this.perSecond = perSecond;
    this.clock = clock;
  }

  double perSecond() {
    return perSecond;
  }

  /** The limiter of {@code address}, made on first use. */
  RateLimiter of(String address) {
    RateLimiter limiter = table.get(address);
    if (limiter != null) {
      return limiter;
    }
    if (table.size() >= MAX_TRACKED_ADDRESSES) {
      table.clear();
    }
    return table.computeIfAbsent(address, a -> new RateLimiter(perSecond, clock));
  }
}
