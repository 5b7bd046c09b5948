package dev.idmint.bench.client;

import dev.idmint.client.IdMintClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * A rough stand-in for {@link ClientBenchmarks#nextIdWarm1} / {@code nextIdWarm2} that runs without
 * JMH's generated code: {@code nextId()} from a buffer filled beforehand, on 1 and 2 threads. Each
 * round waits until the buffer holds more than the round takes, so no call waits for the network;
 * the background refill still runs during a round. Prints the median and best of the rounds.
 *
 * <p>Run: {@code java -cp <test classpath> dev.idmint.client.bench.WarmBufferHarness}.
 */
public final class WarmBufferHarness {
  private static final int ROUNDS = 15;
  private static final int PER_ROUND = 8_000_000;
  private static volatile long sink;

  private WarmBufferHarness() {}

  public static void main(String[] args) throws Exception {
    try (BenchNode node = BenchNode.start();
        IdMintClient client =
            IdMintClient.builder()
                .endpoints(node.endpoint())
                .maxBatchSize(100_000)
                .prefetchBuffer(10_000_000, 20_000_000)
                .prefetchAhead(Duration.ofSeconds(1))
                .healthChecks(!node.inProcess())
                .build()) {
      client.nextId(ClientBenchmarks.NAMESPACE);
      for (int threads : new int[] {1, 2}) {
        double[] rates = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
          ClientBenchmarks.awaitBuffered(client, PER_ROUND + 1_000_000L);
          rates[round] = round(client, threads);
        }
        // The first rounds warm the JIT up.
        double[] measured = Arrays.copyOfRange(rates, 5, ROUNDS);
        Arrays.sort(measured);
        System.out.printf(
            "nextId() from a warm buffer, %d thread%s: median %.1f M IDs/s, best %.1f M IDs/s"
                + " (%d rounds of %d M IDs)%n",
            threads,
            threads == 1 ? "" : "s",
            measured[measured.length / 2],
            measured[measured.length - 1],
            measured.length,
            PER_ROUND / 1_000_000);
      }
    }
  }

  /** IDs per microsecond (= M IDs/s) of one round of {@code PER_ROUND} IDs split over threads. */
  private static double round(IdMintClient client, int threads) throws Exception {
    int each = PER_ROUND / threads;
    CyclicBarrier go = new CyclicBarrier(threads + 1);
    List<Thread> workers = new ArrayList<>();
    long[] nanos = new long[threads];
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  go.await();
                  long start = System.nanoTime();
                  long x = 0;
                  for (int i = 0; i < each; i++) {
                    x ^= client.nextId(ClientBenchmarks.NAMESPACE);
                  }
                  nanos[index] = System.nanoTime() - start;
                  sink = x;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      workers.add(worker);
      worker.start();
    }
    go.await();
    for (Thread worker : workers) {
      worker.join();
    }
    long slowest = Arrays.stream(nanos).max().orElseThrow();
    return (double) each * threads / (slowest / 1_000.0);
  }
}
