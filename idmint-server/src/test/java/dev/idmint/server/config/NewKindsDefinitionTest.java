package dev.idmint.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.ManualClock;
import dev.idmint.core.pattern.Period;
import dev.idmint.server.node.Definition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uuid7, pattern and the js-safe preset as definitions: read from YAML and from the registry's JSON
 * to equal definitions, refused with the YAML path and the position in the template, and judged by
 * the safe/unsafe rules.
 */
class NewKindsDefinitionTest {
  static final ManualClock CLOCK =
      new ManualClock(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
  @TempDir Path dir;

  private ServerConfig load(String namespaces) {
    try {
      Path file = Files.createTempFile(dir, "ns", ".yaml");
      Files.writeString(file, "namespaces:\n" + namespaces.indent(2));
      return ConfigLoader.load(new ConfigLoader.Flags(null, dir, null, file), Map.of(), CLOCK);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private NamespaceDefinition yaml(String namespaces, String name) {
    return load(namespaces).namespaces().get(name).definition();
  }

  private void refused(String namespaces, String... problems) {
    assertThatThrownBy(() -> load(namespaces))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.problems()).containsExactly(problems));
  }

  @Test
  void eachKindReadsFromYamlAndBackFromItsRegistryJson() {
    ServerConfig config =
        load(
            """
            evt:
              strategy: uuid7
              uuid7: { worker-bits: 8, sequence-bits: 14, max-borrow: 200ms, max-backward: 3ms,
                       min-remaining: 1d }
            ord:
              strategy: pattern
              pattern: { template: "ORD-{date:yyyyMMdd}-{seq:6}{check:mod97}", time-zone: Asia/Shanghai }
              segment: { step: 20, await-timeout: 2s }
            web:
              strategy: snowflake
              snowflake: { layout: js-safe, epoch: "2026-01-01T00:00:00Z" }
            """);
    NamespaceDefinition evt = config.namespaces().get("evt").definition();
    assertThat(evt)
        .isEqualTo(
            new NamespaceDefinition.Uuid7(
                "evt",
                new NamespaceDefinition.Uuid7Settings(
                    8, 14, Duration.ofMillis(200), Duration.ofMillis(3))));
    assertThat(config.namespaces().get("evt").uuid7().randomBits()).isEqualTo(74 - 22);
    NamespaceDefinition.Pattern ord =
        (NamespaceDefinition.Pattern) config.namespaces().get("ord").definition();
    assertThat(ord.pattern().period()).isEqualTo(Period.DAY);
    assertThat(ord.pattern().zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(ord.segment().step()).isEqualTo(20);
    assertThat(ord.segment().minStep()).isEqualTo(20);
    assertThat(ord.segment().maxStep()).as("a thousandth of 10^6").isEqualTo(1000);
    assertThat(config.namespaces().get("ord").local().awaitTimeout())
        .isEqualTo(Duration.ofSeconds(2));
    NamespaceDefinition.Snowflake web =
        (NamespaceDefinition.Snowflake) config.namespaces().get("web").definition();
    assertThat(web.settings().bits()).isEqualTo("38/6/9");
    assertThat(web.settings().timeUnit().symbol()).isEqualTo("10ms");
    assertThat(web.settings().preset()).isEqualTo("js-safe");
    assertThat(config.namespaces().get("web").layout().javaScriptSafe()).isTrue();
    for (String name : new String[] {"evt", "ord", "web"}) {
      NamespaceDefinition definition = config.namespaces().get(name).definition();
      assertThat(Definition.read(name, Definition.text(definition))).isEqualTo(definition);
      assertThat(Definition.read(name, Definition.view(config.namespaces().get(name))))
          .isEqualTo(definition);
    }
    assertThat(Definition.text(ord))
        .isEqualTo(
            "{\"name\":\"ord\",\"strategy\":\"pattern\",\"pattern\":{\"template\":"
                + "\"ORD-{date:yyyyMMdd}-{seq:6}{check:mod97}\",\"reset\":\"day\",\"timeZone\":"
                + "\"Asia/Shanghai\"},\"segment\":{\"step\":20,\"minStep\":20,\"maxStep\":1000,"
                + "\"loadFactor\":0.1,\"bufferDurationSeconds\":600,\"threadChunk\":32}}");
  }

  @Test
  void rowsWrittenBeforeTheNewKindsStillRead() {
    // A snowflake row as earlier versions wrote it: no layout field.
    NamespaceDefinition old =
        Definition.read(
            "order",
            "{\"name\":\"order\",\"strategy\":\"snowflake\",\"snowflake\":{\"timestampBits\":41,"
                + "\"workerBits\":10,\"sequenceBits\":12,\"epoch\":\"2025-01-01T00:00:00Z\","
                + "\"timeUnit\":\"ms\",\"maxBorrowMillis\":1000,\"maxBackwardMillis\":5,"
                + "\"randomSequenceStart\":false}}");
    assertThat(((NamespaceDefinition.Snowflake) old).settings().preset()).isEqualTo("default");
    assertThat(Definition.text(old)).doesNotContain("layout");
  }

  @Test
  void badTemplatesAreRefusedWithTheYamlPathAndThePosition() {
    refused(
        """
        a: { strategy: pattern, pattern: { template: "A-{date:yyyyMMdd}" } }
        b: { strategy: pattern, pattern: { template: "B{bar}{seq:2}" } }
        c: { strategy: pattern, pattern: { template: "C{seq:0}" } }
        d: { strategy: pattern, pattern: { template: "D{seq:19}" } }
        e: { strategy: pattern, pattern: { template: "E{date:yyyy}{seq:4}", reset: month } }
        f: { strategy: pattern, pattern: { template: "F{seq:4}", reset: hourly } }
        g: { strategy: pattern }
        """,
        "namespaces.a.pattern.template: the template has no sequence: add {seq:N}, N digits from 1"
            + " to 18 (at position 17)",
        "namespaces.b.pattern.template: unknown placeholder {bar}; known: date, seq, check (at"
            + " position 1)",
        "namespaces.c.pattern.template: sequence width must be a number from 1 to 18: {seq:0} (at"
            + " position 1)",
        "namespaces.d.pattern.template: sequence width must be a number from 1 to 18: {seq:19}"
            + " (at position 1)",
        "namespaces.e.pattern.template: period month is finer than what the template's dates tell"
            + " apart (year): two months would render alike and both start the sequence again;"
            + " show the month (e.g. {date:yyyyMM}) or choose period year (at position 1)",
        "namespaces.f.pattern.reset must be one of day, month, year, never: hourly",
        "namespaces.g.pattern.template is required for strategy: pattern, e.g."
            + " ORD-{date:yyyyMMdd}-{seq:6}");
  }

  @Test
  void contradictoryJsSafeBitsAndMisplacedSectionsAreRefusedByName() {
    refused(
        """
        web:
          snowflake: { layout: js-safe, timestamp-bits: 41, sequence-bits: 9 }
        evt:
          strategy: uuid7
          snowflake: { layout: js-safe }
          public-id: { prefix: e, current: 1 }
        """,
        "namespaces.web.snowflake.timestamp-bits 41 contradicts layout js-safe (whose"
            + " timestamp-bits is 38); leave it out, or use layout: custom",
        "namespaces.evt.snowflake is only for strategy: snowflake",
        "namespaces.evt.public-id is only for strategy: snowflake or segment (a uuid7 namespace"
            + " issues no raw IDs to encode)");
  }

  @Test
  void namesThatWouldShareAPeriodCounterAreRefused() {
    refused(
        """
        ord: { strategy: pattern, pattern: { template: "O{seq:4}" } }
        ord--2026: { strategy: segment }
        """,
        "namespaces: namespace ord--2026 would share the period counters of pattern namespace ord"
            + " (they are kept under ord--<period>); choose a name that does not start with"
            + " ord--");
    String longName = "q".repeat(54);
    refused(
        longName + ": { strategy: pattern, pattern: { template: \"Q{seq:4}\" } }\n",
        "namespaces."
            + longName
            + ": a pattern namespace name has at most 53 characters (its period counters are kept"
            + " under <name>--<period>, at most 63): "
            + longName
            + " has 54");
  }

  @Test
  void uuid7LayoutProblemsNameTheirBlock() {
    refused(
        "evt: { strategy: uuid7, uuid7: { worker-bits: 4, sequence-bits: 4 } }\n",
        "namespaces.evt.uuid7: sequence-bits + worker-bits must be >= 12, to fill rand_a: 4 + 4");
  }

  @Test
  void unsafeChangesOfTheNewKindsAreNamed() {
    NamespaceDefinition evt = yaml("evt: { strategy: uuid7 }", "evt");
    NamespaceDefinition evtWider =
        yaml("evt: { strategy: uuid7, uuid7: { worker-bits: 12, max-borrow: 10ms } }", "evt");
    assertThat(evt.unsafeChangesTo(evtWider))
        .containsExactly(new NamespaceDefinition.Difference("uuid7 bits", "10/12", "12/12"));
    NamespaceDefinition evtBorrow =
        yaml("evt: { strategy: uuid7, uuid7: { max-borrow: 10ms } }", "evt");
    assertThat(evt.unsafeChangesTo(evtBorrow)).as("borrowing is safe").isEmpty();

    NamespaceDefinition ord =
        yaml(
            "ord: { strategy: pattern, pattern: { template: \"O-{date:yyyyMMdd}-{seq:6}\" } }",
            "ord");
    NamespaceDefinition resized =
        yaml(
            "ord: { strategy: pattern, pattern: { template: \"O-{date:yyyyMMdd}-{seq:6}\" },"
                + " segment: { step: 10 } }",
            "ord");
    assertThat(ord.unsafeChangesTo(resized)).as("segment sizing is safe").isEmpty();
    NamespaceDefinition other =
        yaml(
            "ord: { strategy: pattern, pattern: { template: \"O-{date:yyyyMMdd}-{seq:7}\","
                + " reset: month, time-zone: \"+08:00\" } }",
            "ord");
    assertThat(ord.unsafeChangesTo(other))
        .extracting(NamespaceDefinition.Difference::field)
        .contains("width", "period", "time zone");
    assertThat(ord.unsafeChangesTo(evt))
        .containsExactly(new NamespaceDefinition.Difference("strategy", "pattern", "uuid7"));
  }
}
