package dev.idmint.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** What a {@link RemoteCall} and a {@link PrefetchBuffer} need of the client around them. */
final class Remote {
  private final ClientConfig config;
  private final Endpoints endpoints;
  private final Ticker ticker;
  private final ClientThreads threads;
  private final java.util.Set<CompletableFuture<?>> pending =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  Remote(ClientConfig config, Endpoints endpoints, Ticker ticker, ClientThreads threads) {
    this.config = config;
    this.endpoints = endpoints;
    this.ticker = ticker;
    this.threads = threads;
  }

  ClientConfig config() {
    return config;
  }

  Endpoints endpoints() {
    return endpoints;
  }

  Ticker ticker() {
    return ticker;
  }

  boolean isClosed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  /**
   * Registers a future that a caller may be waiting on, so that {@link #failPending()} can end it
   * when the client closes (timers that would have ended it die with the scheduler).
   */
  <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    if (closed) {
      future.completeExceptionally(closedException());
      return future;
    }
    pending.add(future);
    future.whenComplete((v, e) -> pending.remove(future));
    if (closed) {
      future.completeExceptionally(closedException());
    }
    return future;
  }

  /** Fails every tracked future with "closed"; called once by close(). */
  void failPending() {
    for (CompletableFuture<?> future : pending.toArray(new CompletableFuture<?>[0])) {
      future.completeExceptionally(closedException());
    }
  }

  static IllegalStateException closedException() {
    return new IllegalStateException("the idmint client is closed");
  }

  /**
   * Asks a node for {@code count} IDs of kind {@code want}, failing over until {@code
   * deadlineNanos}.
   */
  RemoteCall call(String namespace, int count, long deadlineNanos, Kind want) {
    startHealthChecks();
    RemoteCall call = new RemoteCall(this, namespace, count, deadlineNanos, want);
    call.start();
    return call;
  }

  /** Health probes begin with the first remote call, not with the client. */
  void startHealthChecks() {
    threads.startHealthChecks();
  }

  /** Runs {@code task} after {@code delayNanos}; false when the client is shutting down. */
  boolean schedule(Runnable task, long delayNanos) {
    return scheduleCancellable(task, delayNanos) != null;
  }

  ScheduledFuture<?> scheduleCancellable(Runnable task, long delayNanos) {
    try {
      return threads.scheduler().schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Runs {@code task} soon on the scheduler thread; false when the client is shutting down. */
  boolean execute(Runnable task) {
    try {
      threads.scheduler().execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** A future that fails after {@code delayNanos} with what {@code failure} makes, unless done. */
  <T> void failAfter(
      CompletableFuture<T> future,
      long delayNanos,
      java.util.function.Supplier<? extends Throwable> failure) {
    ScheduledFuture<?> timer =
        scheduleCancellable(() -> future.completeExceptionally(failure.get()), delayNanos);
    if (timer == null) {
      future.completeExceptionally(closedException());
      return;
    }
    future.whenComplete((v, e) -> timer.cancel(false));
  }
}
