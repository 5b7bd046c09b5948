package dev.idmint.core;

/**
 * The only source of time in idmint. Wall-clock milliseconds may step in either direction (NTP, an
 * operator, a VM migration); monotonic nanoseconds never go back and are what every deadline is
 * measured in. Nothing else in core reads the system clock, so every clock fault can be replayed in
 * a test with {@link ManualClock}.
 */
public interface Clock {

  /** Wall-clock time in milliseconds since the Unix epoch; may step backwards. */
  long wallMillis();

  /** Monotonic time in nanoseconds from an arbitrary origin; compare only differences. */
  long monotonicNanos();

  /**
   * Called by code that must wait for time to pass, about {@code nanos} at most, before it looks at
   * the clock again. The system clock spins for short waits and parks for long ones; a manual clock
   * lets the time pass, so tests never hang on a clock nobody moves.
   */
  default void idle(long nanos) {
    if (nanos > 2_000_000L) {
      java.util.concurrent.locks.LockSupport.parkNanos(nanos - 1_000_000L);
    } else {
      Thread.onSpinWait();
    }
  }

  /** The clock of the machine the code runs on. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
