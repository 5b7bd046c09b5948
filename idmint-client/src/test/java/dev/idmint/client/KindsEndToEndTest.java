package dev.idmint.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.uuid7.Uuid7Layout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's {@code nextUuid} and {@code nextNumber} against real nodes: one on embedded H2 with
 * a namespace of every kind (batches across requests, order, the strategy mismatch as a real node
 * answers it, js-safe IDs below 2<sup>53</sup>), and two on one PostgreSQL, one of them stopped
 * while calls go on (failover: no call fails, nothing is handed out twice).
 */
class KindsEndToEndTest {
  static final String KINDS =
      """
        evt: { strategy: uuid7 }
        ord:
          strategy: pattern
          pattern: { template: "ORD-{date:yyyyMMdd}-{seq:6}" }
          segment: { step: 500 }
        web: { strategy: snowflake, snowflake: { layout: js-safe } }
        order: { strategy: segment, segment: { step: 1000 } }
      """;

  @TempDir Path dir;

  private static IdMintClientBuilder builder(String... endpoints) {
    return IdMintClient.builder()
        .endpoints(endpoints)
        .deadline(Duration.ofSeconds(5))
        .attemptTimeout(Duration.ofSeconds(2));
  }

  @Test
  void everyKindFromOneNode() {
    try (TestNode node = TestNode.start(dir, "namespaces:\n" + KINDS);
        IdMintClient client = builder(node.endpoint()).maxBatchSize(1_000).build()) {
      List<UUID> uuids = new ArrayList<>();
      uuids.add(client.nextUuid("evt"));
      uuids.addAll(client.nextUuids("evt", 4_500));
      uuids.add(client.nextUuidAsync("evt").join());
      assertThat(uuids).hasSize(4_502).doesNotHaveDuplicates();
      for (int i = 0; i < uuids.size(); i++) {
        UUID u = uuids.get(i);
        assertThat(u.version()).isEqualTo(7);
        assertThat(u.variant()).isEqualTo(2);
        if (i > 0) {
          // One node: monotonic. The first 48 bits are a recent millisecond, so the most
          // significant long is positive and signed comparison is the unsigned one.
          assertThat(u).as("rising at %d", i).isGreaterThan(uuids.get(i - 1));
        }
      }
      long millis = uuids.get(0).getMostSignificantBits() >>> 16;
      assertThat(Math.abs(System.currentTimeMillis() - millis)).isLessThan(60_000);

      String before = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
      List<String> numbers = new ArrayList<>();
      numbers.add(client.nextNumber("ord"));
      numbers.addAll(client.nextNumbers("ord", 2_500));
      numbers.add(client.nextNumberAsync("ord").join());
      String after = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
      assertThat(numbers).hasSize(2_502).doesNotHaveDuplicates();
      long previous = 0;
      for (String number : numbers) {
        assertThat(number).matches("ORD-\\d{8}-\\d{6}");
        String day = number.substring(4, 12);
        assertThat(day).isIn(before, after);
        long sequence = Long.parseLong(number.substring(13));
        if (day.equals(numbers.get(0).substring(4, 12))) {
          assertThat(sequence).as(number).isGreaterThan(previous);
          previous = sequence;
        }
      }

      for (long id : client.nextIds("web", 3_000)) {
        assertThat(id).isPositive().isLessThan(1L << 53);
      }
      assertThat(client.nextId("order")).isPositive();
    }
  }

  @Test
  void theWrongMethodOnARealNodeNamesTheStrategyAndTheMethodToUse() {
    try (TestNode node = TestNode.start(dir, "namespaces:\n" + KINDS);
        IdMintClient client = builder(node.endpoint()).build()) {
      String answeredBy = " (answered by " + node.endpoint() + ")";
      assertThatThrownBy(() -> client.nextId("evt"))
          .isInstanceOf(IdMintStrategyMismatchException.class)
          .hasMessage(
              "namespace evt is a uuid7 namespace and issues UUIDs: call nextUuid or nextUuids,"
                  + " not nextId or nextIds"
                  + answeredBy);
      assertThatThrownBy(() -> client.nextIds("ord", 10))
          .isInstanceOf(IdMintStrategyMismatchException.class)
          .hasMessage(
              "namespace ord is a pattern namespace and issues business numbers (strings): call"
                  + " nextNumber or nextNumbers, not nextId or nextIds"
                  + answeredBy);
      assertThatThrownBy(() -> client.nextUuid("web"))
          .isInstanceOf(IdMintStrategyMismatchException.class)
          .hasMessage(
              "namespace web is a snowflake or segment namespace and issues numeric IDs (long):"
                  + " call nextId or nextIds, not nextUuid or nextUuids"
                  + answeredBy);
      assertThatThrownBy(() -> client.nextNumber("evt"))
          .isInstanceOf(IdMintStrategyMismatchException.class)
          .hasMessageStartingWith(
              "namespace evt is a uuid7 namespace and issues UUIDs: call nextUuid or nextUuids,"
                  + " not nextNumber or nextNumbers");
      assertThatThrownBy(() -> client.nextUuid("nope"))
          .isInstanceOf(IdMintNamespaceNotFoundException.class);
      // The right methods still work after the refusals.
      assertThat(client.nextUuid("evt").version()).isEqualTo(7);
      assertThat(client.nextNumber("ord")).startsWith("ORD-");
      assertThat(client.nextId("web")).isLessThan(1L << 53);
    }
  }

  @Test
  void nextIdOnAPatternNamespaceSpendsOneBatchOfItsSequenceNotOnePerCall() {
    try (TestNode node = TestNode.start(dir, "namespaces:\n" + KINDS);
        IdMintClient client = builder(node.endpoint()).prefetchBuffer(100, 1_000).build()) {
      for (int i = 0; i < 50; i++) {
        assertThatThrownBy(() -> client.nextId("ord"))
            .isInstanceOf(IdMintStrategyMismatchException.class);
      }
      // The first refill asked for the buffer's 100 numbers and threw them away; every later
      // call failed without asking. So the day's sequence went on at 101, not at 5001.
      String next = client.nextNumber("ord");
      assertThat(Long.parseLong(next.substring(13))).isEqualTo(101);
    }
  }

  @Test
  void uuidsAndNumbersFailOverWhenANodeStops() throws Exception {
    String coordinator = TestNode.postgres("idmint_client_kinds");
    String yaml =
        """
        coordinator:
          options: { user: postgres }
        node:
          lease: { ttl: 4s, renew-interval: 250ms, horizon-ahead: 1500ms }
        server: { shutdown-grace: 1s }
        namespaces:
        """
            + KINDS;
    TestNode a = TestNode.start(dir.resolve("a"), 0, coordinator, yaml, Map.of());
    TestNode b = TestNode.start(dir.resolve("b"), 0, coordinator, yaml, Map.of());
    try (IdMintClient client =
        IdMintClient.builder()
            .endpoints(a.endpoint(), b.endpoint())
            .deadline(Duration.ofSeconds(3))
            .attemptTimeout(Duration.ofMillis(500))
            .healthCheckInterval(Duration.ofMillis(500))
            .setAside(Duration.ofMillis(500), Duration.ofSeconds(2))
            .build()) {
      Set<UUID> uuids = ConcurrentHashMap.newKeySet();
      Set<String> numbers = ConcurrentHashMap.newKeySet();
      Set<Integer> workers = ConcurrentHashMap.newKeySet();
      Uuid7Layout layout = Uuid7Layout.defaults();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean stopped = new AtomicBoolean();
      AtomicLong callsAfterStop = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      UUID u = client.nextUuid("evt");
                      if (!uuids.add(u)) {
                        throw new AssertionError("UUID handed out twice: " + u);
                      }
                      workers.add(layout.decode(u).worker());
                      for (String n : client.nextNumbers("ord", 3)) {
                        if (!numbers.add(n)) {
                          throw new AssertionError("number handed out twice: " + n);
                        }
                      }
                      if (stopped.get()) {
                        callsAfterStop.incrementAndGet();
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "kinds-caller-" + t);
        threads.add(thread);
        thread.start();
      }
      Thread.sleep(1_500);
      b.close();
      stopped.set(true);
      Thread.sleep(2_000);
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failure.get()).as("no call failed").isNull();
      assertThat(callsAfterStop.get()).as("calls went on after the stop").isGreaterThan(30);
      assertThat(uuids.size()).isGreaterThan(100);
      assertThat(workers).as("both nodes served, each with its own worker").hasSize(2);
      assertThat(numbers.size()).isGreaterThan(300);
    } finally {
      a.close();
      b.close();
    }
  }
}
