package dev.idmint.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.SegmentUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentGeneratorTest {
  private final RowStore store = new RowStore();
  private final List<SegmentGenerator> started = new ArrayList<>();

  /** One coordinator row: {@code max_id += step}, with an outage switch and a reset. */
  static final class RowStore implements SegmentStore {
    final AtomicLong maxId = new AtomicLong(1);
    final AtomicBoolean down = new AtomicBoolean();
    final List<Long> steps = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Segment allocate(String namespace, long step) {
      if (down.get()) {
        throw new CoordinatorException("connection refused (test outage)");
      }
      steps.add(step);
      long end = maxId.addAndGet(step);
      return new Segment(end - step, end);
    }
  }

  private SegmentGenerator start(SegmentConfig config, Clock clock) {
    SegmentGenerator generator = new SegmentGenerator("invoice", store, config, clock);
    generator.start();
    started.add(generator);
    return generator;
  }

  @AfterEach
  void closeAll() {
    started.forEach(SegmentGenerator::close);
  }

  private static void awaitNextLoaded(SegmentGenerator generator) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!generator.nextLoaded()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("next buffer not loaded within 5 s");
      }
      Thread.sleep(1);
    }
  }

  @Test
  void idsAreDenseFromOneAndTheNextBufferLoadsAtTheLoadFactor() throws Exception {
    SegmentGenerator generator =
        start(
            SegmentConfig.builder().fixedStep(100).loadFactor(0.2).threadChunk(1).build(),
            Clock.system());
    for (long expected = 1; expected <= 19; expected++) {
      assertThat(generator.nextId()).isEqualTo(expected);
    }
    Thread.sleep(50);
    assertThat(generator.nextLoaded()).as("loaded only once 20% is consumed").isFalse();
    assertThat(generator.nextId()).isEqualTo(20);
    awaitNextLoaded(generator);
    long[] rest = generator.nextIds(181);
    assertThat(rest[0]).isEqualTo(21);
    assertThat(rest[180]).as("the second buffer follows the first").isEqualTo(201);
    assertThat(store.steps).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aSmallFixedStepOnASlowStoreIsFetchedAsAChainOfSeveralStepsPerStoreCall() {
    SegmentStore slow =
        (namespace, size) -> {
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
          return store.allocate(namespace, size);
        };
    SegmentGenerator generator =
        new SegmentGenerator(
            "invoice",
            slow,
            SegmentConfig.builder().fixedStep(100).threadChunk(1).build(),
            Clock.system());
    generator.start();
    started.add(generator);
    int longestChain = 0;
    for (long expected = 1; expected <= 200_000; expected++) {
      assertThat(generator.nextId()).isEqualTo(expected);
      if (expected % 100 == 50) {
        longestChain = Math.max(longestChain, generator.chainLength());
      }
    }
    assertThat(store.steps)
        .as("each store call takes whole steps, and some take several")
        .allSatisfy(size -> assertThat(size % 100).isZero())
        .anySatisfy(size -> assertThat(size).isGreaterThan(100));
    assertThat(longestChain)
        .as("several buffers were ready behind the current one")
        .isGreaterThan(1);
  }

  @Test
  void twoNodesOnOneStoreNeverHandOutTheSameId() throws Exception {
    SegmentConfig config = SegmentConfig.builder().initialStep(500).minStep(100).build();
    SegmentGenerator nodeA = start(config, Clock.system());
    SegmentGenerator nodeB = start(config, Clock.system());
    int threads = 8;
    int perThread = 250_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SegmentGenerator node = t % 2 == 0 ? nodeA : nodeB;
      boolean batches = t % 4 >= 2;
      futures.add(
          pool.submit(
              () -> {
                long[] ids = new long[perThread];
                int i = 0;
                while (i < perThread) {
                  if (batches) {
                    int n = Math.min(perThread - i, 1 + i % 300);
                    node.nextIds(ids, i, n);
                    i += n;
                  } else {
                    ids[i++] = node.nextId();
                  }
                }
                return ids;
              }));
    }
    long[] all = new long[threads * perThread];
    for (int t = 0; t < threads; t++) {
      long[] ids = futures.get(t).get();
      for (int i = 1; i < ids.length; i++) {
        if (ids[i] <= ids[i - 1]) {
          throw new AssertionError("a thread's IDs went down: " + ids[i - 1] + " then " + ids[i]);
        }
      }
      System.arraycopy(ids, 0, all, t * perThread, perThread);
    }
    pool.shutdown();
    Arrays.sort(all);
    assertThat(all[0]).isPositive();
    for (int i = 1; i < all.length; i++) {
      if (all[i] == all[i - 1]) {
        throw new AssertionError("duplicate ID " + all[i]);
      }
    }
  }

  @Test
  void whenBothBuffersAreEmptyAndTheStoreIsDownTheCallerGetsATypedErrorThenRecovers()
      throws Exception {
    SegmentGenerator generator =
        start(
            SegmentConfig.builder()
                .fixedStep(10)
                .loadFactor(0.5)
                .awaitTimeout(Duration.ofMillis(300))
                .build(),
            Clock.system());
    assertThat(generator.nextIds(6)).containsExactly(1, 2, 3, 4, 5, 6);
    awaitNextLoaded(generator);
    store.down.set(true);
    Thread.sleep(50); // a load already past the outage switch lands in the chain
    // Whatever was loaded (the current buffer and the chain behind it) is served through the
    // outage, densely, up to the high-water mark.
    long loadedUpTo = generator.highWater();
    long[] buffered = generator.nextIds((int) (loadedUpTo - 7));
    assertThat(buffered[buffered.length - 1])
        .as("every loaded buffer is served through the outage")
        .isEqualTo(loadedUpTo - 1);

    long waitStart = System.nanoTime();
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(SegmentUnavailableException.class)
        .hasMessageStartingWith(
            "namespace invoice has no IDs left in either buffer and the next segment could not be"
                + " loaded within 300 ms")
        .hasMessageContaining("connection refused (test outage)");
    assertThat(Duration.ofNanos(System.nanoTime() - waitStart))
        .as("a bounded wait, never a hang")
        .isLessThan(Duration.ofSeconds(3));

    store.down.set(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Long recovered = null;
    while (recovered == null && System.nanoTime() < deadline) {
      try {
        recovered = generator.nextId();
      } catch (SegmentUnavailableException stillDown) {
        Thread.sleep(20);
      }
    }
    assertThat(recovered).isGreaterThanOrEqualTo(loadedUpTo);
  }

  @Test
  void aRangeBelowTheHighWaterMarkIsRefusedNeverServed() throws Exception {
    // The row was restored from an old backup, and every allocation answers from it.
    AtomicBoolean restored = new AtomicBoolean();
    SegmentStore restorable =
        (namespace, size) ->
            restored.get() ? new Segment(2, 2 + size) : store.allocate(namespace, size);
    SegmentGenerator generator =
        new SegmentGenerator(
            "invoice",
            restorable,
            SegmentConfig.builder()
                .fixedStep(10)
                .loadFactor(0.5)
                .awaitTimeout(Duration.ofMillis(300))
                .build(),
            Clock.system());
    generator.start();
    started.add(generator);
    generator.nextIds(6);
    awaitNextLoaded(generator);
    restored.set(true);
    Thread.sleep(50); // a load in flight lands first (refused or in the chain)
    long servedUpTo = generator.highWater();
    long[] rest = generator.nextIds((int) (servedUpTo - 7));
    assertThat(rest[rest.length - 1]).isEqualTo(servedUpTo - 1);
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(SegmentUnavailableException.class)
        .hasMessageContaining("below the high-water mark " + servedUpTo + " already served");
    assertThat(generator.highWater()).isEqualTo(servedUpTo);
  }

  @Test
  void aHighWaterMarkFromAnEarlierRunIsHonoured() {
    store.maxId.set(1);
    SegmentGenerator generator =
        start(
            SegmentConfig.builder()
                .fixedStep(10)
                .initialHighWater(1_000)
                .awaitTimeout(Duration.ofMillis(200))
                .build(),
            Clock.system());
    assertThatThrownBy(generator::nextId).isInstanceOf(SegmentUnavailableException.class);
    store.maxId.set(1_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long id = -1;
    while (id < 0 && System.nanoTime() < deadline) {
      try {
        id = generator.nextId();
      } catch (SegmentUnavailableException retry) {
        // the loader retries with backoff
      }
    }
    assertThat(id).isGreaterThanOrEqualTo(1_000);
  }

  @Test
  void theStepGrowsUnderFastConsumptionAndShrinksUnderSlowConsumption() throws Exception {
    ManualClock clock = new ManualClock(0);
    SegmentConfig config =
        SegmentConfig.builder()
            .initialStep(1_000)
            .minStep(100)
            .maxStep(1_000_000)
            .loadFactor(0.1)
            .bufferDuration(Duration.ofMinutes(10))
            .threadChunk(1)
            .build();
    SegmentGenerator generator = start(config, clock);
    generator.nextId();
    // 100 IDs in one second: 6,000 per minute, 60,000 per ten minutes, but at most doubling.
    clock.advance(Duration.ofSeconds(1));
    generator.nextIds(99);
    assertThat(generator.step()).isEqualTo(2_000);

    awaitNextLoaded(generator);
    generator.nextIds(900);
    generator.nextId(); // first ID of the second buffer
    clock.advance(Duration.ofMinutes(30));
    generator.nextIds(199); // 200 IDs in 30 minutes: 67 per 10 minutes, but at most halving
    assertThat(generator.step()).isEqualTo(1_000);
  }

  @Test
  void theStepStaysWithinItsBounds() {
    ManualClock clock = new ManualClock(0);
    SegmentGenerator generator =
        start(
            SegmentConfig.builder()
                .initialStep(150)
                .minStep(100)
                .maxStep(200)
                .threadChunk(1)
                .build(),
            clock);
    generator.nextId();
    clock.advance(Duration.ofMillis(1));
    generator.nextIds(14);
    assertThat(generator.step()).isEqualTo(200);
  }

  @Test
  void aClosedGeneratorRefusesToIssue() throws Exception {
    SegmentGenerator generator = start(SegmentConfig.defaults(), Clock.system());
    generator.nextId();
    generator.close();
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("segment generator of invoice is closed");
  }

  @Test
  void waitersAreWokenByTheFirstLoad() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    SegmentStore slow =
        (namespace, step) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return store.allocate(namespace, step);
        };
    SegmentGenerator generator =
        new SegmentGenerator(
            "invoice",
            slow,
            SegmentConfig.builder().awaitTimeout(Duration.ofSeconds(5)).build(),
            Clock.system());
    started.add(generator);
    generator.start();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Long> waiting = pool.submit(generator::nextId);
    Thread.sleep(100);
    assertThat(waiting.isDone()).isFalse();
    release.countDown();
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(1L);
    pool.shutdown();
  }

  @Test
  void badSettingsAreAllReported() {
    assertThatThrownBy(
            () -> SegmentConfig.builder().initialStep(0).minStep(0).loadFactor(1.5).build())
        .hasMessage(
            "invalid segment configuration: min-step must be >= 1: min-step=0; load-factor must"
                + " be in [0, 1): load-factor=1.5");
  }

  @Test
  void aThreadServesItsChunkLocallyAndChunksOfThreadsNeverOverlap() throws Exception {
    SegmentGenerator generator =
        start(SegmentConfig.builder().fixedStep(1_000).threadChunk(10).build(), Clock.system());
    assertThat(generator.nextId()).isEqualTo(1);
    ExecutorService other = Executors.newSingleThreadExecutor();
    assertThat(other.submit(generator::nextId).get()).as("another thread's chunk").isEqualTo(11);
    other.shutdown();
    for (long expected = 2; expected <= 10; expected++) {
      assertThat(generator.nextId()).isEqualTo(expected);
    }
    assertThat(generator.nextId()).as("this thread's next chunk").isEqualTo(21);
  }

  @Test
  void whenTheFirstTakerDiesOtherThreadsChunksStillNeverOverlap() throws Exception {
    SegmentGenerator generator =
        start(SegmentConfig.builder().fixedStep(1_000).threadChunk(10).build(), Clock.system());
    // The first taker's chunk is found without the thread-local lookup; it dies holding 2..10.
    Thread first = new Thread(generator::nextId);
    first.start();
    first.join();
    int threads = 4;
    int each = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(
          pool.submit(
              () -> {
                long[] ids = new long[each];
                for (int i = 0; i < each; i++) {
                  ids[i] = generator.nextId();
                }
                return ids;
              }));
    }
    long[] all = new long[threads * each];
    for (int t = 0; t < threads; t++) {
      System.arraycopy(results.get(t).get(), 0, all, t * each, each);
    }
    pool.shutdown();
    Arrays.sort(all);
    for (int i = 1; i < all.length; i++) {
      assertThat(all[i]).as("no ID twice").isGreaterThan(all[i - 1]);
    }
    assertThat(all[0]).as("the dead thread's chunk is a gap, never handed out").isEqualTo(11);
  }

  @Test
  void aChunkDoesNotOutliveClose() {
    SegmentGenerator generator =
        start(SegmentConfig.builder().threadChunk(100).build(), Clock.system());
    generator.nextId();
    generator.close();
    assertThatThrownBy(generator::nextId).isInstanceOf(IllegalStateException.class);
  }
}
