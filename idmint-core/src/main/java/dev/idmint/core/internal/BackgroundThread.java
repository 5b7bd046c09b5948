package dev.idmint.core.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one way core starts and stops a background thread: a single named daemon thread behind a
 * scheduler, stopped with a bounded wait. Not part of the API.
 */
public final class BackgroundThread {
  private static final long STOP_WAIT_SECONDS = 5;

  private BackgroundThread() {}

  /** A scheduler running on one daemon thread called {@code name}. */
  public static ScheduledExecutorService start(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Interrupts the thread and waits up to five seconds for it to end; restores the caller's
   * interrupt flag if it is interrupted while waiting. Does nothing for {@code null}.
   */
  public static void stop(ScheduledExecutorService scheduler) {
    if (scheduler == null) {
      return;
    }
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
