package dev.idmint.client;

import dev.idmint.core.internal.ThreadSlots;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * IDs of one namespace fetched ahead of use, so that taking one is a local operation.
 *
 * <p>Design notes. IDs arrive in batches, one batch per {@code NextIds} answer, kept as a {@link
 * Chunk}: the {@code long[]} exactly as the node sent it (snowflake IDs of one batch are not
 * contiguous, so ranges would not do) and an index. Taking an ID is one {@code getAndAdd} on the
 * index of the {@link #current} chunk: no lock, no allocation, and an index that runs past the end
 * simply means "exhausted". Only then does a taker lock the buffer, to swap in the next ready
 * chunk. Every slot of a chunk is handed out at most once, because each index value is returned by
 * {@code getAndAdd} to exactly one thread; a chunk is swapped out only after its index passed the
 * end, so no slot is skipped either.
 *
 * <p>Refill. The buffer aims at {@code target} IDs: the recent rate of consumption times {@code
 * prefetchAhead}, within [{@code prefetchMinIds}, {@code prefetchMaxIds}]. The rate is sampled at
 * every refill as (IDs consumed since the last sample) / (time since), rising at once with a burst
 * and decaying by half per sample when consumption slows. When the buffered count falls to {@code
 * target / 2} (the low-water mark) one refill starts; it fetches batches of at most {@code
 * maxBatchSize} until the buffer holds {@code target} again. The mark is precomputed as an index
 * into the chunk being installed ({@link Chunk#refillAt}), so the hot path only compares two longs;
 * the thread that takes exactly that index asks for the refill. At most one refill per buffer runs
 * at a time; it runs on the client's threads, never the caller's.
 *
 * <p>Empty buffer. A caller that finds nothing waits on {@link #awaitChunk()} (starting a refill if
 * none runs), up to its own deadline; every waiter shares the one refill. A refill that fails
 * (every endpoint, until the deadline) fails the waiters' current wait, and the next waiter starts
 * another.
 *
 * <p>Lanes (the hot path). Two threads doing {@code getAndAdd} on one index take turns owning its
 * cache line, so a second thread made the take slower, not faster. {@link #take()} therefore takes
 * from the caller's own {@link Lane}: a run of slots of the current chunk that the thread claimed
 * with one {@code getAndAdd} on the chunk's index, and now hands out with plain reads and writes
 * that no other thread makes. Uniqueness is the chunk's argument unchanged (a claimed run belongs
 * to one thread; inside it, only that thread moves {@code next}); nothing past what the node
 * granted is handed out, because a run never goes past its chunk's end. A lane's run starts at
 * {@link #LANE_FIRST} slots and doubles with each claim up to {@link #LANE_MAX} (and at most a
 * sixteenth of the chunk, so that one thread cannot sit on a small buffer): a thread that takes
 * rarely holds few IDs. The cost is order: IDs of one buffer are no longer handed out in the node's
 * order across threads, only within one thread's {@code take()} calls (its next run comes after its
 * last one in the chunk; a batch through {@link #takeInto} may hold later IDs than its lane, and a
 * dead thread's rest comes back out of order), and at most {@code LANE_MAX} IDs per thread sit in
 * lanes. The refill mark is checked when a run is claimed, so a refill may start up to one run
 * early. The first two threads to take find their lanes without the {@code ThreadLocal} lookup
 * ({@link ThreadSlots}: the common case of one or two busy threads; others pay two compares more),
 * until they die and the next new lanes take their places. The other takes ({@link #takeOrSwap()},
 * {@link #takeInto}, public IDs) keep using the chunk's index directly.
 *
 * <p>Close. {@link #close()} claims the rest of the current chunk with one {@code getAndAdd} (so no
 * taker can get it afterwards) and drops it with the ready chunks. An ID a taker obtained before
 * that is still handed out; nothing is handed out twice and nothing is reused. A lane is drained
 * without its owner's help only when the owner is dead (or is the closing thread); a living owner
 * finds its lane flagged at its next take, drops what the lane holds and gets nothing more. Lanes
 * of threads that died while the buffer was open go back into the buffer at the next refill.
 */
final class PrefetchBuffer {
  private static final VarHandle INDEX;
  private static final long UNSUPPORTED_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long MIN_SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long[] NO_IDS = new long[0];

  /** Slots a thread claims for its lane the first time; each further claim doubles. */
  static final int LANE_FIRST = 8;

  /** The most slots one lane claims at once: the disorder across threads is bounded by this. */
  static final int LANE_MAX = 1024;

  /** A lane claims at most {@code chunk size >> LANE_SHARE_SHIFT} slots. */
  private static final int LANE_SHARE_SHIFT = 4;

  static {
    try {
      INDEX = MethodHandles.lookup().findVarHandle(Chunk.class, "index", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One batch from one answer. */
  static final class Chunk {
    final long[] ids;
    final String[] publicIds;
    final int size;

    /** The next slot to hand out; read and advanced only through {@link #INDEX}. */
    @SuppressWarnings("unused")
    private volatile long index;

    /**
     * The slot whose taker asks for a refill, or -1; written before the chunk is published through
     * {@link #current}, never after.
     */
    long refillAt = -1;

    Chunk(long[] ids, String[] publicIds) {
      this.ids = ids;
      this.publicIds = publicIds;
      this.size = ids.length;
    }

    long remaining() {
      return Math.max(0, size - (long) INDEX.getVolatile(this));
    }
  }

  /** Keeps a lane's fields off the cache lines of the objects allocated before it. */
  abstract static class LanePadding extends ThreadSlots.Owned {
    long p01, p02, p03, p04, p05, p06, p07, p08;

    LanePadding(Thread owner) {
      super(owner);
    }
  }

  /** A lane's state; see the design notes. */
  abstract static class LaneFields extends LanePadding {
    /**
     * Owner-only, except where the design notes say otherwise: the claimed run {@code [next, end)}.
     */
    long[] ids = NO_IDS;

    int next;
    int end;
    int claim = LANE_FIRST;

    /** Set by {@link #close()} for a living owner, who then drops the run. */
    volatile boolean closed;

    LaneFields(Thread owner) {
      super(owner);
    }

    /** What the lane holds; read by another thread, at most one run, never negative. */
    long held() {
      return Math.max(0, Math.min(LANE_MAX, end - next));
    }
  }

  /** One thread's run of slots of this buffer; padded after its fields too. */
  static final class Lane extends LaneFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;

    Lane(Thread owner) {
      super(owner);
    }
  }

  /** Each thread's lane; the first two threads' found without the {@code ThreadLocal} lookup. */
  private final ThreadSlots<Lane> lanes = new ThreadSlots<>(this::newLane);

  private final String namespace;
  private final boolean publicIds;
  private final Remote remote;
  private final ClientConfig config;
  private final Chunk closedChunk = new Chunk(new long[0], new String[0]);

  private volatile Chunk current = new Chunk(new long[0], new String[0]);

  // Guarded by this.
  private final ArrayDeque<Chunk> ready = new ArrayDeque<>();
  private final List<Lane> laneList = new ArrayList<>();
  private long queued;
  private long fetchedTotal;
  private boolean refilling;
  private RemoteCall refillCall;
  private RemoteCall lastFailedCall;
  private CompletableFuture<Void> signal = new CompletableFuture<>();
  private long target;
  private double ratePerNano;
  private long lastSampleNanos;
  private long lastConsumed;
  private boolean closed;
  private IdMintPublicIdUnsupportedException unsupported;
  private long unsupportedUntilNanos;

  PrefetchBuffer(String namespace, boolean publicIds, Remote remote) {
    this.namespace = namespace;
    this.publicIds = publicIds;
    this.remote = remote;
    this.config = remote.config();
    this.target = config.prefetchMinIds();
    this.lastSampleNanos = remote.ticker().nanos();
  }

  String namespace() {
    return namespace;
  }

  // ---- hot path

  /**
   * A raw ID from the caller's lane, or 0 when neither the lane nor the current chunk has one (IDs
   * are never 0). Never waits.
   */
  long take() {
    Lane lane = lanes.get();
    int i = lane.next;
    if (i < lane.end && !lane.closed) {
      lane.next = i + 1;
      return lane.ids[i];
    }
    return claimRun(lane);
  }

  /** Claims the lane's next run from the current chunk (swapping chunks as needed). */
  private long claimRun(Lane lane) {
    if (lane.closed) {
      dropLane(lane);
      return 0L;
    }
    for (; ; ) {
      Chunk c = current;
      int want = Math.max(1, Math.min(lane.claim, c.size >> LANE_SHARE_SHIFT));
      long i = (long) INDEX.getAndAdd(c, (long) want);
      if (i < c.size) {
        int got = (int) Math.min(want, c.size - i);
        long r = c.refillAt;
        if (r >= i && r < i + got) {
          requestRefill();
        }
        // The claim came before any close() claimed the chunk, so its first slot is handed out;
        // a close() since then flagged the lane, and the next take drops the rest.
        // next before end: a reader without the owner's help (buffered()) sees too little, not a
        // run that spans the old lane's end and the new one's.
        lane.ids = c.ids;
        lane.next = (int) i + 1;
        lane.end = (int) i + got;
        lane.claim = Math.min(LANE_MAX, lane.claim * 2);
        return c.ids[(int) i];
      }
      if (!swap(c)) {
        return 0L;
      }
    }
  }

  private Lane newLane() {
    Lane lane = new Lane(Thread.currentThread());
    synchronized (this) {
      if (closed) {
        lane.closed = true;
      } else {
        laneList.add(lane);
      }
    }
    return lane;
  }

  /** The owner, after close: what its lane still holds is dropped, never handed out. */
  private void dropLane(Lane lane) {
    synchronized (this) {
      if (lane.next < lane.end) {
        config
            .bufferListener()
            .dropped(namespace, Arrays.copyOfRange(lane.ids, lane.next, lane.end));
      }
      lane.next = lane.end;
      lane.ids = NO_IDS;
    }
  }

  /**
   * Puts back what the lanes of dead threads hold, as a ready chunk; caller holds the lock. A dead
   * thread's lane is read safely: its termination happens-before {@code isAlive()} returning false.
   */
  private void reclaimDeadLanes() {
    for (Iterator<Lane> it = laneList.iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      if (!lane.owner.isAlive()) {
        it.remove();
        lanes.release(lane);
        if (lane.next < lane.end) {
          Chunk rest = new Chunk(Arrays.copyOfRange(lane.ids, lane.next, lane.end), null);
          lane.next = lane.end;
          ready.add(rest);
          queued += rest.size;
        }
        lane.ids = NO_IDS;
      }
    }
  }

  /** A raw ID, swapping in ready chunks as needed; 0 when none is buffered. Never waits. */
  long takeOrSwap() {
    for (; ; ) {
      Chunk c = current;
      long i = (long) INDEX.getAndAdd(c, 1L);
      if (i < c.size) {
        if (i == c.refillAt) {
          requestRefill();
        }
        return c.ids[(int) i];
      }
      if (!swap(c)) {
        return 0L;
      }
    }
  }

  /** A public ID, or null when none is buffered. Never waits. */
  String takePublicOrSwap() {
    for (; ; ) {
      Chunk c = current;
      long i = (long) INDEX.getAndAdd(c, 1L);
      if (i < c.size) {
        if (i == c.refillAt) {
          requestRefill();
        }
        return c.publicIds[(int) i];
      }
      if (!swap(c)) {
        return null;
      }
    }
  }

  /** Takes up to {@code n} raw IDs into {@code out} from {@code offset}; returns how many. */
  int takeInto(long[] out, int offset, int n) {
    int filled = 0;
    while (filled < n) {
      Chunk c = current;
      int want = n - filled;
      long i = (long) INDEX.getAndAdd(c, (long) want);
      if (i < c.size) {
        int got = (int) Math.min(want, c.size - i);
        System.arraycopy(c.ids, (int) i, out, offset + filled, got);
        filled += got;
        long r = c.refillAt;
        if (r >= i && r < i + got) {
          requestRefill();
        }
      } else if (!swap(c)) {
        break;
      }
    }
    return filled;
  }

  // ---- slow path

  /**
   * Installs the next ready chunk if {@code exhausted} is still current; false if there is none.
   */
  private boolean swap(Chunk exhausted) {
    synchronized (this) {
      if (current != exhausted) {
        return true;
      }
      if (closed) {
        return false;
      }
      Chunk next = ready.poll();
      if (next == null) {
        return false;
      }
      queued -= next.size;
      install(next);
      return true;
    }
  }

  /** Makes {@code next} current with its low-water slot; caller holds the lock. */
  private void install(Chunk next) {
    long lowWater = target / 2;
    // After slot i is taken, size - i - 1 + queued IDs are left.
    long at = next.size - 1 + queued - lowWater;
    boolean refillNow = at <= 0;
    next.refillAt = at > 0 && at < next.size ? at : -1;
    current = next;
    if (refillNow) {
      startRefillLocked();
    }
  }

  /** Starts a refill if none runs and the buffer is at or below its low-water mark. */
  void requestRefill() {
    synchronized (this) {
      if (closed || refilling || buffered() > target / 2) {
        return;
      }
      startRefillLocked();
    }
  }

  private void startRefillLocked() {
    if (closed || refilling) {
      return;
    }
    refilling = true;
    if (!remote.execute(this::fetchNext)) {
      refilling = false;
    }
  }

  /**
   * A future that completes when a chunk arrives (the caller should then try again), or fails with
   * why none will: the refill failed, the client closed, or the namespace has no public IDs. Starts
   * a refill if none runs.
   */
  CompletableFuture<Void> awaitChunk() {
    boolean start = false;
    CompletableFuture<Void> s;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(Remote.closedException());
      }
      if (unsupported != null && remote.ticker().nanos() - unsupportedUntilNanos < 0) {
        return CompletableFuture.failedFuture(unsupported);
      }
      if (available() > 0) {
        return CompletableFuture.completedFuture(null);
      }
      s = signal;
      if (!refilling) {
        refilling = true;
        start = true;
      }
    }
    if (start) {
      fetchNext();
    }
    return s;
  }

  /** One fetch of the refill; runs on a client thread or a waiter's thread (it does not block). */
  private void fetchNext() {
    RemoteCall call;
    synchronized (this) {
      if (closed) {
        refilling = false;
        return;
      }
      reclaimDeadLanes();
      long now = remote.ticker().nanos();
      sampleRate(now);
      long need = target - buffered();
      // Lanes may hold the target while the shared part is empty and a waiter needs it.
      if (need <= 0 && available() > 0) {
        refilling = false;
        return;
      }
      int maxBatch = config.maxBatchSize();
      int count =
          (int) Math.min(maxBatch, Math.max(need, Math.min(config.prefetchMinIds(), maxBatch)));
      call =
          new RemoteCall(
              remote,
              namespace,
              count,
              now + config.deadline().toNanos(),
              publicIds ? Kind.PUBLIC : Kind.RAW);
      refillCall = call;
    }
    remote.startHealthChecks();
    call.start().whenComplete((batch, error) -> onFetched(call, batch, error));
  }

  private void onFetched(RemoteCall call, RemoteCall.Batch batch, Throwable error) {
    CompletableFuture<Void> toComplete;
    Throwable failure = null;
    boolean more = false;
    synchronized (this) {
      if (refillCall == call) {
        refillCall = null;
      }
      if (closed) {
        refilling = false;
        if (batch != null) {
          // Arrived after close: received and dropped at once, never handed out.
          config.bufferListener().received(namespace, batch.ids());
          config.bufferListener().dropped(namespace, batch.ids());
        }
        return;
      }
      toComplete = signal;
      signal = new CompletableFuture<>();
      if (error != null) {
        refilling = false;
        lastFailedCall = call;
        failure =
            error instanceof CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        if (failure instanceof IdMintPublicIdUnsupportedException u) {
          unsupported = u;
          unsupportedUntilNanos = remote.ticker().nanos() + UNSUPPORTED_MEMORY_NANOS;
        }
      } else {
        lastFailedCall = null;
        config.bufferListener().received(namespace, batch.ids());
        Chunk chunk = new Chunk(batch.ids(), batch.publicIds());
        fetchedTotal += chunk.size;
        if (available() == 0) {
          install(chunk);
        } else {
          ready.add(chunk);
          queued += chunk.size;
        }
        more = buffered() < target;
        if (!more) {
          refilling = false;
        }
      }
    }
    if (failure != null) {
      toComplete.completeExceptionally(failure);
    } else {
      toComplete.complete(null);
    }
    if (more) {
      fetchNext();
    }
  }

  /** Updates the consumption rate and the target from what was taken since the last sample. */
  private void sampleRate(long now) {
    long consumed = fetchedTotal - buffered();
    long elapsed = now - lastSampleNanos;
    if (elapsed >= MIN_SAMPLE_NANOS) {
      double rate = (double) (consumed - lastConsumed) / elapsed;
      ratePerNano = rate >= ratePerNano ? rate : (ratePerNano + rate) / 2;
      lastSampleNanos = now;
      lastConsumed = consumed;
    }
    double wanted = ratePerNano * config.prefetchAhead().toNanos();
    target =
        (long)
            Math.max(config.prefetchMinIds(), Math.min(config.prefetchMaxIds(), Math.ceil(wanted)));
  }

  /**
   * IDs buffered now, lanes included; caller holds the lock. What other threads' lanes hold is read
   * without their owners' help, so it is an approximation while they take.
   */
  private long buffered() {
    long held = 0;
    for (Lane lane : laneList) {
      held += lane.held();
    }
    return available() + held;
  }

  /** IDs any thread can take now (the current chunk and the ready ones); caller holds the lock. */
  private long available() {
    return current.remaining() + queued;
  }

  synchronized long bufferedIds() {
    return buffered();
  }

  synchronized long target() {
    return target;
  }

  /** For a waiter whose deadline passed while a refill was still trying. */
  synchronized IdMintUnavailableException timedOut(Duration deadline) {
    // The waiter may have outlived one refill and seen the next one only start: report both.
    List<IdMintUnavailableException.Attempt> attempts = new ArrayList<>();
    if (lastFailedCall != null) {
      attempts.addAll(lastFailedCall.attempts());
    }
    if (refillCall != null) {
      attempts.addAll(refillCall.attempts());
    }
    return new IdMintUnavailableException(
        namespace, deadline, attempts, remote.endpoints().describeAll(), null);
  }

  /** Drops every buffered ID and fails the waiters. Idempotent. */
  void close() {
    CompletableFuture<Void> s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      Chunk c = current;
      current = closedChunk;
      long i = (long) INDEX.getAndAdd(c, (long) c.size);
      int from = (int) Math.min(i, c.size);
      long held = 0;
      for (Lane lane : laneList) {
        if (lane.owner == Thread.currentThread() || !lane.owner.isAlive()) {
          held += lane.held();
        } else {
          lane.closed = true;
        }
      }
      long[] dropped = new long[(int) (c.size - from + queued + held)];
      System.arraycopy(c.ids, from, dropped, 0, c.size - from);
      int at = c.size - from;
      for (Chunk q : ready) {
        System.arraycopy(q.ids, 0, dropped, at, q.size);
        at += q.size;
      }
      for (Lane lane : laneList) {
        if (!lane.closed && lane.next < lane.end) {
          int n = lane.end - lane.next;
          System.arraycopy(lane.ids, lane.next, dropped, at, n);
          at += n;
          lane.next = lane.end;
        }
      }
      laneList.clear();
      ready.clear();
      queued = 0;
      if (dropped.length > 0) {
        config.bufferListener().dropped(namespace, dropped);
      }
      s = signal;
    }
    s.completeExceptionally(Remote.closedException());
  }
}
