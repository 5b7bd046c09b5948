package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefetch buffer under many threads, fed by a real node: nothing handed out twice, nothing
 * lost between refills, nothing handed out after close.
 */
class PrefetchBufferTest {
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() {
    node =
        TestNode.start(
            dir,
            """
            namespaces:
              order: { strategy: snowflake }
              invoice: { strategy: segment, segment: { step: 5000 } }
              receipt: { strategy: segment, segment: { step: 5000 } }
            limits: { max-count: 100000 }
            """);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static IdMintClientBuilder builder() {
    return IdMintClient.builder().endpoints(node.endpoint()).deadline(Duration.ofSeconds(5));
  }

  /** Records what the buffers received and dropped. */
  static final class Ledger implements BufferListener {
    final List<LongBag> received = new ArrayList<>();
    final List<LongBag> dropped = new ArrayList<>();

    @Override
    public synchronized void received(String namespace, long[] ids) {
      LongBag bag = new LongBag();
      bag.addAll(ids);
      received.add(bag);
    }

    @Override
    public synchronized void dropped(String namespace, long[] ids) {
      LongBag bag = new LongBag();
      bag.addAll(ids);
      dropped.add(bag);
    }
  }

  @Test
  void noDuplicatesAcross20MillionIdsFromManyThreads() throws Exception {
    int threads = 8;
    int perThread = 2_500_000;
    long[] all = new long[threads * perThread];
    IdMintClient client = builder().maxBatchSize(50_000).prefetchBuffer(1_000, 500_000).build();
    try {
      List<Thread> workers = new ArrayList<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CyclicBarrier go = new CyclicBarrier(threads);
      for (int t = 0; t < threads; t++) {
        int from = t * perThread;
        boolean batches = t % 4 == 3;
        Thread worker =
            new Thread(
                () -> {
                  try {
                    go.await();
                    if (batches) {
                      for (int at = from; at < from + perThread; at += 50) {
                        long[] ids = client.nextIds("order", 50);
                        System.arraycopy(ids, 0, all, at, 50);
                      }
                    } else {
                      for (int at = from; at < from + perThread; at++) {
                        all[at] = client.nextId("order");
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "consumer-" + t);
        workers.add(worker);
        worker.start();
      }
      long start = System.nanoTime();
      for (Thread worker : workers) {
        worker.join();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(failure.get()).isNull();
      System.out.printf(
          "20M IDs through the client from %d threads in %d ms (%.1f M/s, bound by the node)%n",
          threads, took.toMillis(), all.length / (took.toNanos() / 1e3));
      assertThat(((DefaultIdMintClient) client).bufferTarget("order"))
          .as("the target followed the rate up to its bound")
          .isEqualTo(500_000);
    } finally {
      client.close();
    }
    Arrays.parallelSort(all);
    assertThat(all[0]).isPositive();
    for (int i = 1; i < all.length; i++) {
      if (all[i] == all[i - 1]) {
        throw new AssertionError("duplicate ID " + all[i]);
      }
    }
  }

  @Test
  void everyIdReceivedIsHandedOutOrDroppedAndSegmentRangesHaveNoHoles() throws Exception {
    Ledger ledger = new Ledger();
    IdMintClient client =
        builder()
            .maxBatchSize(500)
            .prefetchBuffer(100, 3_000)
            .prefetchAhead(Duration.ofMillis(20))
            .bufferListener(ledger)
            .build();
    int threads = 6;
    int perThread = 300_000;
    List<LongBag> handed = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      LongBag bag = new LongBag();
      handed.add(bag);
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < perThread; i++) {
                    bag.add(client.nextId("invoice"));
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(failure.get()).isNull();
    long buffered = client.bufferedIds("invoice");
    client.close();

    long[] out = LongBag.sortedUnion(handed);
    long[] dropped = LongBag.sortedUnion(ledger.dropped);
    long[] received = LongBag.sortedUnion(ledger.received);
    assertThat(out).hasSize(threads * perThread);
    // A refill still in flight when the workers stop may land between the two reads; close()
    // then drops it too. What must hold exactly is the accounting below.
    assertThat(dropped.length)
        .as("close drops at least what was buffered")
        .isGreaterThanOrEqualTo((int) buffered);
    assertThat(ledger.received.size()).as("many refills").isGreaterThan(1_000);

    List<LongBag> both = new ArrayList<>(handed);
    both.add(bagOf(dropped));
    long[] accounted = LongBag.sortedUnion(both);
    assertSameIds(accounted, received, "handed out + dropped = received, each exactly once");
    for (int i = 1; i < accounted.length; i++) {
      if (accounted[i] != accounted[i - 1] + 1) {
        throw new AssertionError(
            "segment IDs must account for one contiguous range: after "
                + accounted[i - 1]
                + " comes "
                + accounted[i]);
      }
    }
  }

  @Test
  void closingWhileThreadsTakeHandsOutNothingTwiceAndLosesNothing() throws Exception {
    Ledger ledger = new Ledger();
    IdMintClient client =
        builder().maxBatchSize(1_000).prefetchBuffer(500, 20_000).bufferListener(ledger).build();
    int threads = 4;
    List<LongBag> handed = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    List<Throwable> endings = new ArrayList<>();
    CountDownLatch running = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      LongBag bag = new LongBag();
      handed.add(bag);
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = 0; ; i++) {
                    bag.add(client.nextId("receipt"));
                    if (i == 50_000) {
                      running.countDown();
                    }
                  }
                } catch (Throwable e) {
                  synchronized (endings) {
                    endings.add(e);
                  }
                }
              });
      workers.add(worker);
      worker.start();
    }
    running.await();
    client.close();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(endings)
        .hasSize(threads)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the idmint client is closed"));

    List<LongBag> both = new ArrayList<>(handed);
    both.addAll(ledger.dropped);
    long[] accounted = LongBag.sortedUnion(both);
    assertSameIds(
        accounted,
        LongBag.sortedUnion(ledger.received),
        "handed out + dropped = received, each exactly once");
  }

  /**
   * Each thread takes a few IDs and ends, leaving the rest of its lane's run behind: the refills
   * put those back into the buffer, so a segment's IDs still account for one range without holes.
   */
  @Test
  void lanesOfThreadsThatEndedGoBackIntoTheBuffer() throws Exception {
    Ledger ledger = new Ledger();
    IdMintClient client =
        builder()
            .maxBatchSize(2_000)
            .prefetchBuffer(1_000, 4_000)
            .prefetchAhead(Duration.ofMillis(20))
            .bufferListener(ledger)
            .build();
    List<LongBag> handed = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int rounds = 400;
    for (int round = 0; round < rounds; round++) {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        LongBag bag = new LongBag();
        handed.add(bag);
        // 1 to 40 IDs: the lane's run (8, 16, 32, 64 slots) is left part-used.
        int take = 1 + (round * 4 + t) % 40;
        Thread worker =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < take; i++) {
                      bag.add(client.nextId("receipt"));
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                });
        workers.add(worker);
        worker.start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
    }
    assertThat(failure.get()).isNull();
    long[] takenSoFar = LongBag.sortedUnion(handed);
    long received = LongBag.sortedUnion(ledger.received).length;
    assertThat(received - takenSoFar.length)
        .as("IDs left in the lanes of ended threads came back: the buffer holds at most its bound")
        .isLessThanOrEqualTo(4_000 + 2_000);
    client.close();

    List<LongBag> both = new ArrayList<>(handed);
    both.addAll(ledger.dropped);
    long[] accounted = LongBag.sortedUnion(both);
    assertSameIds(
        accounted,
        LongBag.sortedUnion(ledger.received),
        "handed out + dropped = received, each exactly once");
    for (int i = 1; i < accounted.length; i++) {
      if (accounted[i] != accounted[i - 1] + 1) {
        throw new AssertionError(
            "segment IDs must account for one contiguous range: after "
                + accounted[i - 1]
                + " comes "
                + accounted[i]);
      }
    }
  }

  @Test
  void withPrefetchOffNothingIsBufferedOrDropped() {
    Ledger ledger = new Ledger();
    long[] ids = new long[200];
    try (IdMintClient client =
        builder().prefetch(true).prefetch("order", false).bufferListener(ledger).build()) {
      for (int i = 0; i < ids.length; i++) {
        ids[i] = client.nextId("order");
      }
      assertThat(client.nextIds("order", 3)).hasSize(3);
      assertThat(client.bufferedIds("order")).isZero();
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ledger.received).isEmpty();
    assertThat(ledger.dropped).isEmpty();
  }

  @Test
  void aWarmBufferServesWithoutTheNode() throws Exception {
    Path other = dir.resolve("warm");
    TestNode own =
        TestNode.start(
            other,
            """
            namespaces:
              order: { strategy: snowflake }
            """);
    IdMintClient client =
        IdMintClient.builder()
            .endpoints(own.endpoint())
            .prefetchBuffer(5_000, 5_000)
            .deadline(Duration.ofMillis(500))
            .build();
    try {
      client.nextId("order");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> client.bufferedIds("order") >= 4_999);
      own.close();
      long buffered = client.bufferedIds("order");
      long[] ids = new long[(int) buffered];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = client.nextId("order");
      }
      assertThat(ids).doesNotHaveDuplicates();
      assertThatThrownBy(() -> client.nextId("order"))
          .isInstanceOf(IdMintUnavailableException.class);
    } finally {
      client.close();
      own.close();
    }
  }

  /** Like isEqualTo, but names the first difference instead of printing millions of IDs. */
  private static void assertSameIds(long[] actual, long[] expected, String what) {
    int i = Arrays.mismatch(actual, expected);
    if (i >= 0) {
      throw new AssertionError(
          what
              + ": "
              + actual.length
              + " IDs vs "
              + expected.length
              + ", first difference at index "
              + i
              + ": "
              + (i < actual.length ? Long.toString(actual[i]) : "none")
              + " vs "
              + (i < expected.length ? Long.toString(expected[i]) : "none"));
    }
  }

  private static LongBag bagOf(long[] values) {
    LongBag bag = new LongBag();
    bag.addAll(values);
    return bag;
  }
}
