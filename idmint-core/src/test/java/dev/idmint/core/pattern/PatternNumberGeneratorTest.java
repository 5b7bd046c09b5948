package dev.idmint.core.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.segment.SegmentStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PatternNumberGeneratorTest {
  /** A zone half an hour off the hour, so that no UTC boundary is mistaken for a local one. */
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

  private static final Instant ALMOST_MIDNIGHT =
      LocalDateTime.parse("2026-12-01T23:59:59.500").atZone(KOLKATA).toInstant();
  private static final Instant MIDNIGHT =
      LocalDateTime.parse("2026-12-02T00:00:00").atZone(KOLKATA).toInstant();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  private final NumberPattern pattern =
      NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}{check:luhn}", KOLKATA);

  /** The coordinator's clock: what decides the period. */
  private final ManualClock coordinator = new ManualClock(ALMOST_MIDNIGHT.toEpochMilli());

  /** A node's clock ten minutes off the coordinator's: it must not decide anything. */
  private final Clock skewedNode =
      new Clock() {
        @Override
        public long wallMillis() {
          return Clock.system().wallMillis() - Duration.ofMinutes(10).toMillis();
        }

        @Override
        public long monotonicNanos() {
          return Clock.system().monotonicNanos();
        }
      };

  private final Store store = new Store();
  private final List<PatternNumberGenerator> started = new ArrayList<>();

  @AfterEach
  void closeGenerators() {
    started.forEach(PatternNumberGenerator::close);
  }

  private PatternNumberGenerator node(SegmentConfig segments) {
    PatternNumberGenerator generator =
        PatternNumberGenerator.builder("ord", pattern, store)
            .segments(segments)
            .clock(skewedNode)
            .prefetchAhead(Duration.ofSeconds(1))
            .keepBehind(Duration.ofSeconds(2))
            .build();
    generator.start();
    started.add(generator);
    return generator;
  }

  private static SegmentConfig step(long step) {
    return SegmentConfig.builder().fixedStep(step).threadChunk(1).build();
  }

  /** The sequence of a number of {@link #pattern}: the six digits before the check digit. */
  private static long sequenceOf(String number) {
    return Long.parseLong(number.substring(13, 19));
  }

  @Test
  void twoNodesManyThreadsAcrossMidnightNeverRepeatAndShowTheCoordinatorsDay() throws Exception {
    List<PatternNumberGenerator> nodes = List.of(node(step(50)), node(step(50)));
    Map<String, Long> issuedAt = new ConcurrentHashMap<>();
    long endMillis = MIDNIGHT.toEpochMilli() + 1_500;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> runs = new ArrayList<>();
    try {
      for (int t = 0; t < 4; t++) {
        PatternNumberGenerator node = nodes.get(t % 2);
        int batch = 1 + t;
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  int issued = 0;
                  for (int i = 0; ; i++) {
                    long at = coordinator.wallMillis();
                    if (at >= endMillis) {
                      return issued;
                    }
                    for (String number : node.nextNumbers(at, batch)) {
                      Long earlier = issuedAt.putIfAbsent(number, at);
                      assertThat(earlier).as("issued twice: %s", number).isNull();
                      issued++;
                    }
                    if (i % 3 == 0) {
                      coordinator.advanceMillis(1);
                    }
                  }
                }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> run : runs) {
        total += run.get();
      }
      assertThat(issuedAt).hasSize(total);
    } finally {
      pool.shutdownNow();
    }

    Map<String, Set<Long>> sequencesByDay = new HashMap<>();
    issuedAt.forEach(
        (number, at) -> {
          String day = LocalDate.ofInstant(Instant.ofEpochMilli(at), KOLKATA).format(DAY);
          assertThat(number).as("the day of its coordinator time").startsWith("ORD-" + day + "-");
          assertThat(CheckDigit.LUHN.verify(number)).as(number).isTrue();
          assertThat(
                  sequencesByDay.computeIfAbsent(day, d -> new HashSet<>()).add(sequenceOf(number)))
              .as("a sequence twice on %s: %s", day, number)
              .isTrue();
        });
    assertThat(sequencesByDay).containsOnlyKeys("20261201", "20261202");
    assertThat(sequencesByDay.get("20261202")).as("the new day starts again at 1").contains(1L);
    assertThat(store.keys()).containsOnly("ord--20261201", "ord--20261202");
  }

  @Test
  void tomorrowsFirstSegmentIsLoadedBeforeMidnightSoTheBoundaryNeedsNoStore() {
    PatternNumberGenerator generator = node(step(100));
    String today = generator.nextNumber(coordinator.wallMillis());
    assertThat(today).startsWith("ORD-20261201-000001");
    awaitTrue(() -> store.keys().contains("ord--20261202"), "tomorrow's segment prefetched");
    assertThat(store.firstCallAt("ord--20261202"))
        .as("asked for at the coordinator's time, before midnight")
        .isLessThan(MIDNIGHT.toEpochMilli());
    assertThat(generator.openPeriods()).containsExactlyInAnyOrder("20261201", "20261202");

    store.dark = true;
    coordinator.setWallMillis(MIDNIGHT.toEpochMilli());
    assertThat(generator.nextNumber(coordinator.wallMillis())).startsWith("ORD-20261202-000001");
    assertThat(generator.nextNumber(coordinator.wallMillis() + 5))
        .startsWith("ORD-20261202-000002");
    // A call that got its time just before midnight and arrives late: still the 1st, and new.
    assertThat(generator.nextNumber(MIDNIGHT.toEpochMilli() - 1)).startsWith("ORD-20261201-000002");

    // Past keep-behind the 1st is closed; a very late call opens it again with a fresh segment.
    generator.prepare(MIDNIGHT.toEpochMilli() + 2_000);
    assertThat(generator.openPeriods()).containsExactly("20261202");
    store.dark = false;
    assertThat(generator.nextNumber(MIDNIGHT.toEpochMilli() - 1))
        .as("not 000003: the unissued rest of the first segment was dropped, never reused")
        .startsWith("ORD-20261201-000101");
  }

  @Test
  void theNodesOwnClockNeverDecidesThePeriod() {
    PatternNumberGenerator generator = node(step(10));
    long afterMidnight = MIDNIGHT.toEpochMilli() + 10;
    assertThat(generator.nextNumber(afterMidnight)).startsWith("ORD-20261202-000001");
    assertThat(generator.nextNumber(afterMidnight - 20)).startsWith("ORD-20261201-000001");
  }

  @Test
  void aSequenceThatOutgrowsItsWidthIsRefusedUntilTheNextDay() {
    NumberPattern narrow = NumberPattern.parse("T{date:yyyyMMdd}-{seq:1}", KOLKATA);
    PatternNumberGenerator generator =
        PatternNumberGenerator.builder("tiny", narrow, store)
            .segments(step(4))
            .clock(skewedNode)
            .build();
    generator.start();
    started.add(generator);
    long at = ALMOST_MIDNIGHT.toEpochMilli();
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      numbers.add(generator.nextNumber(at));
    }
    assertThat(numbers).doesNotHaveDuplicates().last().isEqualTo("T20261201-9");
    assertThatThrownBy(() -> generator.nextNumber(at))
        .isInstanceOfSatisfying(
            SequenceExhaustedException.class,
            e -> assertThat(e.nextPeriodStart()).contains(MIDNIGHT));
    assertThatThrownBy(() -> generator.nextNumbers(at, 3))
        .isInstanceOf(SequenceExhaustedException.class);
    assertThat(generator.nextNumber(MIDNIGHT.toEpochMilli())).isEqualTo("T20261202-1");
  }

  @Test
  void aSequenceThatNeverResetsUsesOneKeyAcrossMidnight() {
    NumberPattern forever = NumberPattern.parse("N{seq:8}", KOLKATA);
    PatternNumberGenerator generator =
        PatternNumberGenerator.builder("plain", forever, store).segments(step(10)).build();
    generator.start();
    started.add(generator);
    assertThat(generator.nextNumber(ALMOST_MIDNIGHT.toEpochMilli())).isEqualTo("N00000001");
    assertThat(generator.nextNumber(MIDNIGHT.toEpochMilli())).isEqualTo("N00000002");
    assertThat(store.keys()).containsExactly("plain--all");
  }

  @Test
  void aStoreThatCannotAnswerGivesAnErrorNotANumber() {
    store.dark = true;
    PatternNumberGenerator generator =
        PatternNumberGenerator.builder("ord", pattern, store)
            .segments(
                SegmentConfig.builder().fixedStep(10).awaitTimeout(Duration.ofMillis(50)).build())
            .build();
    generator.start();
    started.add(generator);
    assertThatThrownBy(() -> generator.nextNumber(ALMOST_MIDNIGHT.toEpochMilli()))
        .isInstanceOf(dev.idmint.core.IdUnavailableException.class);
  }

  @Test
  void keysAreValidNamespaceNamesThatTheRegistryMustKeepFree() {
    assertThat(PatternNumberGenerator.storeKey("ord", "20261201")).isEqualTo("ord--20261201");
    assertThat(PatternNumberGenerator.claimsName("ord", "ord--20261201")).isTrue();
    assertThat(PatternNumberGenerator.claimsName("ord", "ord-x")).isFalse();
    String longest = "a".repeat(PatternNumberGenerator.MAX_NAMESPACE_LENGTH);
    assertThat(PatternNumberGenerator.storeKey(longest, "20261201"))
        .hasSize(63)
        .matches("[a-z][a-z0-9_-]{0,62}");
    assertThatThrownBy(
            () ->
                PatternNumberGenerator.builder(longest + "a", pattern, store)
                    .segments(SegmentConfig.builder().initialHighWater(5).build())
                    .prefetchAhead(Duration.ofSeconds(-1))
                    .build())
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(3)
                    .anySatisfy(p -> assertThat(p).startsWith("namespace must match"))
                    .anySatisfy(p -> assertThat(p).startsWith("initial-high-water must be 0"))
                    .anySatisfy(p -> assertThat(p).startsWith("prefetch-ahead must be >= 0")));
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited for: " + what).isNegative();
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** One counter per key, as every store keeps it; remembers when each key was first asked for. */
  private final class Store implements SegmentStore {
    private final Map<String, Long> next = new HashMap<>();
    private final Map<String, Long> firstCallAt = new HashMap<>();
    volatile boolean dark;

    @Override
    public synchronized Segment allocate(String namespace, long step) {
      if (dark) {
        throw new CoordinatorException("the coordinator is unreachable");
      }
      assertThat(namespace).matches("[a-z][a-z0-9_-]{0,62}");
      firstCallAt.putIfAbsent(namespace, coordinator.wallMillis());
      long start = next.getOrDefault(namespace, 1L);
      next.put(namespace, start + step);
      return new Segment(start, start + step);
    }

    synchronized Set<String> keys() {
      return Set.copyOf(next.keySet());
    }

    synchronized long firstCallAt(String key) {
      return firstCallAt.get(key);
    }
  }
}
