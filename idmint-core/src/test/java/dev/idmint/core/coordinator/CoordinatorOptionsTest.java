package dev.idmint.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class CoordinatorOptionsTest {
  private static final List<String> KNOWN = List.of("user", "pool-size", "wait", "linger");
  private static final Set<String> TWINS = Set.of("wait", "linger");

  @Test
  void readsTextNumbersAndDurations() {
    CoordinatorOptions read =
        CoordinatorOptions.read(
            Map.of("user", "idmint", "pool-size", "4", "wait", "1m"), KNOWN, TWINS);
    assertThat(read.problems()).isEmpty();
    assertThat(read.text("user", null)).isEqualTo("idmint");
    assertThat(read.integer("pool-size", 1)).isEqualTo(4);
    assertThat(read.duration("wait", null)).isEqualTo(Duration.ofMinutes(1));
    assertThat(read.has("linger")).isFalse();
    assertThat(read.duration("linger", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(read.writtenAs("wait")).isEqualTo("wait");
  }

  @Test
  void reportsEveryProblemNamingTheKey() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("usr", "x");
    options.put("pool-size", "many");
    options.put("wait", "soon");
    options.put("linger", "5s");
    options.put("linger-ms", "5000");
    options.put("user", null);
    options.put("pool-size-ms", "1");
    CoordinatorOptions read = CoordinatorOptions.read(options, KNOWN, TWINS);
    read.integer("pool-size", 1);
    read.duration("wait", null);
    assertThat(read.problems())
        .containsExactly(
            "unknown option 'usr'; known: user, pool-size, wait, linger",
            "option linger is given twice, as linger and as linger-ms; keep linger",
            "option 'user' has no value",
            "unknown option 'pool-size-ms'; known: user, pool-size, wait, linger",
            "pool-size must be a whole number: pool-size=many",
            "wait must be a duration such as 2s, 500ms or PT2S: wait=soon");
    assertThatThrownBy(() -> read.requireValid("test coordinator"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageStartingWith("invalid test coordinator: unknown option 'usr'");
  }

  @Test
  void theOldMillisKeyStillWorksAndIsWarnedAboutOnceNamingTheNewKey() {
    List<LogRecord> records = new ArrayList<>();
    Logger logger = Logger.getLogger(CoordinatorOptions.class.getName());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      for (int i = 0; i < 3; i++) {
        CoordinatorOptions read =
            CoordinatorOptions.read(Map.of("linger-ms", "1500"), KNOWN, TWINS);
        assertThat(read.problems()).isEmpty();
        assertThat(read.duration("linger", null)).isEqualTo(Duration.ofMillis(1500));
        assertThat(read.writtenAs("linger")).isEqualTo("linger-ms");
      }
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(records).hasSize(1);
    assertThat(
            java.text.MessageFormat.format(
                records.get(0).getMessage(), records.get(0).getParameters()))
        .isEqualTo(
            "coordinator option linger-ms is deprecated and will be removed in the next release;"
                + " write linger with a unit instead, e.g. linger: 2s");
    assertThat(CoordinatorOptions.read(Map.of("linger-ms", "1.5s"), KNOWN, TWINS).problems())
        .containsExactly("linger-ms must be a whole number of milliseconds: linger-ms=1.5s");
  }
}
