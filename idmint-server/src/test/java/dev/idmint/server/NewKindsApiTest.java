package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.InspectRequest;
import dev.idmint.api.v1.InspectResponse;
import dev.idmint.api.v1.ListNamespacesRequest;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import dev.idmint.core.snowflake.SnowflakeLayout;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three kinds of issue 15 through a started node (embedded H2): uuid7, pattern and the js-safe
 * snowflake layout, minted and inspected over REST and gRPC, shown as definitions, and defined and
 * refused through the admin API.
 */
class NewKindsApiTest {
  private static final Pattern UUID7 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  @TempDir static Path dir;
  static TestServer node;
  static ManagedChannel channel;
  static IdServiceGrpc.IdServiceBlockingStub stub;

  @BeforeAll
  static void start() {
    String yaml =
        """
        registry: { poll-interval: 200ms }
        namespaces:
          evt: { strategy: uuid7 }
          ord:
            strategy: pattern
            pattern: { template: "ORD-{date:yyyyMMdd}-{seq:6}" }
            segment: { step: 100 }
          web:
            strategy: snowflake
            snowflake: { layout: js-safe }
        """;
    node =
        TestServer.start(
            dir,
            "jdbc:h2:mem:kinds-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            yaml,
            Map.of("IDMINT_ADMIN_TOKEN", RegistryServerTest.ADMIN));
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
    stub = IdServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    node.close();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(value -> out.add(value.asText()));
    return out;
  }

  private static String today() {
    return DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(Instant.now());
  }

  @Test
  void uuid7OverRestAreVersion7UniqueAndRising() {
    TestServer.Response response = node.post("/v1/namespaces/evt/ids?count=500");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("namespace").asText()).isEqualTo("evt");
    assertThat(body.has("ids")).isFalse();
    List<String> uuids = texts(body.path("uuids"));
    assertThat(uuids).hasSize(500).allMatch(u -> UUID7.matcher(u).matches());
    for (int i = 1; i < uuids.size(); i++) {
      assertThat(UUID.fromString(uuids.get(i))).isGreaterThan(UUID.fromString(uuids.get(i - 1)));
      assertThat(uuids.get(i)).isGreaterThan(uuids.get(i - 1)); // text order too
    }
  }

  @Test
  void uuid7InspectGivesTheMillisecondWorkerAndCounter() {
    long before = System.currentTimeMillis();
    String uuid = texts(node.post("/v1/namespaces/evt/ids").json().path("uuids")).get(0);
    long after = System.currentTimeMillis();
    TestServer.Response response = node.get("/v1/namespaces/evt/ids/" + uuid);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("namespace").asText()).isEqualTo("evt");
    assertThat(body.path("id").asText()).isEqualTo(uuid);
    assertThat(body.path("strategy").asText()).isEqualTo("uuid7");
    long millis = Instant.parse(body.path("timestamp").asText()).toEpochMilli();
    // The generator derives wall time from one monotonic reading and an offset measured against
    // the wall clock's 1 ms resolution, so it may lag the wall clock by that millisecond (see
    // SnowflakeGenerator); borrowing may run ahead by <= 1 s.
    assertThat(millis).isBetween(before - 1, after + 1000);
    assertThat(body.path("worker").asInt()).isEqualTo(node.server.node().lease().worker());
    assertThat(body.path("sequence").isNumber()).isTrue();
    assertThat(node.get("/v1/namespaces/evt/ids/" + uuid.toUpperCase()).json().path("id").asText())
        .isEqualTo(uuid);
  }

  @Test
  void malformedUuidsAreRefusedWith400() {
    TestServer.Response response = node.get("/v1/namespaces/evt/ids/not-a-uuid");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(response.json().path("error").path("message").asText())
        .isEqualTo(
            "not a UUID of namespace evt: \"not-a-uuid\" is not in the canonical 8-4-4-4-12 hex"
                + " form");
    String v4 = "0190a000-0000-4000-8000-000000000000";
    assertThat(node.get("/v1/namespaces/evt/ids/" + v4).json().path("error").path("message"))
        .hasToString("\"not a UUIDv7: version 4 in " + v4 + "\"");
  }

  @Test
  void businessNumbersOverRestAreDenseAndCarryTodaysDate() {
    TestServer.Response response = node.post("/v1/namespaces/ord/ids?count=3");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<String> numbers = texts(response.json().path("numbers"));
    assertThat(response.json().has("ids")).isFalse();
    assertThat(numbers).hasSize(3);
    String prefix = "ORD-" + today() + "-";
    assertThat(numbers).allMatch(n -> n.startsWith(prefix) && n.length() == prefix.length() + 6);
    long first = Long.parseLong(numbers.get(0).substring(prefix.length()));
    assertThat(numbers)
        .containsExactly(
            prefix + "%06d".formatted(first),
            prefix + "%06d".formatted(first + 1),
            prefix + "%06d".formatted(first + 2));
  }

  @Test
  void businessNumbersInspectToPeriodAndSequence() {
    String number = texts(node.post("/v1/namespaces/ord/ids").json().path("numbers")).get(0);
    JsonNode body = node.get("/v1/namespaces/ord/ids/" + number).json();
    assertThat(body.path("namespace").asText()).isEqualTo("ord");
    assertThat(body.path("id").asText()).isEqualTo(number);
    assertThat(body.path("strategy").asText()).isEqualTo("pattern");
    assertThat(body.path("period").asText()).isEqualTo(today());
    assertThat(body.path("sequence").isTextual()).as("a string: it may pass 2^53").isTrue();
    assertThat(body.path("sequence").asText())
        .isEqualTo(Long.toString(Long.parseLong(number.substring(number.length() - 6))));
    assertThat(body.has("timestamp")).isFalse();
  }

  @Test
  void malformedBusinessNumbersAreRefusedWithThePosition() {
    TestServer.Response response = node.get("/v1/namespaces/ord/ids/ORD-20261301-000001");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("error").path("message").asText())
        .isEqualTo(
            "\"ORD-20261301-000001\" is not a number of ORD-{date:yyyyMMdd}-{seq:6}: not a date"
                + " of {date:yyyyMMdd} at position 4");
    assertThat(
            node.get("/v1/namespaces/ord/ids/ORD-20261201-00001x")
                .json()
                .path("error")
                .path("message")
                .asText())
        .isEqualTo(
            "\"ORD-20261201-00001x\" is not a number of ORD-{date:yyyyMMdd}-{seq:6}: expected 6"
                + " digits of sequence at position 13");
  }

  @Test
  void jsSafeIdsStayBelow2To53AndTheStartLineSaysSo() {
    long[] ids = node.post("/v1/namespaces/web/ids?count=1000").ids();
    for (long id : ids) {
      assertThat(id).isPositive().isLessThanOrEqualTo(SnowflakeLayout.MAX_SAFE_INTEGER);
      assertThat((long) (double) id).as("exact as a double").isEqualTo(id);
    }
    assertThat(node.server.startupLine())
        .contains("web(snowflake js-safe: 64 workers x 51200 IDs/s, below 2^53 until 2112-")
        .contains("evt(uuid7: 1024 workers x 4096000 IDs/s, until 2094-")
        .contains("ord(pattern)");
  }

  @Test
  void definitionsShowEachKind() {
    JsonNode evt = node.get("/v1/namespaces/evt").json();
    assertThat(evt.toString())
        .isEqualTo(
            "{\"name\":\"evt\",\"strategy\":\"uuid7\",\"uuid7\":{\"workerBits\":10,"
                + "\"sequenceBits\":12,\"maxBorrowMillis\":1000,\"maxBackwardMillis\":5}}");
    JsonNode ord = node.get("/v1/namespaces/ord").json();
    assertThat(ord.path("strategy").asText()).isEqualTo("pattern");
    assertThat(ord.path("pattern").toString())
        .isEqualTo(
            "{\"template\":\"ORD-{date:yyyyMMdd}-{seq:6}\",\"reset\":\"day\",\"timeZone\":\"UTC\"}");
    assertThat(ord.path("segment").path("step").asLong()).isEqualTo(100);
    JsonNode web = node.get("/v1/namespaces/web").json();
    assertThat(web.path("snowflake").path("layout").asText()).isEqualTo("js-safe");
    assertThat(web.path("snowflake").path("timestampBits").asInt()).isEqualTo(38);
    assertThat(web.path("snowflake").path("workerBits").asInt()).isEqualTo(6);
    assertThat(web.path("snowflake").path("sequenceBits").asInt()).isEqualTo(9);
    assertThat(web.path("snowflake").path("timeUnit").asText()).isEqualTo("10ms");
    List<String> listed = new ArrayList<>();
    node.get("/v1/namespaces")
        .json()
        .path("namespaces")
        .forEach(n -> listed.add(n.path("name").asText()));
    assertThat(listed).contains("evt", "ord", "web");
  }

  @Test
  void grpcMintsAndInspectsEachKind() {
    NextIdsResponse uuids =
        stub.nextIds(NextIdsRequest.newBuilder().setNamespace("evt").setCount(3).build());
    assertThat(uuids.getIdsCount()).isZero();
    assertThat(uuids.getUuidsList()).hasSize(3).allMatch(u -> UUID7.matcher(u).matches());
    InspectResponse uuid =
        stub.inspect(
            InspectRequest.newBuilder().setNamespace("evt").setId(uuids.getUuids(0)).build());
    assertThat(uuid.hasId()).isFalse();
    assertThat(uuid.getText()).isEqualTo(uuids.getUuids(0));
    assertThat(uuid.getStrategy()).isEqualTo("uuid7");
    assertThat(uuid.getTimestamp()).isNotEmpty();
    assertThat(uuid.getWorker()).isEqualTo(node.server.node().lease().worker());

    NextIdsResponse numbers =
        stub.nextIds(NextIdsRequest.newBuilder().setNamespace("ord").setCount(2).build());
    assertThat(numbers.getIdsCount()).isZero();
    assertThat(numbers.getNumbersList()).hasSize(2).allMatch(n -> n.startsWith("ORD-" + today()));
    InspectResponse number =
        stub.inspect(
            InspectRequest.newBuilder().setNamespace("ord").setId(numbers.getNumbers(1)).build());
    assertThat(number.hasId()).isFalse();
    assertThat(number.getPeriod()).isEqualTo(today());
    assertThat(number.getSequence()).isEqualTo(Long.parseLong(numbers.getNumbers(1).substring(13)));

    assertThat(
            stub.nextIds(NextIdsRequest.newBuilder().setNamespace("web").setCount(2).build())
                .getIdsList())
        .hasSize(2);
    assertThatThrownBy(
            () ->
                stub.inspect(
                    InspectRequest.newBuilder().setNamespace("ord").setId("ORD-x").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

    var listed = stub.listNamespaces(ListNamespacesRequest.getDefaultInstance());
    Set<String> seen = new HashSet<>();
    for (var ns : listed.getNamespacesList()) {
      seen.add(ns.getName() + ":" + ns.getStrategy());
      if (ns.getName().equals("ord")) {
        assertThat(ns.getPattern().getTemplate()).isEqualTo("ORD-{date:yyyyMMdd}-{seq:6}");
        assertThat(ns.getPattern().getReset()).isEqualTo("day");
      }
      if (ns.getName().equals("evt")) {
        assertThat(ns.getUuid7().getWorkerBits()).isEqualTo(10);
      }
      if (ns.getName().equals("web")) {
        assertThat(ns.getSnowflake().getLayout()).isEqualTo("js-safe");
      }
    }
    assertThat(seen).contains("evt:uuid7", "ord:pattern", "web:snowflake");
  }

  @Test
  void issuedCountersAreKeptPerNamespaceWithTheirKind() {
    assertThat(node.post("/v1/namespaces/evt/ids?count=2").status()).isEqualTo(200);
    assertThat(node.post("/v1/namespaces/ord/ids?count=2").status()).isEqualTo(200);
    String metrics = node.get("/metrics").body();
    assertThat(metrics)
        .containsPattern(
            "idmint_ids_issued_total\\{namespace=\"evt\",strategy=\"uuid7\"\\} [1-9][0-9]*\\.0")
        .containsPattern(
            "idmint_ids_issued_total\\{namespace=\"ord\",strategy=\"pattern\"\\} [1-9][0-9]*\\.0");
  }

  @Test
  void theCliPrintsNumbersAndUuidsAndInspectsThem() {
    CliTest.Run numbers = CliTest.run("next", "ord", "-n", "2", "--url", node.url);
    assertThat(numbers.code()).as(numbers.err()).isZero();
    List<String> lines = numbers.out().lines().toList();
    assertThat(lines).hasSize(2).allMatch(n -> n.startsWith("ORD-" + today() + "-"));
    CliTest.Run inspected = CliTest.run("inspect", "ord", lines.get(1), "--url", node.url);
    assertThat(inspected.code()).isZero();
    assertThat(inspected.out())
        .contains("strategy: pattern", "period: " + today(), "id: " + lines.get(1));
    CliTest.Run uuids = CliTest.run("next", "evt", "-n", "3", "--url", node.url);
    assertThat(uuids.out().lines().toList()).hasSize(3).allMatch(u -> UUID7.matcher(u).matches());
    CliTest.Run bad = CliTest.run("inspect", "ord", "nope", "--url", node.url);
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err().strip())
        .isEqualTo(
            "error: \"nope\" is not a number of ORD-{date:yyyyMMdd}-{seq:6}: expected \"ORD-\" at"
                + " position 0 (400 INVALID_ARGUMENT)");
  }

  @Test
  void theGrpcAdminServiceDefinesUuid7AndPatternNamespaces() {
    var admin = RegistryServerTest.adminStub(channel, RegistryServerTest.ADMIN);
    dev.idmint.api.v1.NamespaceDefinition pattern =
        admin.createNamespace(
            dev.idmint.api.v1.CreateNamespaceRequest.newBuilder()
                .setDefinition(
                    dev.idmint.api.v1.NamespaceDefinition.newBuilder()
                        .setName("grpc-ord")
                        .setStrategy("pattern")
                        .setPattern(
                            dev.idmint.api.v1.PatternDefinition.newBuilder()
                                .setTemplate("G{date:yyyy}-{seq:5}")
                                .setTimeZone("+08:00"))
                        .setSegment(dev.idmint.api.v1.SegmentDefinition.newBuilder().setStep(10)))
                .build());
    assertThat(pattern.getPattern().getReset()).isEqualTo("year");
    assertThat(pattern.getPattern().getTimeZone()).isEqualTo("+08:00");
    assertThat(pattern.getSegment().getStep()).isEqualTo(10);
    dev.idmint.api.v1.NamespaceDefinition uuid7 =
        admin.createNamespace(
            dev.idmint.api.v1.CreateNamespaceRequest.newBuilder()
                .setDefinition(
                    dev.idmint.api.v1.NamespaceDefinition.newBuilder()
                        .setName("grpc-evt")
                        .setStrategy("uuid7")
                        .setUuid7(
                            dev.idmint.api.v1.Uuid7Definition.newBuilder().setSequenceBits(10)))
                .build());
    assertThat(uuid7.getUuid7().getSequenceBits()).isEqualTo(10);
    assertThat(uuid7.getUuid7().getWorkerBits()).isEqualTo(10);
    assertThatThrownBy(
            () ->
                admin.createNamespace(
                    dev.idmint.api.v1.CreateNamespaceRequest.newBuilder()
                        .setDefinition(
                            dev.idmint.api.v1.NamespaceDefinition.newBuilder()
                                .setName("grpc-bad")
                                .setStrategy("pattern")
                                .setPattern(
                                    dev.idmint.api.v1.PatternDefinition.newBuilder()
                                        .setTemplate("no sequence")))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "invalid namespace grpc-bad: pattern.template: the template has no"
                          + " sequence: add {seq:N}, N digits from 1 to 18 (at position 11)");
            });
  }

  private static TestServer.Response create(String json) {
    return RegistryServerTest.admin(node, "POST", "/v1/admin/namespaces", json);
  }

  /** A refusal: 400 bodies say "invalid namespace …" (the definition), 409 ones name the clash. */
  private static void refused(TestServer.Response response, int status, String message) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().path("error").path("message").asText())
        .isEqualTo(status == 400 ? "invalid " + message : message);
  }

  @Test
  void theAdminApiDefinesEachKind() {
    TestServer.Response uuid7 =
        create("{\"name\":\"evt2\",\"strategy\":\"uuid7\",\"uuid7\":{\"workerBits\":8}}");
    assertThat(uuid7.status()).as(uuid7.body()).isEqualTo(201);
    assertThat(uuid7.json().path("uuid7").path("workerBits").asInt()).isEqualTo(8);
    assertThat(uuid7.json().path("uuid7").path("sequenceBits").asInt()).isEqualTo(12);

    TestServer.Response pattern =
        create(
            "{\"name\":\"inv\",\"strategy\":\"pattern\",\"pattern\":{\"template\":"
                + "\"INV{date:yyyyMM}{seq:5}{check:luhn}\",\"timeZone\":\"Asia/Shanghai\"},"
                + "\"segment\":{\"step\":50}}");
    assertThat(pattern.status()).as(pattern.body()).isEqualTo(201);
    assertThat(pattern.json().path("pattern").toString())
        .isEqualTo(
            "{\"template\":\"INV{date:yyyyMM}{seq:5}{check:luhn}\",\"reset\":\"month\","
                + "\"timeZone\":\"Asia/Shanghai\"}");
    assertThat(pattern.json().path("segment").path("step").asLong()).isEqualTo(50);

    TestServer.Response js =
        create(
            "{\"name\":\"web2\",\"strategy\":\"snowflake\",\"snowflake\":{\"layout\":\"js-safe\"}}");
    assertThat(js.status()).as(js.body()).isEqualTo(201);
    assertThat(js.json().path("snowflake").path("layout").asText()).isEqualTo("js-safe");
    // The view reads back as it is shown.
    TestServer.Response again =
        RegistryServerTest.admin(node, "PUT", "/v1/admin/namespaces/web2", js.json().toString());
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(
            RegistryServerTest.admin(node, "GET", "/v1/admin/namespaces/inv", null)
                .json()
                .path("strategy")
                .asText())
        .isEqualTo("pattern");
    // The node serves what the registry now defines, within a poll.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> node.post("/v1/namespaces/inv/ids").status() == 200);
    String month =
        DateTimeFormatter.ofPattern("yyyyMM")
            .withZone(java.time.ZoneId.of("Asia/Shanghai"))
            .format(Instant.now());
    List<String> numbers =
        texts(node.post("/v1/namespaces/inv/ids?count=2").json().path("numbers"));
    assertThat(numbers).hasSize(2).allMatch(n -> n.matches("INV" + month + "\\d{6}"));
    JsonNode inspected = node.get("/v1/namespaces/inv/ids/" + numbers.get(0)).json();
    assertThat(inspected.path("period").asText()).isEqualTo(month);
    String wrongCheck =
        numbers.get(0).substring(0, 14) + (char) ('0' + (numbers.get(0).charAt(14) - '0' + 1) % 10);
    assertThat(node.get("/v1/namespaces/inv/ids/" + wrongCheck).status()).isEqualTo(400);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> node.post("/v1/namespaces/evt2/ids").status() == 200);
    assertThat(texts(node.post("/v1/namespaces/evt2/ids").json().path("uuids")).get(0))
        .matches(UUID7);
  }

  @Test
  void badTemplatesAreRefusedWithThePosition() {
    refused(
        create("{\"name\":\"b1\",\"strategy\":\"pattern\",\"pattern\":{\"template\":\"ORD-\"}}"),
        400,
        "namespace b1: pattern.template: the template has no sequence: add {seq:N}, N digits from"
            + " 1 to 18 (at position 4)");
    refused(
        create(
            "{\"name\":\"b2\",\"strategy\":\"pattern\",\"pattern\":{\"template\":"
                + "\"A{foo:1}{seq:3}\"}}"),
        400,
        "namespace b2: pattern.template: unknown placeholder {foo:1}; known: date, seq, check (at"
            + " position 1)");
    refused(
        create(
            "{\"name\":\"b3\",\"strategy\":\"pattern\",\"pattern\":{\"template\":\"A{seq:0}\"}}"),
        400,
        "namespace b3: pattern.template: sequence width must be a number from 1 to 18: {seq:0} (at"
            + " position 1)");
    refused(
        create(
            "{\"name\":\"b4\",\"strategy\":\"pattern\",\"pattern\":{\"template\":\"A{seq:19}\"}}"),
        400,
        "namespace b4: pattern.template: sequence width must be a number from 1 to 18: {seq:19}"
            + " (at position 1)");
    refused(
        create(
            "{\"name\":\"b5\",\"strategy\":\"pattern\",\"pattern\":{\"template\":"
                + "\"A{date:yyyyMM}{seq:4}\",\"reset\":\"day\"}}"),
        400,
        "namespace b5: pattern.template: period day is finer than what the template's dates tell"
            + " apart (month): two days would render alike and both start the sequence again; show"
            + " the day (e.g. {date:yyyyMMdd}) or choose period month (at position 1)");
    refused(
        create("{\"name\":\"b6\",\"strategy\":\"pattern\"}"),
        400,
        "namespace b6: pattern.template is required for strategy: pattern, e.g."
            + " ORD-{date:yyyyMMdd}-{seq:6}");
    refused(
        create(
            "{\"name\":\"b7\",\"strategy\":\"pattern\",\"pattern\":{\"template\":\"A{seq:3}\","
                + "\"timeZone\":\"Mars/Olympus\"}}"),
        400,
        "namespace b7: pattern.timeZone must be an IANA zone id like UTC or Asia/Shanghai, or an"
            + " offset like +08:00: Mars/Olympus");
  }

  @Test
  void jsSafeBitsThatContradictThePresetAreRefusedByName() {
    refused(
        create(
            "{\"name\":\"c1\",\"strategy\":\"snowflake\",\"snowflake\":{\"layout\":\"js-safe\","
                + "\"workerBits\":10,\"timeUnit\":\"ms\"}}"),
        400,
        "namespace c1: snowflake.workerBits 10 contradicts layout js-safe (whose worker-bits is"
            + " 6); leave it out, or use layout: custom; snowflake.timeUnit ms contradicts layout"
            + " js-safe (whose time unit is 10ms); leave it out, or use layout: custom");
    refused(
        create("{\"name\":\"c2\",\"strategy\":\"snowflake\",\"snowflake\":{\"layout\":\"tiny\"}}"),
        400,
        "namespace c2: snowflake.layout: layout must be one of default, js-safe: layout=tiny (or"
            + " custom, to give the widths yourself)");
  }

  @Test
  void namesThatWouldShareAPeriodCounterAreRefusedBothWays() {
    refused(
        create("{\"name\":\"ord--20261201\",\"strategy\":\"segment\"}"),
        409,
        "namespace ord--20261201 would share the period counters of pattern namespace ord (they"
            + " are kept under ord--<period>); choose a name that does not start with ord--");
    assertThat(create("{\"name\":\"zz--a\",\"strategy\":\"segment\"}").status()).isEqualTo(201);
    refused(
        create(
            "{\"name\":\"zz\",\"strategy\":\"pattern\",\"pattern\":{\"template\":\"Z{seq:3}\"}}"),
        409,
        "namespace zz--a would share the period counters of pattern namespace zz (they are kept"
            + " under zz--<period>); choose a name that does not start with zz--");
    String longName = "p".repeat(54);
    refused(
        create(
            "{\"name\":\""
                + longName
                + "\",\"strategy\":\"pattern\",\"pattern\":{\"template\":\"Z{seq:3}\"}}"),
        400,
        "namespace "
            + longName
            + ": a pattern namespace name has at most 53 characters (its period counters are kept"
            + " under <name>--<period>, at most 63): "
            + longName
            + " has 54");
  }

  @Test
  void uuid7AndPatternHaveNoPublicIds() {
    refused(
        create(
            "{\"name\":\"d1\",\"strategy\":\"uuid7\",\"publicId\":{\"prefix\":\"d\","
                + "\"current\":\"1\"}}"),
        400,
        "namespace d1: publicId is only for strategy: snowflake or segment (a uuid7 namespace"
            + " issues no raw IDs to encode)");
    refused(
        create("{\"name\":\"d2\",\"strategy\":\"uuid7\",\"snowflake\":{}}"),
        400,
        "namespace d2: snowflake is only for strategy: snowflake");
  }
}
