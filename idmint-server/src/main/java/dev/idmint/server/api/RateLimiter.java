package dev.idmint.server.api;

import dev.idmint.core.Clock;

/**
 * A token bucket: {@code ratePerSecond} units per second, bursts up to one second's worth (at least
 * one unit). A request for n IDs costs n units.
 */
final class RateLimiter {
  private final Clock clock;
  private final double ratePerSecond;
  private final double ratePerNano;
  private final double capacity;
  private double available;
  private long lastNanos;

  RateLimiter(double ratePerSecond, Clock clock) {
    this.clock = clock;
    this.ratePerSecond = ratePerSecond;
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = Math.max(1, ratePerSecond);
    this.available = capacity;
    this.lastNanos = clock.monotonicNanos();
  }

  double ratePerSecond() {
    return ratePerSecond;
  }

  /** True when {@code cost} units can ever be taken at once (it is within one burst). */
  boolean fits(double cost) {
    return cost <= capacity;
  }

  /** Takes {@code cost} units if they are available now. */
  synchronized boolean tryAcquire(double cost) {
    refill();
    if (available >= cost) {
      available -= cost;
      return true;
    }
    return false;
  }

  /** True when not even one unit is available now; takes nothing. */
  synchronized boolean exhausted() {
    refill();
    return available < 1;
  }

  private void refill() {
    long now = clock.monotonicNanos();
    available = Math.min(capacity, available + (now - lastNanos) * ratePerNano);
    lastNanos = now;
  }
}
