package dev.idmint.core.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.Clock;
import dev.idmint.core.lease.WorkerLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many threads, one generator, the real clock: every ID unique, every thread's IDs rising. */
class SnowflakeUniquenessTest {
  private static final int THREADS = 8;
  private static final int TOTAL = 10_000_000;

  @ParameterizedTest(name = "borrowing up to {0} ms")
  @ValueSource(longs = {0, 1_000})
  void tenMillionIdsFromEightThreadsAreUniqueAndRisePerThread(long maxBorrowMillis)
      throws Exception {
    Clock clock = Clock.system();
    long now = clock.wallMillis();
    WorkerLease lease =
        new WorkerLease(
            5, 1, clock.monotonicNanos() + Duration.ofHours(1).toNanos(), now + 3_600_000, 0);
    SnowflakeLayout layout = SnowflakeLayout.defaults();
    SnowflakeGenerator generator =
        SnowflakeGenerator.builder(layout, () -> lease)
            .maxBorrow(Duration.ofMillis(maxBorrowMillis))
            .build();

    int perThread = TOTAL / THREADS;
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      boolean batches = t % 2 == 1;
      futures.add(
          pool.submit(
              () -> {
                long[] ids = new long[perThread];
                start.await();
                int i = 0;
                while (i < perThread) {
                  if (batches) {
                    int n = Math.min(perThread - i, 1 + (i % 700));
                    generator.nextIds(ids, i, n);
                    i += n;
                  } else {
                    ids[i++] = generator.nextId();
                  }
                }
                return ids;
              }));
    }
    long[] all = new long[perThread * THREADS];
    int offset = 0;
    for (Future<long[]> future : futures) {
      long[] ids = future.get();
      for (int i = 1; i < ids.length; i++) {
        if (ids[i] <= ids[i - 1]) {
          throw new AssertionError(
              "IDs of one thread went down at " + i + ": " + ids[i - 1] + " then " + ids[i]);
        }
      }
      System.arraycopy(ids, 0, all, offset, ids.length);
      offset += ids.length;
    }
    pool.shutdown();

    Arrays.sort(all);
    long duplicates = 0;
    for (int i = 1; i < all.length; i++) {
      if (all[i] == all[i - 1]) {
        duplicates++;
      }
    }
    assertThat(duplicates).isZero();
    assertThat(all[0]).isPositive();
    assertThat(layout.decode(all[0]).worker()).isEqualTo(5);
    long newestMillis = layout.decode(all[all.length - 1]).timestampMillis();
    assertThat(newestMillis - clock.wallMillis())
        .as("never further ahead of the wall clock than the borrow limit")
        .isLessThanOrEqualTo(maxBorrowMillis);
  }
}
