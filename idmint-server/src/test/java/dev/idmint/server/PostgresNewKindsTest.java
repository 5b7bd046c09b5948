package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uuid7 and pattern namespaces served by several nodes on one real PostgreSQL: UUIDs unique across
 * three nodes and stored in a {@code uuid} column, and business numbers issued by two nodes across
 * a day boundary with no number twice and none carrying the wrong day.
 *
 * <p>The day boundary is real, with no fake clock: the pattern's time zone is a fixed offset with
 * seconds, chosen so that local midnight falls a few seconds after the test starts, and the nodes
 * mint through it on the real clock. PostgreSQL runs on this machine, so its clock (which decides
 * the period) and the test's agree.
 */
class PostgresNewKindsTest {
  static final String SCHEMA = "idmint_kinds_it";
  static String url;

  @TempDir Path dir;

  @BeforeAll
  static void database() {
    url = TestDatabases.freshPostgresSchema(SCHEMA);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(value -> out.add(value.asText()));
    return out;
  }

  @Test
  void uuidsFromThreeNodesAreUniqueAndFitAPostgresUuidColumn() throws Exception {
    String yaml =
        """
        coordinator:
          options: { user: postgres }
        namespaces:
          evt: { strategy: uuid7 }
        """;
    try (TestServer a = TestServer.start(dir.resolve("a"), url, yaml, Map.of());
        TestServer b = TestServer.start(dir.resolve("b"), url, yaml, Map.of());
        TestServer c = TestServer.start(dir.resolve("c"), url, yaml, Map.of());
        Connection db = DriverManager.getConnection(url, TestDatabases.PG_USER, "")) {
      Set<Integer> workers = new HashSet<>();
      for (TestServer node : new TestServer[] {a, b, c}) {
        workers.add(node.server.node().lease().worker());
      }
      assertThat(workers).hasSize(3);
      try (Statement ddl = db.createStatement()) {
        ddl.execute("CREATE TABLE event (id uuid PRIMARY KEY)");
      }
      Set<UUID> seen = new HashSet<>();
      db.setAutoCommit(false);
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO event (id) VALUES (?)")) {
        for (int round = 0; round < 10; round++) {
          for (TestServer node : new TestServer[] {a, b, c}) {
            for (String text :
                texts(node.post("/v1/namespaces/evt/ids?count=1000").json().path("uuids"))) {
              UUID uuid = UUID.fromString(text);
              assertThat(uuid.version()).isEqualTo(7);
              assertThat(uuid.variant()).isEqualTo(2);
              assertThat(seen.add(uuid)).as("duplicate %s", uuid).isTrue();
              insert.setObject(1, uuid);
              insert.addBatch();
            }
          }
          insert.executeBatch();
        }
      }
      db.commit();
      assertThat(seen).hasSize(30_000);
      try (Statement query = db.createStatement();
          ResultSet rs =
              query.executeQuery("SELECT count(DISTINCT id), min(id::text) FROM event")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(30_000);
        // PostgreSQL's uuid order is byte order, which is the issue order within one node.
        assertThat(rs.getString(2))
            .isEqualTo(seen.stream().min(UUID::compareTo).orElseThrow().toString());
      }
    }
  }

  /** A call and what it got: the wall clock before and after, and the numbers. */
  private record Call(long beforeMillis, long afterMillis, List<String> numbers) {}

  @Test
  void twoNodesIssueNumbersAcrossMidnightWithoutARepeatOrAWrongDay() throws Exception {
    // Local midnight about 6 s from now: a fixed offset, with seconds, that puts it there.
    long midnight = ((System.currentTimeMillis() + 6_500) / 1000) * 1000;
    ZoneOffset zone = midnightAt(midnight);
    String yaml =
        """
        coordinator:
          options: { user: postgres }
        namespaces:
          ord:
            strategy: pattern
            pattern: { template: "ORD-{date:yyyyMMdd}-{seq:6}", time-zone: "%s" }
            segment: { step: 50 }
        """
            .formatted(zone.getId());
    ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    try (TestServer a = TestServer.start(dir.resolve("a"), url, yaml, Map.of());
        TestServer b = TestServer.start(dir.resolve("b"), url, yaml, Map.of())) {
      assertThat(System.currentTimeMillis())
          .as("both nodes run well before midnight")
          .isLessThan(midnight - 1_000);
      long end = midnight + 1_500;
      List<Thread> threads = new ArrayList<>();
      for (TestServer node : new TestServer[] {a, b}) {
        for (int t = 0; t < 2; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    while (System.currentTimeMillis() < end) {
                      long before = System.currentTimeMillis();
                      TestServer.Response response = node.post("/v1/namespaces/ord/ids?count=3");
                      long after = System.currentTimeMillis();
                      if (response.status() != 200) {
                        failures.add(response.status() + " " + response.body());
                        return;
                      }
                      calls.add(new Call(before, after, texts(response.json().path("numbers"))));
                    }
                  });
          thread.start();
          threads.add(thread);
        }
      }
      for (Thread thread : threads) {
        thread.join();
      }
    }
    assertThat(failures).isEmpty();
    DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyyMMdd");
    String before = LocalDate.ofInstant(Instant.ofEpochMilli(midnight - 1), zone).format(day);
    String after = LocalDate.ofInstant(Instant.ofEpochMilli(midnight), zone).format(day);
    Set<String> seen = new HashSet<>();
    Set<String> firstOfDays = new HashSet<>();
    int[] perDay = new int[2];
    // The period is decided by the node's estimate of PostgreSQL's clock, within a few ms of it.
    long margin = 50;
    for (Call call : calls) {
      for (String number : call.numbers()) {
        assertThat(seen.add(number)).as("issued twice: %s", number).isTrue();
        String date = number.substring(4, 12);
        assertThat(date).isIn(before, after);
        if (call.afterMillis() + margin < midnight) {
          assertThat(date).as("%s issued before midnight", number).isEqualTo(before);
        }
        if (call.beforeMillis() - margin >= midnight) {
          assertThat(date).as("%s issued after midnight", number).isEqualTo(after);
        }
        perDay[date.equals(before) ? 0 : 1]++;
        if (number.endsWith("-000001")) {
          firstOfDays.add(date);
        }
      }
    }
    assertThat(perDay[0]).as("numbers of the day before").isPositive();
    assertThat(perDay[1]).as("numbers of the new day").isPositive();
    assertThat(firstOfDays).as("each day starts at 1").containsExactlyInAnyOrder(before, after);
  }

  /** A fixed offset with seconds whose local midnight falls at {@code midnight} (whole seconds). */
  private static ZoneOffset midnightAt(long midnight) {
    int secondOfDay = (int) Math.floorMod(midnight / 1000, 86_400L);
    int offsetSeconds = Math.floorMod(-secondOfDay, 86_400);
    if (offsetSeconds > 64_800) {
      offsetSeconds -= 86_400;
    }
    ZoneOffset zone = ZoneOffset.ofTotalSeconds(offsetSeconds);
    assertThat(Instant.ofEpochMilli(midnight).atOffset(zone).toLocalTime())
        .isEqualTo(LocalTime.MIDNIGHT);
    return zone;
  }

  @Test
  void tomorrowsFirstSegmentIsLoadedBeforeMidnightWithoutAnyCall() throws Exception {
    String schemaUrl = TestDatabases.freshPostgresSchema("idmint_kinds_pre_it");
    long midnight = ((System.currentTimeMillis() + 6_500) / 1000) * 1000;
    ZoneOffset zone = midnightAt(midnight);
    String yaml =
        """
        coordinator:
          options: { user: postgres }
        namespaces:
          pre:
            strategy: pattern
            pattern: { template: "P{date:yyyyMMdd}{seq:4}", time-zone: "%s" }
        """
            .formatted(zone.getId());
    String tomorrow =
        LocalDate.ofInstant(Instant.ofEpochMilli(midnight), zone)
            .format(DateTimeFormatter.ofPattern("yyyyMMdd"));
    try (TestServer node = TestServer.start(dir.resolve("pre"), schemaUrl, yaml, Map.of());
        Connection db = DriverManager.getConnection(schemaUrl, TestDatabases.PG_USER, "");
        PreparedStatement row =
            db.prepareStatement("SELECT max_id FROM idmint_segment WHERE namespace = ?")) {
      row.setString(1, "pre--" + tomorrow);
      long seenAt = -1;
      while (System.currentTimeMillis() < midnight - 100) {
        try (ResultSet rs = row.executeQuery()) {
          if (rs.next() && rs.getLong(1) > 0) {
            seenAt = System.currentTimeMillis();
            break;
          }
        }
        Thread.sleep(20);
      }
      assertThat(seenAt)
          .as("the counter of %s was drawn from before midnight, with no call made", tomorrow)
          .isPositive()
          .isLessThan(midnight);
      while (System.currentTimeMillis() < midnight + 100) {
        Thread.sleep(20);
      }
      TestServer.Response first = node.post("/v1/namespaces/pre/ids");
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      assertThat(texts(first.json().path("numbers"))).containsExactly("P" + tomorrow + "0001");
    }
  }
}
