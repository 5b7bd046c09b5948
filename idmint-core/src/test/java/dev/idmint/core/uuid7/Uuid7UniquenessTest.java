package dev.idmint.core.uuid7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.Clock;
import dev.idmint.core.lease.WorkerLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Three nodes (workers) on the real clock, four threads each, a quarter of a million UUIDs per
 * thread: no UUID twice across all of them, and each thread's UUIDs rising. Kept in two longs per
 * UUID and checked by merging the threads' sorted runs, so three million UUIDs fit a small heap.
 */
class Uuid7UniquenessTest {
  private static final int WORKERS = 3;
  private static final int THREADS_PER_WORKER = 4;
  private static final int PER_THREAD = 250_000;

  @Test
  void threeWorkersManyThreadsMillionsOfUuidsNeverRepeat() throws Exception {
    Clock clock = Clock.system();
    long now = clock.wallMillis();
    Uuid7Layout layout = Uuid7Layout.defaults();
    List<Uuid7Generator> generators = new ArrayList<>();
    for (int worker = 1; worker <= WORKERS; worker++) {
      WorkerLease lease =
          new WorkerLease(
              worker,
              worker,
              clock.monotonicNanos() + Duration.ofHours(1).toNanos(),
              now + Duration.ofHours(1).toMillis(),
              0);
      generators.add(Uuid7Generator.builder(layout, () -> lease).clock(clock).build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS * THREADS_PER_WORKER);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> runs = new ArrayList<>();
    try {
      for (Uuid7Generator generator : generators) {
        for (int t = 0; t < THREADS_PER_WORKER; t++) {
          boolean batches = t % 2 == 0;
          runs.add(
              pool.submit(
                  () -> {
                    start.await();
                    long[] out = new long[2 * PER_THREAD];
                    UUID[] batch = new UUID[100];
                    int i = 0;
                    while (i < PER_THREAD) {
                      if (batches) {
                        generator.nextUuids(batch, 0, batch.length);
                        for (UUID uuid : batch) {
                          out[2 * i] = uuid.getMostSignificantBits();
                          out[2 * i + 1] = uuid.getLeastSignificantBits();
                          i++;
                        }
                      } else {
                        UUID uuid = generator.nextUuid();
                        out[2 * i] = uuid.getMostSignificantBits();
                        out[2 * i + 1] = uuid.getLeastSignificantBits();
                        i++;
                      }
                    }
                    return out;
                  }));
        }
      }
      start.countDown();
      List<long[]> results = new ArrayList<>();
      for (Future<long[]> run : runs) {
        results.add(run.get());
      }

      for (long[] run : results) {
        for (int i = 1; i < PER_THREAD; i++) {
          assertThat(compare(run, i, run, i - 1)).as("one thread's UUIDs rise").isPositive();
        }
      }
      // Merge the sorted runs; equal neighbours in the merged order would be a duplicate.
      PriorityQueue<int[]> heads =
          new PriorityQueue<>((a, b) -> compare(results.get(a[0]), a[1], results.get(b[0]), b[1]));
      for (int r = 0; r < results.size(); r++) {
        heads.add(new int[] {r, 0});
      }
      long[] previous = null;
      int previousIndex = -1;
      long merged = 0;
      while (!heads.isEmpty()) {
        int[] head = heads.poll();
        long[] run = results.get(head[0]);
        if (previous != null) {
          assertThat(compare(run, head[1], previous, previousIndex))
              .as("no UUID twice (after %d)", merged)
              .isPositive();
        }
        previous = run;
        previousIndex = head[1];
        merged++;
        if (head[1] + 1 < PER_THREAD) {
          heads.add(new int[] {head[0], head[1] + 1});
        }
      }
      assertThat(merged).isEqualTo((long) WORKERS * THREADS_PER_WORKER * PER_THREAD);
    } finally {
      pool.shutdownNow();
    }
  }

  private static int compare(long[] a, int i, long[] b, int j) {
    int high = Long.compareUnsigned(a[2 * i], b[2 * j]);
    return high != 0 ? high : Long.compareUnsigned(a[2 * i + 1], b[2 * j + 1]);
  }
}
