package dev.idmint.client;

/** Monotonic nanoseconds; injected so the circuit breaker can be tested without sleeping. */
interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long nanos();
}
