package dev.idmint.bench;

import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.segment.SegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.test.TestingServer;

/**
 * Round trips to each coordinator on this machine: claim and renew latency of a worker lease, and
 * segment allocations per second from one and four threads. A plain harness, not JMH: every
 * operation is one network round trip (or one embedded transaction), measured with nanoTime.
 *
 * <p>Run: {@code java -cp idmint-bench/target/benchmarks.jar dev.idmint.bench.CoordinatorFigures}.
 * Engines that are not reachable are reported as skipped. Uses its own schema / database / key
 * prefix / chroot and drops nothing else.
 */
public final class CoordinatorFigures {
  private static final int CLAIMS = 200;
  private static final int RENEWALS = 2_000;
  private static final int ALLOCATIONS = 4_000;

  private CoordinatorFigures() {}

  public static void main(String[] args) throws Exception {
    System.out.println(
        "| coordinator | claim p50 / p99 (ms) | renew p50 / p99 (ms) | segment allocations/s, 1 thread | 4 threads |");
    System.out.println("|---|---:|---:|---:|---:|");
    Path h2 = Files.createTempDirectory("idmint-figures");
    run("H2 (embedded file)", "jdbc:h2:file:" + h2.resolve("idmint"), Map.of());
    prepare(
        "jdbc:postgresql://127.0.0.1:5432/test",
        "postgres",
        "DROP SCHEMA IF EXISTS idmint_figures CASCADE",
        "CREATE SCHEMA idmint_figures");
    run(
        "PostgreSQL 15",
        "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=idmint_figures",
        Map.of("user", "postgres"));
    prepare(
        "jdbc:mariadb://127.0.0.1:3306/test",
        "root",
        "DROP DATABASE IF EXISTS idmint_figures",
        "CREATE DATABASE idmint_figures");
    run("MariaDB 10.11", "jdbc:mariadb://127.0.0.1:3306/idmint_figures", Map.of("user", "root"));
    try (TestingServer zookeeper = new TestingServer(true)) {
      run(
          "ZooKeeper 3.9 (1 server)",
          "zookeeper://" + zookeeper.getConnectString() + "/idmint-figures",
          Map.of());
    }
    run(
        "Redis 7",
        "redis://127.0.0.1:6379",
        Map.of("key-prefix", "idmint-figures-" + System.nanoTime() + ":"));
    System.exit(0);
  }

  private static void prepare(String url, String user, String... statements) {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (Exception e) {
      System.out.println("(could not prepare " + url + ": " + e.getMessage() + ")");
    }
  }

  private static void run(String name, String url, Map<String, String> options) {
    try (Coordinator coordinator = Coordinators.open(url, options)) {
      WorkerLeaseStore leases = coordinator.workerLeases();
      SegmentStore segments = coordinator.segments();
      // Warm up connections and the JIT.
      measureClaims(leases, 50);
      measureRenewals(leases, 200);
      allocationsPerSecond(segments, 1, 500);

      double[] claims = measureClaims(leases, CLAIMS);
      double[] renewals = measureRenewals(leases, RENEWALS);
      double one = allocationsPerSecond(segments, 1, ALLOCATIONS);
      double four = allocationsPerSecond(segments, 4, ALLOCATIONS);
      System.out.printf(
          "| %s | %.2f / %.2f | %.2f / %.2f | %,.0f | %,.0f |%n",
          name,
          percentile(claims, 50),
          percentile(claims, 99),
          percentile(renewals, 50),
          percentile(renewals, 99),
          one,
          four);
    } catch (Exception e) {
      System.out.println("| " + name + " | skipped: " + e.getMessage() + " | | | |");
    }
  }

  private static double[] measureClaims(WorkerLeaseStore leases, int count) {
    double[] millis = new double[count];
    List<LeaseGrant> held = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      LeaseGrant grant =
          leases.claim(
              new ClaimRequest(
                  "figures",
                  OptionalInt.empty(),
                  1023,
                  Duration.ofSeconds(30),
                  System.currentTimeMillis() + 10_000));
      millis[i] = (System.nanoTime() - start) / 1e6;
      held.add(grant);
    }
    held.forEach(leases::release);
    return millis;
  }

  private static double[] measureRenewals(WorkerLeaseStore leases, int count) {
    LeaseGrant grant =
        leases.claim(
            new ClaimRequest("figures", OptionalInt.empty(), 1023, Duration.ofSeconds(30), 0));
    double[] millis = new double[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      grant = leases.renew(grant, 30_000, System.currentTimeMillis() + 10_000);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    leases.release(grant);
    return millis;
  }

  private static double allocationsPerSecond(SegmentStore segments, int threads, int total)
      throws Exception {
    String namespace = "figures-" + threads + "-" + System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < total / threads; i++) {
                    segments.allocate(namespace, 1_000);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
