package dev.idmint.bench.client;

import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import dev.idmint.client.IdMintClient;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Sustained IDs per second through one client from one real node over loopback, every refill
 * included, with the CPU per ID of the client process and of the node process. Not JMH: what is
 * measured is minutes of steady state, not one call.
 *
 * <p>Run by {@code idmint-bench/run.sh --sustained}, which starts the node ({@code java -jar
 * idmint-server.jar serve}) and passes {@code -Didmint.endpoint=host:port} and {@code
 * -Didmint.nodePid=<pid>}. Arguments: {@code namespace threads seconds [raw]} (e.g. {@code invoice
 * 2 20}). The node's CPU time comes from {@code /proc/<pid>/stat} (utime + stime, Linux).
 *
 * <p>With {@code raw}, the same threads call the node's {@code NextIds} themselves through a bare
 * blocking gRPC stub, {@value #RAW_BATCH} IDs per call, and read every ID of each answer: the
 * node's own batch throughput over the same loopback, which the client's sustained rate is compared
 * with.
 */
public final class SustainedHarness {
  /** IDs per call in the raw mode: the client's {@code maxBatchSize} below. */
  static final int RAW_BATCH = 100_000;

  private static volatile long sink;

  private SustainedHarness() {}

  public static void main(String[] args) throws Exception {
    String namespace = args.length > 0 ? args[0] : "invoice";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    String endpoint = System.getProperty("idmint.endpoint", "127.0.0.1:7070");
    long nodePid = Long.parseLong(System.getProperty("idmint.nodePid", "-1"));
    if (args.length > 3 && args[3].equals("raw")) {
      raw(endpoint, namespace, threads, seconds, nodePid);
      return;
    }
    try (IdMintClient client =
        IdMintClient.builder()
            .endpoints(endpoint)
            .maxBatchSize(100_000)
            .prefetchAhead(Duration.ofSeconds(1))
            .build()) {
      client.nextId(namespace);
      measure("sustained", namespace, threads, seconds, nodePid, () -> take4096(client, namespace));
    }
  }

  /** The node's own batch throughput: bare stubs, {@value #RAW_BATCH} IDs per call. */
  private static void raw(String endpoint, String namespace, int threads, int seconds, long nodePid)
      throws Exception {
    String[] hostPort = endpoint.split(":");
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
            .usePlaintext()
            .maxInboundMessageSize(RAW_BATCH * 16 + (64 << 10))
            .build();
    try {
      IdServiceGrpc.IdServiceBlockingStub stub = IdServiceGrpc.newBlockingStub(channel);
      NextIdsRequest request =
          NextIdsRequest.newBuilder().setNamespace(namespace).setCount(RAW_BATCH).build();
      measure(
          "node batch (raw stub)",
          namespace,
          threads,
          seconds,
          nodePid,
          () -> {
            NextIdsResponse response = stub.nextIds(request);
            long x = 0;
            for (int i = 0, n = response.getIdsCount(); i < n; i++) {
              x ^= response.getIds(i);
            }
            sink = x;
            return response.getIdsCount();
          });
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static long take4096(IdMintClient client, String namespace) {
    long x = 0;
    for (int i = 0; i < 4096; i++) {
      x ^= client.nextId(namespace);
    }
    sink = x;
    return 4096;
  }

  /** Warms up, then runs {@code step} on {@code threads} threads and prints the figures. */
  private static void measure(
      String what, String namespace, int threads, int seconds, long nodePid, LongSupplier step)
      throws Exception {
    // Warm-up: the JIT, the buffer's rate estimate and, for a segment, the node's step.
    run(step, threads, Duration.ofSeconds(Math.max(2, seconds / 4)));
    long clientCpu0 = processCpuNanos();
    long nodeCpu0 = nodeCpuNanos(nodePid);
    long wall0 = System.nanoTime();
    long ids = run(step, threads, Duration.ofSeconds(seconds));
    long wall = System.nanoTime() - wall0;
    long clientCpu = processCpuNanos() - clientCpu0;
    long nodeCpu = nodePid > 0 ? nodeCpuNanos(nodePid) - nodeCpu0 : -1;
    System.out.printf(
        "%s %s, %d thread%s, %d s: %.2f M IDs/s; CPU per ID: client %.1f ns, node %s%n",
        what,
        namespace,
        threads,
        threads == 1 ? "" : "s",
        seconds,
        ids / (wall / 1e3),
        (double) clientCpu / ids,
        nodeCpu < 0
            ? "unknown (no -Didmint.nodePid)"
            : String.format("%.1f ns", (double) nodeCpu / ids));
  }

  /** IDs taken by {@code threads} threads repeating {@code step} until {@code duration} is over. */
  private static long run(LongSupplier step, int threads, Duration duration)
      throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    LongAdder taken = new LongAdder();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                long n = 0;
                // A step is 4,096 takes or one batch call: the clock is not read per ID.
                while (System.nanoTime() - end < 0) {
                  n += step.getAsLong();
                }
                taken.add(n);
              },
              "sustained-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return taken.sum();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of {@code pid} in nanoseconds (USER_HZ = 100 assumed, as on Linux), or -1. */
  private static long nodeCpuNanos(long pid) throws IOException {
    if (pid <= 0) {
      return -1;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // Fields after the command name (which is in parentheses and may hold spaces).
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 10_000_000L;
  }
}
