package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.idmint.testkit.TcpFaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against three real nodes sharing one PostgreSQL coordinator: losing one node costs
 * callers nothing, losing all of them drains the buffer and then fails in time with the typed
 * exception, and nodes started again on the same ports are used again by the same client.
 */
class FailoverTest {
  static final String YAML =
      """
      coordinator:
        options: { user: postgres }
      node:
        lease: { ttl: 4s, renew-interval: 250ms, horizon-ahead: 1500ms }
      namespaces:
        order: { strategy: snowflake }
        invoice: { strategy: segment, segment: { step: 1000 } }
      server: { shutdown-grace: 1s }
      """;
  static String coordinator;

  @TempDir Path dir;
  final TestNode[] nodes = new TestNode[3];
  final int[] ports = new int[3];

  @BeforeAll
  static void database() {
    coordinator = TestNode.postgres("idmint_client_it");
  }

  @BeforeEach
  void startNodes() {
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = TestNode.start(dir.resolve("node-" + i), 0, coordinator, YAML, Map.of());
      ports[i] = nodes[i].port;
    }
  }

  @AfterEach
  void stopNodes() throws InterruptedException {
    closeAll();
  }

  /** Closes every node at once (a graceful close takes a node a second or two). */
  void closeAll() throws InterruptedException {
    List<Thread> closing = new ArrayList<>();
    for (TestNode node : nodes) {
      if (node != null) {
        Thread thread = new Thread(node::close, "close-node");
        thread.start();
        closing.add(thread);
      }
    }
    for (Thread thread : closing) {
      thread.join();
    }
  }

  void restart(int i) {
    nodes[i] = TestNode.start(dir.resolve("node-" + i), ports[i], coordinator, YAML, Map.of());
  }

  String[] endpoints() {
    String[] out = new String[ports.length];
    for (int i = 0; i < ports.length; i++) {
      out[i] = "127.0.0.1:" + ports[i];
    }
    return out;
  }

  IdMintClientBuilder builder() {
    return IdMintClient.builder()
        .endpoints(endpoints())
        .deadline(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofMillis(300))
        .healthCheckInterval(Duration.ofMillis(500))
        .setAside(Duration.ofMillis(500), Duration.ofSeconds(2));
  }

  @Test
  void stoppingOneNodeKeepsEveryCallSucceeding() throws Exception {
    // "invoice" without prefetch: every call is a request, so the loss is felt by every call.
    try (IdMintClient client =
        builder().prefetchBuffer(200, 2_000).prefetch("invoice", false).build()) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong callsAfterStop = new AtomicLong();
      AtomicBoolean stopped = new AtomicBoolean();
      List<LongBag> orders = new ArrayList<>();
      List<LongBag> invoices = new ArrayList<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        LongBag orderIds = new LongBag();
        LongBag invoiceIds = new LongBag();
        orders.add(orderIds);
        invoices.add(invoiceIds);
        Thread worker =
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      orderIds.add(client.nextId("order"));
                      invoiceIds.add(client.nextId("invoice"));
                      invoiceIds.addAll(client.nextIds("invoice", 3));
                      if (stopped.get()) {
                        callsAfterStop.incrementAndGet();
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                });
        workers.add(worker);
        worker.start();
      }
      Thread.sleep(1_000);
      nodes[1].close();
      stopped.set(true);
      Thread.sleep(2_000);
      stop.set(true);
      for (Thread worker : workers) {
        worker.join();
      }
      assertThat(failure.get()).as("no call failed").isNull();
      assertThat(callsAfterStop.get()).as("calls went on after the stop").isGreaterThan(200);
      assertThat(LongBag.sortedUnion(orders)).doesNotHaveDuplicates();
      assertThat(LongBag.sortedUnion(invoices)).doesNotHaveDuplicates();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(client.endpoints().get(1).state())
                      .isEqualTo(EndpointHealth.State.SET_ASIDE));
      assertThat(client.endpoints().get(0).state()).isEqualTo(EndpointHealth.State.AVAILABLE);
      assertThat(client.endpoints().get(2).state()).isEqualTo(EndpointHealth.State.AVAILABLE);
    }
  }

  @Test
  void losingEveryNodeDrainsTheBufferFailsInTimeAndRecoversWhenTheyReturn() throws Exception {
    try (IdMintClient client = builder().prefetchBuffer(3_000, 3_000).build()) {
      LongBag seen = new LongBag();
      seen.add(client.nextId("order"));
      await().atMost(Duration.ofSeconds(5)).until(() -> client.bufferedIds("order") >= 2_999);

      closeAll();
      // A refill that was on its way has landed by now; no other can succeed.
      Thread.sleep(300);
      long buffered = client.bufferedIds("order");
      assertThat(buffered).isGreaterThan(1_000);
      for (long i = 0; i < buffered; i++) {
        seen.add(client.nextId("order"));
      }

      long start = System.nanoTime();
      assertThatThrownBy(() -> client.nextId("order"))
          .isInstanceOfSatisfying(
              IdMintUnavailableException.class,
              e -> {
                assertThat(e.namespace()).isEqualTo("order");
                assertThat(e.deadline()).isEqualTo(Duration.ofSeconds(2));
                assertThat(e.attempts()).isNotEmpty();
                for (String endpoint : endpoints()) {
                  assertThat(e.getMessage()).contains(endpoint + ": ");
                }
                assertThat(e.getMessage()).contains("UNAVAILABLE");
              });
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took)
          .as("fails at its deadline, not before and not much after")
          .isBetween(Duration.ofMillis(1_500), Duration.ofMillis(2_500));

      start = System.nanoTime();
      assertThatThrownBy(() -> client.nextIds("invoice", 10))
          .isInstanceOf(IdMintUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(client.endpoints())
                      .allSatisfy(
                          h -> assertThat(h.state()).isEqualTo(EndpointHealth.State.SET_ASIDE)));

      for (int i = 0; i < nodes.length; i++) {
        restart(i);
      }
      long recovering = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptionsInstanceOf(IdMintUnavailableException.class)
          .until(() -> client.nextId("order") > 0);
      System.out.printf(
          "recovered %d ms after the nodes were back%n",
          Duration.ofNanos(System.nanoTime() - recovering).toMillis());
      for (int i = 0; i < 10_000; i++) {
        seen.add(client.nextId("order"));
      }
      assertThat(client.nextIds("invoice", 10)).hasSize(10);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(client.endpoints())
                      .allSatisfy(
                          h -> assertThat(h.state()).isEqualTo(EndpointHealth.State.AVAILABLE)));
      assertThat(seen.toArray()).doesNotHaveDuplicates();
    }
  }

  @Test
  void aNodeThatStopsAnsweringCostsCallersOnlyItsAttemptTimeout() throws Exception {
    try (TcpFaultProxy proxy = TcpFaultProxy.start("127.0.0.1", ports[0]);
        IdMintClient client =
            IdMintClient.builder()
                .endpoints(proxy.host() + ":" + proxy.port(), endpoints()[1], endpoints()[2])
                .deadline(Duration.ofSeconds(2))
                .attemptTimeout(Duration.ofMillis(200))
                .prefetch(false)
                .build()) {
      for (int i = 0; i < 30; i++) {
        client.nextId("order");
      }
      proxy.blackhole();
      long slowest = 0;
      for (int i = 0; i < 300; i++) {
        long start = System.nanoTime();
        assertThat(client.nextId("order")).isPositive();
        slowest = Math.max(slowest, System.nanoTime() - start);
      }
      assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(600));
      assertThat(client.endpoints().get(0).state()).isEqualTo(EndpointHealth.State.SET_ASIDE);
      assertThat(client.endpoints().get(0).lastFailure()).contains("DEADLINE_EXCEEDED");

      proxy.restore();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                client.nextId("order");
                assertThat(client.endpoints().get(0).state())
                    .isEqualTo(EndpointHealth.State.AVAILABLE);
              });
    }
  }
}
