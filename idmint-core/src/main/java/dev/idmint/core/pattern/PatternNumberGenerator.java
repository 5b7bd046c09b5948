package dev.idmint.core.pattern;

import dev.idmint.core.Clock;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.internal.BackgroundThread;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.segment.SegmentGenerator;
import dev.idmint.core.segment.SegmentStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Issues business numbers of one pattern namespace on one node: a sequence per period, drawn from
 * segments of the existing {@link SegmentStore}, rendered by a {@link NumberPattern}.
 *
 * <p>Design notes. Each period has its own segment counter in the coordinator, under the key {@code
 * namespace--label} ({@link #storeKey}, e.g. {@code ord--20261201}), so the {@link SegmentStore}
 * SPI and every store serve it unchanged: the key is a valid namespace name ({@code
 * [a-z][a-z0-9_-]{0,62}}, what the ZooKeeper store checks) no longer than the 64 characters of the
 * JDBC stores' column, provided the namespace has at most {@value #MAX_NAMESPACE_LENGTH}
 * characters. The registry must keep the keys from meeting real namespaces: a namespace named
 * {@code <pattern-namespace>--…} would share a counter ({@link #claimsName}). Keys of old periods
 * stay in the store (one row per day for a daily reset).
 *
 * <p>The period is decided by the time the caller passes in, which must be the coordinator's time
 * (DESIGN.md rule 8 keeps the node's estimate of it within {@code max-clock-skew}), never this
 * node's wall clock: two nodes then agree which day it is, and a number shows the day whose counter
 * it drew from. Inside one period the period's own {@link SegmentGenerator} does the work (two
 * buffers, adaptive step, high-water check, loader thread), so within a node's segment the sequence
 * is dense and across nodes unique and roughly ordered.
 *
 * <p>Across the boundary. When the time passed in comes within {@code prefetchAhead} of the end of
 * its period, the next period's generator is started (its loader thread asks the store), so its
 * first segment is loaded before the boundary and the first numbers of the next period are served
 * from memory; its step starts where the ending period's adapted step stood. Periods whose end lies
 * more than {@code keepBehind} behind the latest time seen are closed (their unissued numbers
 * dropped: gaps, never repeats); a late call for a closed period opens it again and draws a fresh
 * segment of its key, so it is served, with a wait for that load, and the next call closes it
 * again. Each such call costs a segment, so {@code keepBehind} should cover how stale a caller's
 * time can be. A generator is closed only when no call is using it (a count of users and a retired
 * bit in one atomic word). Without calls near the boundary, call {@link #prepare} from a timer with
 * the coordinator's time.
 *
 * <p>What a caller can rely on: no number twice, whatever the order of calls and times; a number
 * carries the date of the time passed in; a sequence that outgrows the width throws {@link
 * SequenceExhaustedException} (the numbers drawn for it are dropped), never wraps; a store that
 * cannot answer gives {@link IdUnavailableException}, never a made-up number.
 */
public final class PatternNumberGenerator implements AutoCloseable {
  /** The longest namespace name whose period keys still fit 63 characters. */
  public static final int MAX_NAMESPACE_LENGTH = 53;

  public static final Duration DEFAULT_PREFETCH_AHEAD = Duration.ofSeconds(30);
  public static final Duration DEFAULT_KEEP_BEHIND = Duration.ofMinutes(1);

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final long RETIRED = 1L << 62;

  private final String namespace;
  private final NumberPattern pattern;
  private final SegmentStore store;
  private final SegmentConfig segments;
  private final Clock clock;
  private final long prefetchAheadMillis;
  private final long keepBehindMillis;
  private final Object lock = new Object();

  /** The period of the latest time seen; the hot path's one lookup. */
  private volatile Open latest;

  /**
   * Below this time (the caller's) nothing is due: no prefetch, no retirement. A plain comparison
   * on the hot path; moved on by {@link #prepare}.
   */
  private volatile long nextDutyMillis = Long.MIN_VALUE;

  // Guarded by lock.
  private final Map<String, Open> open = new HashMap<>();
  private long latestMillis = Long.MIN_VALUE;
  private ScheduledExecutorService housekeeping;
  private boolean closed;

  private PatternNumberGenerator(Builder builder) {
    this.namespace = builder.namespace;
    this.pattern = builder.pattern;
    this.store = builder.store;
    this.segments = builder.segments;
    this.clock = builder.clock;
    this.prefetchAheadMillis = builder.prefetchAhead.toMillis();
    this.keepBehindMillis = builder.keepBehind.toMillis();
  }

  public static Builder builder(String namespace, NumberPattern pattern, SegmentStore store) {
    return new Builder(namespace, pattern, store);
  }

  /** The segment key of one period of a namespace: {@code namespace--label}. */
  public static String storeKey(String namespace, String periodLabel) {
    return namespace + "--" + periodLabel;
  }

  /**
   * True when {@code otherNamespace} could share a segment counter with a period of the pattern
   * namespace {@code patternNamespace}; the registry must refuse such a pair.
   */
  public static boolean claimsName(String patternNamespace, String otherNamespace) {
    return otherNamespace.startsWith(patternNamespace + "--");
  }

  public String namespace() {
    return namespace;
  }

  public NumberPattern pattern() {
    return pattern;
  }

  /** Starts the housekeeping thread; no I/O until the first call or {@link #prepare}. */
  public void start() {
    synchronized (lock) {
      if (housekeeping != null || closed) {
        throw new IllegalStateException(
            "number generator of " + namespace + " already " + (closed ? "closed" : "started"));
      }
      housekeeping = BackgroundThread.start("idmint-pattern-" + namespace);
    }
  }

  /**
   * Issues one number in the period of {@code coordinatorMillis}.
   *
   * @param coordinatorMillis the coordinator's time, in milliseconds since the Unix epoch
   * @throws SequenceExhaustedException if the period's sequence has outgrown the width
   * @throws IdUnavailableException if no segment of the period could be loaded in time
   */
  public String nextNumber(long coordinatorMillis) {
    return nextNumbers(coordinatorMillis, 1)[0];
  }

  /**
   * Issues {@code count} numbers, all in the period of {@code coordinatorMillis}. Either all are
   * issued or an exception is thrown and none may be used.
   *
   * @throws IllegalArgumentException if {@code count < 1}
   * @throws SequenceExhaustedException if the period's sequence outgrows the width on the way
   * @throws IdUnavailableException if no segment of the period could be loaded in time
   */
  public String[] nextNumbers(long coordinatorMillis, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: count=" + count);
    }
    if (coordinatorMillis >= nextDutyMillis) {
      prepare(coordinatorMillis);
    }
    Instant at = Instant.ofEpochMilli(coordinatorMillis);
    Open period = acquire(coordinatorMillis, at);
    long[] sequences;
    try {
      sequences = period.segments.nextIds(count);
    } finally {
      release(period);
    }
    String[] numbers = new String[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = pattern.format(at, sequences[i]);
    }
    return numbers;
  }

  /**
   * Does what is due at the coordinator's time {@code coordinatorMillis}: starts the next period's
   * generator when the boundary is within {@code prefetchAhead}, closes periods more than {@code
   * keepBehind} old. Cheap when nothing is due; loading and closing run on background threads. For
   * a timer when calls may not come near a boundary.
   */
  public void prepare(long coordinatorMillis) {
    synchronized (lock) {
      if (closed || housekeeping == null) {
        return;
      }
      latestMillis = Math.max(latestMillis, coordinatorMillis);
      Instant now = Instant.ofEpochMilli(latestMillis);
      long endMillis = millis(pattern.period().end(now, pattern.zone()));
      long due = Long.MAX_VALUE;
      if (endMillis != Long.MAX_VALUE) {
        long prefetchAt = endMillis - prefetchAheadMillis;
        if (latestMillis >= prefetchAt) {
          String next = pattern.periodLabel(Instant.ofEpochMilli(endMillis));
          if (!open.containsKey(next)) {
            // Started here, under the lock, so no call can find it open but not started; start()
            // only schedules the first load on the period's own loader thread.
            openLocked(next, endMillis, segmentsAfter(now)).segments.start();
          }
          due = endMillis; // the next duty: retiring this period later on
        } else {
          due = prefetchAt;
        }
      }
      for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
        Open period = it.next();
        if (period.endMillis != Long.MAX_VALUE
            && period.endMillis + keepBehindMillis <= latestMillis) {
          it.remove();
          if (period.retire()) {
            submit(period.segments::close);
          }
        } else if (period.endMillis != Long.MAX_VALUE && period.endMillis <= latestMillis) {
          due = Math.min(due, period.endMillis + keepBehindMillis);
        }
      }
      nextDutyMillis = due;
    }
  }

  /** Periods open on this node, for inspection and tests: their labels. */
  public List<String> openPeriods() {
    synchronized (lock) {
      return List.copyOf(new ArrayList<>(open.keySet()));
    }
  }

  /** Stops every period's generator and the housekeeping thread; unissued numbers are dropped. */
  @Override
  public void close() {
    List<Open> toClose;
    ScheduledExecutorService toStop;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(open.values());
      open.clear();
      latest = null;
      toStop = housekeeping;
    }
    for (Open period : toClose) {
      period.retire();
      period.segments.close();
    }
    BackgroundThread.stop(toStop);
  }

  /** The open generator of the period of {@code at}, with this call counted as a user. */
  private Open acquire(long atMillis, Instant at) {
    Open fast = latest;
    if (fast != null && atMillis >= fast.startMillis && atMillis < fast.endMillis && fast.enter()) {
      return fast;
    }
    synchronized (lock) {
      if (closed || housekeeping == null) {
        throw new IllegalStateException(
            "number generator of " + namespace + (closed ? " is closed" : " not started"));
      }
      String label = pattern.periodLabel(at);
      Open period = open.get(label);
      if (period == null) {
        period = openLocked(label, millis(pattern.period().start(at, pattern.zone())), segments);
        period.segments.start();
        if (period.endMillis != Long.MAX_VALUE) {
          // A late call reopened a past period: let the next call see whether it is due to close.
          nextDutyMillis = Math.min(nextDutyMillis, period.endMillis + keepBehindMillis);
        }
      }
      if (latest == null || period.startMillis >= latest.startMillis) {
        latest = period;
      }
      if (!period.enter()) {
        throw new IllegalStateException("a period retired while its lock was held: " + label);
      }
      return period;
    }
  }

  private void release(Open period) {
    if (period.leave()) {
      submit(period.segments::close);
    }
  }

  private Open openLocked(String label, long startMillis, SegmentConfig config) {
    Instant start = Instant.ofEpochMilli(startMillis);
    long endMillis = millis(pattern.period().end(start, pattern.zone()));
    Open period =
        new Open(
            pattern.period() == Period.NEVER ? Long.MIN_VALUE : startMillis,
            endMillis,
            new SegmentGenerator(storeKey(namespace, label), store, config, clock));
    open.put(label, period);
    return period;
  }

  /** The segment sizing of the period after the one of {@code now}: its adapted step carried on. */
  private SegmentConfig segmentsAfter(Instant now) {
    Open ending = open.get(pattern.periodLabel(now));
    if (ending == null) {
      return segments;
    }
    long step = Math.max(segments.minStep(), Math.min(segments.maxStep(), ending.segments.step()));
    return SegmentConfig.builder()
        .minStep(segments.minStep())
        .maxStep(segments.maxStep())
        .initialStep(step)
        .loadFactor(segments.loadFactor())
        .bufferDuration(segments.bufferDuration())
        .awaitTimeout(segments.awaitTimeout())
        .threadChunk(segments.threadChunk())
        .build();
  }

  private void submit(Runnable task) {
    ScheduledExecutorService executor;
    synchronized (lock) {
      executor = housekeeping;
    }
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // closing down: do it here
    }
  }

  private static long millis(Instant instant) {
    if (instant.equals(Instant.MAX)) {
      return Long.MAX_VALUE;
    }
    if (instant.equals(Instant.MIN)) {
      return Long.MIN_VALUE;
    }
    return instant.toEpochMilli();
  }

  /**
   * One period's generator and who is using it: {@code users} counts calls inside it, bit 62 says
   * it was retired; whoever sees it retired with no users closes it, exactly once.
   */
  private static final class Open {
    final long startMillis;
    final long endMillis;
    final SegmentGenerator segments;
    final AtomicLong users = new AtomicLong();

    Open(long startMillis, long endMillis, SegmentGenerator segments) {
      this.startMillis = startMillis;
      this.endMillis = endMillis;
      this.segments = segments;
    }

    /** Counts a user in, unless retired. */
    boolean enter() {
      for (; ; ) {
        long state = users.get();
        if ((state & RETIRED) != 0) {
          return false;
        }
        if (users.compareAndSet(state, state + 1)) {
          return true;
        }
      }
    }

    /** Counts a user out; true when the caller must close the generator. */
    boolean leave() {
      return users.decrementAndGet() == RETIRED;
    }

    /** Marks it retired; true when the caller must close the generator (nobody is using it). */
    boolean retire() {
      return users.getAndUpdate(state -> state | RETIRED) == 0;
    }
  }

  /** Builds a {@link PatternNumberGenerator}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final String namespace;
    private final NumberPattern pattern;
    private final SegmentStore store;
    private SegmentConfig segments = SegmentConfig.defaults();
    private Clock clock = Clock.system();
    private Duration prefetchAhead = DEFAULT_PREFETCH_AHEAD;
    private Duration keepBehind = DEFAULT_KEEP_BEHIND;

    private Builder(String namespace, NumberPattern pattern, SegmentStore store) {
      this.namespace = namespace;
      this.pattern = pattern;
      this.store = store;
    }

    /** Segment sizing of each period; its initial high-water mark must be 0 (it is per key). */
    public Builder segments(SegmentConfig segments) {
      this.segments = segments;
      return this;
    }

    /** The node's clock, for the segment generators' waits and rates; never decides a period. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How long before a period ends the next one's first segment is loaded; default 30 s. */
    public Builder prefetchAhead(Duration prefetchAhead) {
      this.prefetchAhead = prefetchAhead;
      return this;
    }

    /** How long after a period ends its generator stays open for late calls; default 1 min. */
    public Builder keepBehind(Duration keepBehind) {
      this.keepBehind = keepBehind;
      return this;
    }

    /**
     * @throws InvalidConfigurationException listing every problem
     */
    public PatternNumberGenerator build() {
      List<String> problems = new ArrayList<>();
      if (namespace == null
          || !KEY.matcher(namespace).matches()
          || namespace.length() > MAX_NAMESPACE_LENGTH) {
        problems.add(
            "namespace must match [a-z][a-z0-9_-]{0,"
                + (MAX_NAMESPACE_LENGTH - 1)
                + "} (its period keys add up to 10 characters): namespace="
                + namespace);
      }
      if (pattern == null) {
        problems.add("pattern must be set");
      }
      if (store == null) {
        problems.add("segment store must be set");
      }
      if (clock == null) {
        problems.add("clock must be set");
      }
      if (segments == null) {
        problems.add("segment configuration must be set");
      } else if (segments.initialHighWater() != 0) {
        problems.add(
            "initial-high-water must be 0 for a pattern namespace (each period has its own"
                + " counter): initial-high-water="
                + segments.initialHighWater());
      }
      if (prefetchAhead == null || prefetchAhead.isNegative()) {
        problems.add("prefetch-ahead must be >= 0: prefetch-ahead=" + prefetchAhead);
      }
      if (keepBehind == null || keepBehind.isNegative()) {
        problems.add("keep-behind must be >= 0: keep-behind=" + keepBehind);
      }
      if (!problems.isEmpty()) {
        throw new InvalidConfigurationException("number generator", problems);
      }
      return new PatternNumberGenerator(this);
    }
  }
}
