package dev.idmint.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.publicid.PublicIdAlphabet;
import dev.idmint.server.node.Definition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One typed definition, bound from YAML and from the registry's JSON alike. */
class NamespaceDefinitionTest {
  static final ManualClock CLOCK =
      new ManualClock(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
  static final String KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
  @TempDir Path dir;

  private NamespaceDefinition yaml(String namespaces, String name) {
    try {
      Path file = Files.createTempFile(dir, "ns", ".yaml");
      Files.writeString(file, "namespaces:\n" + namespaces.indent(2));
      ServerConfig config =
          ConfigLoader.load(new ConfigLoader.Flags(null, dir, null, file), Map.of(), CLOCK);
      return config.namespaces().get(name).definition();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aYamlBlockAndTheRegistryJsonWrittenFromItReadToEqualDefinitions() {
    NamespaceDefinition order =
        yaml(
            """
            order:
              strategy: snowflake
              snowflake: { timestamp-bits: 40, worker-bits: 9, sequence-bits: 12, time-unit: 10ms,
                           epoch: "2026-01-01T00:00:00Z", max-borrow: 250ms, max-backward: 7ms,
                           random-sequence-start: true, min-remaining: 1d }
              public-id: { prefix: ord, alphabet: crockford32, current: 2, check-characters: 1,
                           keys: { "2": "%s" } }
            """
                .formatted(KEY),
            "order");
    NamespaceDefinition invoice =
        yaml(
            """
            invoice:
              strategy: segment
              segment: { step: 300, load-factor: 0.25, buffer-duration: 1500ms, thread-chunk: 4,
                         await-timeout: 2s }
            """,
            "invoice");
    for (NamespaceDefinition definition : new NamespaceDefinition[] {order, invoice}) {
      assertThat(Definition.read(definition.name(), Definition.text(definition)))
          .isEqualTo(definition);
    }
    assertThat(order.publicId())
        .isEqualTo(
            new NamespaceDefinition.PublicIdSpec("ord", PublicIdAlphabet.CROCKFORD32, 1, '2'));
    assertThat(((NamespaceDefinition.Segment) invoice).settings().bufferDuration())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(Definition.text(invoice)).contains("\"bufferDurationSeconds\":1.5");
  }

  @Test
  void theDefaultNamespaceEqualsItsOwnRegistryEntry() {
    NamespaceDefinition mine = yaml("default: {}", "default");
    NamespaceDefinition stored = Definition.read("default", Definition.text(mine));
    assertThat(stored).isEqualTo(mine);
    assertThat(mine.unsafeChangesTo(stored)).isEmpty();
  }

  @Test
  void entriesWrittenByEarlierVersionsStillRead() {
    NamespaceDefinition order =
        Definition.read(
            "order",
            """
            {"name":"order","strategy":"snowflake",
             "snowflake":{"timestampBits":41,"workerBits":10,"sequenceBits":12,
               "epoch":"2025-01-01T00:00:00Z","timeUnit":"ms","maxBorrowMillis":1000,
               "maxBackwardMillis":5,"randomSequenceStart":false},
             "publicId":{"prefix":"ord","alphabet":"base62","current":"1"}}
            """);
    assertThat(order.publicId().checkCharacters()).isZero();
    assertThat(((NamespaceDefinition.Snowflake) order).settings().bits()).isEqualTo("41/10/12");
    NamespaceDefinition invoice =
        Definition.read(
            "invoice",
            "{\"name\":\"invoice\",\"strategy\":\"segment\",\"segment\":{\"step\":1000,"
                + "\"minStep\":100,\"maxStep\":100000000,\"loadFactor\":0.1,"
                + "\"bufferDurationSeconds\":600,\"threadChunk\":32}}");
    assertThat(((NamespaceDefinition.Segment) invoice).settings().bufferDuration())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(Definition.text(invoice)).contains("\"bufferDurationSeconds\":600,");
  }

  @Test
  void aBufferDurationFinerThanAMillisecondIsRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                Definition.read(
                    "invoice",
                    "{\"strategy\":\"segment\",\"segment\":{\"bufferDurationSeconds\":0.0005}}"))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "segment.bufferDurationSeconds must be a number of seconds (at most three"
                            + " decimals) between 0 and 9223372036854775.807: 5.0E-4"));
  }

  @Test
  void unsafeChangesNameEveryFieldThatShapesIdsAndNothingElse() {
    NamespaceDefinition before =
        yaml(
            """
            order:
              public-id: { prefix: ord, current: 1, keys: { "1": "%s" } }
            """
                .formatted(KEY),
            "order");
    NamespaceDefinition.Snowflake s = (NamespaceDefinition.Snowflake) before;
    NamespaceDefinition.SnowflakeSettings t = s.settings();
    NamespaceDefinition safe =
        new NamespaceDefinition.Snowflake(
            "order",
            new NamespaceDefinition.SnowflakeSettings(
                t.timestampBits(),
                t.workerBits(),
                t.sequenceBits(),
                t.epoch(),
                t.timeUnit(),
                Duration.ofMillis(10),
                Duration.ofMillis(1),
                true),
            new NamespaceDefinition.PublicIdSpec("ord", PublicIdAlphabet.BASE62, 0, '2'));
    assertThat(before.unsafeChangesTo(safe)).isEmpty();
    NamespaceDefinition unsafe =
        new NamespaceDefinition.Snowflake(
            "order",
            new NamespaceDefinition.SnowflakeSettings(
                40,
                10,
                13,
                Instant.parse("2026-01-01T00:00:00Z"),
                dev.idmint.core.snowflake.TickUnit.fromSymbol("10ms"),
                t.maxBorrow(),
                t.maxBackward(),
                false),
            new NamespaceDefinition.PublicIdSpec("odr", PublicIdAlphabet.CROCKFORD32, 2, '1'));
    assertThat(before.unsafeChangesTo(unsafe))
        .extracting(d -> d.field() + " " + d.from() + " -> " + d.to())
        .containsExactly(
            "layout 41/10/12 -> 40/10/13",
            "epoch 2025-01-01T00:00:00Z -> 2026-01-01T00:00:00Z",
            "time unit ms -> 10ms",
            "public-ID prefix ord -> odr",
            "public-ID alphabet base62 -> crockford32",
            "public-ID check characters 0 -> 2");
    NamespaceDefinition segment = Definition.read("order", "{\"strategy\":\"segment\"}");
    assertThat(before.withoutPublicId().unsafeChangesTo(segment))
        .extracting(NamespaceDefinition.Difference::field)
        .containsExactly("strategy", "layout", "epoch", "time unit");
  }
}
