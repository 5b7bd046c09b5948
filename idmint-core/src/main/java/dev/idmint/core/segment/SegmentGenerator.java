package dev.idmint.core.segment;

import dev.idmint.core.Clock;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.IdGenerator;
import dev.idmint.core.SegmentUnavailableException;
import dev.idmint.core.internal.BackgroundThread;
import dev.idmint.core.internal.ThreadSlots;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Issues dense IDs of one segment namespace from the current buffer and a chain of loaded ones
 * behind it, topped up in the background when the current one is {@code loadFactor} consumed.
 *
 * <p>Design notes. The hot path is a thread-local chunk of {@code threadChunk} IDs (default 32),
 * refilled with one {@code getAndAdd} on the current buffer's counter: no lock, no I/O, and threads
 * touch shared memory once per chunk rather than once per ID. The first two threads to take find
 * their chunks without the {@code ThreadLocal} lookup ({@link ThreadSlots}); others pay two
 * compares more. A caller that finds the current buffer used up takes the slow path: it swaps in
 * the next buffer under a lock or waits, at most {@code awaitTimeout}, for the loader. Every
 * coordinator call runs on one named loader thread, which retries failed loads with backoff.
 *
 * <p>Prefetch chain. One buffer holds one {@code step}. With a small step and a fast caller, a
 * buffer can be used up faster than the loader thread wakes up and the store answers, and every
 * caller would stall at each step. So the generator keeps as many loaded buffers ready as the
 * consumption rate (measured over each whole buffer, from its activation to its end) times the
 * store's latency (measured from the load request to the answer, the loader's wake-up included)
 * needs, four times over, plus one, at most {@value #MAX_CHAIN}; and it fetches them in one store
 * call of {@code links × step}, split into buffers of one step each. A store call is still one
 * atomic range; the chain only changes how many steps one call takes. A load starts when half the
 * wanted chain is left and refills all of it, so the loader wakes once per half chain, not once per
 * buffer, and the half still left covers the latency twice over. With the adaptive step the step
 * grows instead and the chain stays at one or two buffers. IDs in the chain at {@link #close()} are
 * dropped like those in the current buffer.
 *
 * <p>What a caller can rely on: an ID is handed out at most once; a range from the store that
 * starts below the highest range this generator has accepted (a store that was reset or restored
 * from an old backup) is refused, never served; when both buffers are empty and the store cannot
 * answer, {@link SegmentUnavailableException} is thrown, never a made-up ID. IDs left in the
 * buffers at {@link #close()} are dropped: gaps, not duplicates.
 */
public final class SegmentGenerator implements IdGenerator, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SegmentGenerator.class.getName());
  private static final VarHandle NEXT;
  private static final Buffer EMPTY = new Buffer(new Segment(1, 2), 0, 0);
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The most loaded buffers kept ready behind the current one. */
  static final int MAX_CHAIN = 4096;

  static {
    try {
      NEXT = MethodHandles.lookup().findVarHandle(Buffer.class, "next", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    NEXT.setVolatile(EMPTY, EMPTY.end);
  }

  private final String namespace;
  private final SegmentStore store;
  private final SegmentConfig config;
  private final Clock clock;
  private final Object lock = new Object();

  private volatile Buffer current = EMPTY;
  private final int threadChunk;

  /** Each thread's chunk; the first two threads' found without the {@code ThreadLocal} lookup. */
  private final ThreadSlots<Chunk> chunks =
      new ThreadSlots<>(() -> new Chunk(Thread.currentThread()));

  // Bumped by close(): chunks taken before are void, so a closed generator hands out nothing.
  private volatile int epoch;

  // Guarded by lock.
  private final ArrayDeque<Buffer> ready = new ArrayDeque<>();
  private boolean loading;
  private long loadRequestedNanos;
  private double idsPerNano;
  private long latencyNanos;
  private long loadAttempts;
  private long highWater;
  private long step;
  private RuntimeException lastFailure;
  private long failuresInARow;
  private ScheduledExecutorService loader;
  private boolean closed;

  /** Creates a generator; no I/O and no thread until {@link #start()}. */
  public SegmentGenerator(String namespace, SegmentStore store, SegmentConfig config, Clock clock) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.highWater = config.initialHighWater();
    this.threadChunk = config.threadChunk();
    this.step = config.initialStep();
  }

  /** Starts the loader thread and the first load; does not wait for it. */
  public void start() {
    synchronized (lock) {
      if (loader != null || closed) {
        throw new IllegalStateException(
            "segment generator of " + namespace + " already " + (closed ? "closed" : "started"));
      }
      loader = BackgroundThread.start("idmint-segment-loader-" + namespace);
      requestLoadLocked(0);
    }
  }

  public String namespace() {
    return namespace;
  }

  @Override
  public long nextId() {
    if (threadChunk > 1) {
      Chunk chunk = chunks.get();
      if (chunk.next < chunk.end && chunk.epoch == epoch) {
        return chunk.next++;
      }
      return refill(chunk);
    }
    for (; ; ) {
      Buffer buffer = current;
      long id = (long) NEXT.getAndAdd(buffer, 1L);
      if (id < buffer.end && id >= buffer.start) {
        if (id == buffer.loadAt) {
          onLoadPoint(buffer);
        }
        return id;
      }
      advance(buffer);
    }
  }

  /** Takes the next chunk for this thread from the shared buffer and returns its first ID. */
  private long refill(Chunk chunk) {
    for (; ; ) {
      Buffer buffer = current;
      long first = (long) NEXT.getAndAdd(buffer, (long) threadChunk);
      if (first < buffer.end && first >= buffer.start) {
        long end = first + Math.min(threadChunk, buffer.end - first);
        if (first <= buffer.loadAt && buffer.loadAt < end) {
          onLoadPoint(buffer);
        }
        chunk.next = first + 1;
        chunk.end = end;
        chunk.epoch = epoch;
        return first;
      }
      advance(buffer);
    }
  }

  @Override
  public void nextIds(long[] ids, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, ids.length);
    int filled = 0;
    while (filled < count) {
      Buffer buffer = current;
      int wanted = count - filled;
      long first = (long) NEXT.getAndAdd(buffer, (long) wanted);
      if (first >= buffer.end || first < buffer.start) {
        advance(buffer);
        continue;
      }
      long end = Math.min(buffer.end, first + wanted);
      for (long id = first; id < end; id++) {
        ids[offset + filled++] = id;
      }
      if (first <= buffer.loadAt && buffer.loadAt < end) {
        onLoadPoint(buffer);
      }
    }
  }

  /** The step the next load will use (before adaptation). */
  public long step() {
    synchronized (lock) {
      return step;
    }
  }

  /** The end of the highest range accepted so far; nothing below it is ever served again. */
  public long highWater() {
    synchronized (lock) {
      return highWater;
    }
  }

  /** IDs left in the current buffer (approximate under concurrency). */
  public long remainingInCurrent() {
    Buffer buffer = current;
    return Math.max(0, buffer.end - Math.max(buffer.start, (long) NEXT.getVolatile(buffer)));
  }

  /** True when at least the next buffer is loaded and waiting. */
  public boolean nextLoaded() {
    synchronized (lock) {
      return !ready.isEmpty();
    }
  }

  /** How many loaded buffers wait behind the current one. */
  public int chainLength() {
    synchronized (lock) {
      return ready.size();
    }
  }

  /** Stops the loader; IDs left in the buffers are dropped. Idempotent. */
  @Override
  public void close() {
    ScheduledExecutorService toStop;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      epoch++;
      current = EMPTY;
      ready.clear();
      toStop = loader;
      lock.notifyAll();
    }
    BackgroundThread.stop(toStop);
  }

  private void onLoadPoint(Buffer buffer) {
    synchronized (lock) {
      long elapsedNanos = clock.monotonicNanos() - buffer.activatedNanos;
      adaptStep(buffer.loadAt - buffer.start + 1, elapsedNanos);
      requestLoadLocked(0);
    }
  }

  /** Sets the next step so a buffer lasts {@code bufferDuration} at the observed rate. */
  private void adaptStep(long consumed, long elapsedNanos) {
    if (elapsedNanos <= 0 || config.minStep() == config.maxStep()) {
      step = Math.max(config.minStep(), Math.min(config.maxStep(), step * 2));
      return;
    }
    double perNano = (double) consumed / elapsedNanos;
    double wanted = perNano * config.bufferDuration().toNanos();
    long adapted = (long) Math.max(step / 2.0, Math.min(step * 2.0, wanted));
    step = Math.max(config.minStep(), Math.min(config.maxStep(), adapted));
  }

  /** Swaps in the next buffer when {@code exhausted} is used up, waiting for a load if needed. */
  private void advance(Buffer exhausted) {
    synchronized (lock) {
      long waitStart = 0;
      boolean waiting = false; // the clock is read when the first wait begins, not on every swap
      long attemptsAtStart = loadAttempts;
      for (; ; ) {
        if (closed) {
          throw new IllegalStateException("segment generator of " + namespace + " is closed");
        }
        if (current != exhausted) {
          return;
        }
        Buffer next = ready.poll();
        if (next != null) {
          long now = clock.monotonicNanos();
          if (exhausted != EMPTY) {
            // The chain's rate: a whole buffer from its activation to its end. A shorter sample
            // (up to the load point) can be one thread-chunk taken at once, an unbounded rate.
            idsPerNano =
                (double) (exhausted.end - exhausted.start)
                    / Math.max(1, now - exhausted.activatedNanos);
          }
          next.activatedNanos = now;
          current = next;
          if (wantedChain() > 1) {
            // A chain is wanted: top it up now. With one buffer ahead, the next load waits for
            // the load point (load-factor) of the buffer just activated, as it always did.
            requestLoadLocked(0);
          }
          return;
        }
        if (loader == null) {
          throw new IllegalStateException("segment generator of " + namespace + " not started");
        }
        requestLoadLocked(0);
        long nowNanos = clock.monotonicNanos();
        if (!waiting) {
          waitStart = nowNanos;
          waiting = true;
        }
        long waitedNanos = nowNanos - waitStart;
        long leftNanos = config.awaitTimeout().toNanos() - waitedNanos;
        boolean storeFailedMeanwhile = lastFailure != null && loadAttempts > attemptsAtStart;
        if (leftNanos <= 0 || storeFailedMeanwhile) {
          throw unavailable();
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, leftNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SegmentUnavailableException(
              "interrupted while waiting for a segment of " + namespace, Duration.ZERO, e);
        }
      }
    }
  }

  private SegmentUnavailableException unavailable() {
    String cause = lastFailure == null ? "no answer yet" : lastFailure.getMessage();
    return new SegmentUnavailableException(
        "namespace "
            + namespace
            + " has no IDs left in either buffer and the next segment could not be loaded within "
            + config.awaitTimeout().toMillis()
            + " ms: "
            + cause,
        Duration.ofMillis(Math.max(100, backoffNanos() / 1_000_000)),
        lastFailure);
  }

  /**
   * How many buffers should wait behind the current one: enough to cover four times the store's
   * latency at the measured rate (twice when a load starts at half of it), plus one.
   */
  private int wantedChain() {
    double perBuffer = idsPerNano * 4.0 * latencyNanos / step;
    return (int) Math.max(1, Math.min(MAX_CHAIN, Math.ceil(perBuffer) + 1));
  }

  private void requestLoadLocked(long delayNanos) {
    // With a chain, the next load waits until half of it is used, then refills all of it in one
    // store call: one loader wake-up per half chain, not per buffer. With one buffer ahead (or
    // two), this is the old rule: load when nothing (or one) waits.
    if (loading || ready.size() > wantedChain() / 2 || closed || loader == null) {
      return;
    }
    loading = true;
    loadRequestedNanos = clock.monotonicNanos();
    try {
      loader.schedule(this::load, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      loading = false;
    }
  }

  private void load() {
    long wantedStep;
    int links;
    synchronized (lock) {
      wantedStep = step;
      links = Math.max(1, wantedChain() - ready.size());
    }
    Segment segment = null;
    RuntimeException failure = null;
    try {
      segment = store.allocate(namespace, Math.multiplyExact(wantedStep, (long) links));
    } catch (RuntimeException e) {
      failure = e;
    }
    synchronized (lock) {
      loading = false;
      loadAttempts++;
      if (failure == null && segment.start() < highWater) {
        failure =
            new CoordinatorException(
                "segment store returned ["
                    + segment.start()
                    + ", "
                    + segment.end()
                    + ") for "
                    + namespace
                    + ", below the high-water mark "
                    + highWater
                    + " already served; refusing it (was the store reset or restored?)");
      }
      if (failure == null) {
        long now = clock.monotonicNanos();
        long took = Math.max(0, now - loadRequestedNanos);
        latencyNanos = latencyNanos == 0 ? took : (latencyNanos * 3 + took) / 4;
        for (long start = segment.start(); start < segment.end(); start += wantedStep) {
          ready.add(
              new Buffer(
                  new Segment(start, Math.min(segment.end(), start + wantedStep)),
                  config.loadFactor(),
                  now));
        }
        highWater = segment.end();
        lastFailure = null;
        failuresInARow = 0;
      } else {
        lastFailure = failure;
        failuresInARow++;
        if (failuresInARow == 1 || Long.bitCount(failuresInARow) == 1) {
          LOG.log(
              Level.WARNING,
              "loading a segment of "
                  + namespace
                  + " failed ("
                  + failuresInARow
                  + " in a row), retrying: "
                  + failure.getMessage());
        }
        requestLoadLocked(backoffNanos());
      }
      if (failure == null && wantedChain() > 1) {
        requestLoadLocked(0); // the chain may want more than this call brought
      }
      lock.notifyAll();
    }
  }

  private long backoffNanos() {
    int doublings = (int) Math.min(20, Math.max(0, failuresInARow - 1));
    return Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << doublings);
  }

  /** IDs a thread took from the shared buffer and hands out without synchronisation. */
  private static final class Chunk extends ThreadSlots.Owned {
    long next;
    long end;
    int epoch = -1;

    Chunk(Thread owner) {
      super(owner);
    }
  }

  /** One range being served. {@code next} is the only field written on the hot path. */
  private static final class Buffer {
    final long start;
    final long end;
    final long loadAt;
    long activatedNanos;

    @SuppressWarnings("unused") // accessed through NEXT
    volatile long next;

    Buffer(Segment segment, double loadFactor, long activatedNanos) {
      this.start = segment.start();
      this.end = segment.end();
      // The ID whose issue means loadFactor of the buffer is consumed.
      this.loadAt =
          start
              + Math.min(segment.size() - 1, Math.max(0, (long) (segment.size() * loadFactor) - 1));
      this.activatedNanos = activatedNanos;
      this.next = start;
    }
  }
}
