package dev.idmint.core;

import java.time.Duration;

/**
 * A {@link Clock} that moves only when told to, for tests and simulations. The wall clock can be
 * stepped in either direction; the monotonic clock only forward. {@link #advance(Duration)} moves
 * both together, as real time passing would. Thread-safe.
 */
public final class ManualClock implements Clock {
  private volatile long wallMillis;
  private volatile long monotonicNanos;

  /**
   * @param wallMillis the initial wall-clock time in milliseconds since the Unix epoch
   */
  public ManualClock(long wallMillis) {
    this.wallMillis = wallMillis;
    this.monotonicNanos = 1_000_000_000L;
  }

  @Override
  public long wallMillis() {
    return wallMillis;
  }

  @Override
  public long monotonicNanos() {
    return monotonicNanos;
  }

  /**
   * Lets time pass: both clocks move forward by {@code duration}.
   *
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public synchronized ManualClock advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time cannot pass backwards: duration=" + duration);
    }
    wallMillis += duration.toMillis();
    monotonicNanos += duration.toNanos();
    return this;
  }

  /**
   * Lets the time pass that the waiting code asked for, at least one millisecond, so that code
   * waiting on this clock makes progress without another thread moving it.
   */
  @Override
  public void idle(long nanos) {
    advance(Duration.ofNanos(Math.max(nanos, 1_000_000L)));
  }

  /** Lets {@code millis} milliseconds pass on both clocks. */
  public ManualClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /**
   * Steps only the wall clock, as NTP or an operator would; negative values step it back. The
   * monotonic clock does not move.
   */
  public synchronized ManualClock stepWall(long deltaMillis) {
    wallMillis += deltaMillis;
    return this;
  }

  /** Sets the wall clock; the monotonic clock does not move. */
  public ManualClock setWallMillis(long wallMillis) {
    this.wallMillis = wallMillis;
    return this;
  }

  @Override
  public String toString() {
    return "ManualClock[wallMillis=" + wallMillis + ", monotonicNanos=" + monotonicNanos + "]";
  }
}
