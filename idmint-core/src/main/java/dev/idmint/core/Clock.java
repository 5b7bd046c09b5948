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
   * the clock again. The system clock parks for all but the last {@value #SPIN_NANOS} ns of a wait
   * (so that threads waiting together do not each burn a core) and spins the rest; a manual clock
   * lets the time pass, so tests never hang on a clock nobody moves.
   */
  default void idle(long nanos) {
    if (nanos > 2 * SPIN_NANOS) {
      java.util.concurrent.locks.LockSupport.parkNanos(nanos - SPIN_NANOS);
    } else {
      Thread.onSpinWait();
    }
  }

  /**
   * The part of a wait the system clock spins instead of parking: about what a park oversleeps on
   * Linux (its default timer slack is 50 µs).
   */
  long SPIN_NANOS = 60_000L;

  /** The clock of the machine the code runs on. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
