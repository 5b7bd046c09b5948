package dev.idmint.client;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread a client owns, all named {@code idmint-client-<n>-<role>}, all daemons, all bounded:
 *
 * <ul>
 *   <li>{@code scheduler} (1): retry back-offs, deadlines of waiting calls, starting refills.
 *   <li>{@code io-1}, {@code io-2}: gRPC callbacks (decoding answers, completing futures). Nothing
 *       that blocks runs here.
 *   <li>{@code health} (1): the blocking health probes, and gRPC's blocking work (DNS lookups).
 * </ul>
 *
 * <p>Executors are created with the client but start a thread only when first given work, so
 * building a client starts none. gRPC's shaded Netty adds its own shared event-loop threads ({@code
 * grpc-nio-worker-ELG-*}) while a channel is open.
 */
final class ClientThreads {
  private static final AtomicInteger CLIENTS = new AtomicInteger();
  static final int IO_THREADS = 2;

  private final String prefix = "idmint-client-" + CLIENTS.incrementAndGet();
  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor io;
  private final ScheduledThreadPoolExecutor health;
  private final AtomicBoolean healthStarted = new AtomicBoolean();
  private final ClientConfig config;
  private volatile Runnable healthTask;

  ClientThreads(ClientConfig config) {
    this.config = config;
    scheduler = new ScheduledThreadPoolExecutor(1, named("scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    io =
        new ThreadPoolExecutor(
            IO_THREADS,
            IO_THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            named("io"));
    health = new ScheduledThreadPoolExecutor(1, named("health"));
    health.setRemoveOnCancelPolicy(true);
    health.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  String prefix() {
    return prefix;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Executor io() {
    return io;
  }

  /** For gRPC's blocking work (name resolution). */
  Executor blocking() {
    return health;
  }

  void healthTask(Runnable task) {
    this.healthTask = task;
  }

  /** Starts the periodic probes with the first call, not with the client. */
  void startHealthChecks() {
    if (!config.healthChecks()
        || healthStarted.get()
        || !healthStarted.compareAndSet(false, true)) {
      return;
    }
    Runnable task = healthTask;
    if (task == null) {
      return;
    }
    long interval = config.healthCheckInterval().toNanos();
    try {
      health.scheduleWithFixedDelay(task, interval, interval, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing.
    }
  }

  /**
   * Stops every thread: pending timers are dropped, callbacks already queued still run (they only
   * complete futures with "closed"), a probe in progress is abandoned. Waits until {@code
   * deadlineNanos} at most, then interrupts what is left.
   */
  void shutdown(long deadlineNanos) {
    scheduler.shutdown();
    health.shutdownNow();
    io.shutdown();
    for (ExecutorService executor : new ExecutorService[] {scheduler, health, io}) {
      try {
        if (!executor.awaitTermination(
            Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private ThreadFactory named(String role) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      String name = prefix + "-" + role + (role.equals("io") ? "-" + count.incrementAndGet() : "");
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
