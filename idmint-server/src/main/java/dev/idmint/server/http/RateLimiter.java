package dev.idmint.server.http;

/** A token bucket: {@code ratePerSecond} requests per second, bursts up to one second's worth. */
final class RateLimiter {
  private final double ratePerNano;
  private final double capacity;
  private double available;
  private long lastNanos;

  RateLimiter(double ratePerSecond) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = Math.max(1, ratePerSecond);
    this.available = capacity;
    this.lastNanos = System.nanoTime();
  }

  synchronized boolean tryAcquire() {
    long now = System.nanoTime();
    available = Math.min(capacity, available + (now - lastNanos) * ratePerNano);
    lastNanos = now;
    if (available >= 1) {
      available -= 1;
      return true;
    }
    return false;
  }
}
