package dev.idmint.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.publicid.PublicIdAlphabet;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.core.snowflake.TickUnit;
import dev.idmint.server.config.DefinitionField.Section;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@link NamespaceDefinition} from a tree (a YAML block or registry JSON), walking {@link
 * DefinitionField} once: defaults, cross-field rules and the keyless public-ID check live here and
 * nowhere else. A source says only how it spells a field and how it writes a value (the YAML file
 * writes {@code 500ms} and may use {@code ${VAR}}; the registry writes numbers of milliseconds or
 * seconds). Every problem goes into the list given at construction, each with its path.
 */
public abstract class DefinitionReader {
  private static final SnowflakeLayout DEFAULT_LAYOUT = SnowflakeLayout.defaults();
  private static final SegmentConfig DEFAULT_SEGMENT = SegmentConfig.defaults();

  /** Where every problem goes. */
  protected final List<String> problems;

  protected DefinitionReader(List<String> problems) {
    this.problems = problems;
  }

  /**
   * The path before a field in problems about its value: {@code namespaces.order.} in the YAML
   * file, empty in the registry.
   */
  protected abstract String path();

  /** The key of {@code field} in this source. */
  protected abstract String key(DefinitionField field);

  /** The key of {@code section} in this source. */
  protected abstract String key(Section section);

  /** Reports keys of {@code node} (a section, or the top level when null) that are not known. */
  protected abstract void unknownKeys(JsonNode node, Section section);

  /** The strategy when none is given, or null when it must be given. */
  protected abstract Strategy defaultStrategy();

  /** The sub-tree of {@code section}, or null when absent. */
  protected abstract JsonNode child(JsonNode node, Section section);

  // Values: null when absent or (after reporting a problem naming the field) unreadable.

  protected abstract String text(JsonNode node, DefinitionField field);

  protected abstract Long whole(JsonNode node, DefinitionField field);

  protected abstract Double number(JsonNode node, DefinitionField field);

  protected abstract Boolean bool(JsonNode node, DefinitionField field);

  protected abstract Duration duration(JsonNode node, DefinitionField field);

  /**
   * The definition of namespace {@code name} in {@code node}, or null after reporting every
   * problem.
   */
  public final NamespaceDefinition read(String name, JsonNode node) {
    int before = problems.size();
    unknownKeys(node, null);
    String strategyName = text(node, DefinitionField.STRATEGY);
    Strategy strategy = defaultStrategy();
    if (strategyName != null) {
      try {
        strategy = Strategy.valueOf(strategyName.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        strategy = null;
        problems.add(path() + "strategy must be snowflake or segment: strategy=" + strategyName);
      }
    } else if (strategy == null) {
      problems.add(path() + "strategy must be snowflake or segment");
    }
    JsonNode snowflake = child(node, Section.SNOWFLAKE);
    JsonNode segment = child(node, Section.SEGMENT);
    NamespaceDefinition.SnowflakeSettings snowflakeSettings = null;
    NamespaceDefinition.SegmentSettings segmentSettings = null;
    if (strategy == Strategy.SNOWFLAKE) {
      if (segment != null) {
        problems.add(path() + "segment is only for strategy: segment");
      }
      snowflakeSettings = snowflake(snowflake);
    } else if (strategy == Strategy.SEGMENT) {
      if (snowflake != null) {
        problems.add(path() + "snowflake is only for strategy: snowflake");
      }
      segmentSettings = segment(segment);
    }
    NamespaceDefinition.PublicIdSpec publicId = publicId(name, child(node, Section.PUBLIC_ID));
    if (problems.size() != before) {
      return null;
    }
    return strategy == Strategy.SNOWFLAKE
        ? new NamespaceDefinition.Snowflake(name, snowflakeSettings, publicId)
        : new NamespaceDefinition.Segment(name, segmentSettings, publicId);
  }

  private NamespaceDefinition.SnowflakeSettings snowflake(JsonNode node) {
    unknownKeys(node, Section.SNOWFLAKE);
    String p = path() + Section.SNOWFLAKE.yamlKey() + ".";
    Integer timestampBits = integer(node, DefinitionField.TIMESTAMP_BITS);
    Integer workerBits = integer(node, DefinitionField.WORKER_BITS);
    Integer sequenceBits = integer(node, DefinitionField.SEQUENCE_BITS);
    Instant epoch = Instant.ofEpochMilli(DEFAULT_LAYOUT.epochMillis());
    String epochText = text(node, DefinitionField.EPOCH);
    if (epochText != null) {
      try {
        epoch = Instant.parse(epochText.strip());
      } catch (DateTimeParseException e) {
        problems.add(
            p + "epoch must be an ISO-8601 instant like 2025-01-01T00:00:00Z: " + epochText);
      }
    }
    TickUnit unit = DEFAULT_LAYOUT.tickUnit();
    String unitText = text(node, DefinitionField.TIME_UNIT);
    if (unitText != null) {
      try {
        unit = TickUnit.fromSymbol(unitText);
      } catch (InvalidConfigurationException e) {
        e.problems().forEach(problem -> problems.add(p + "time-unit: " + problem));
      }
    }
    Duration maxBorrow =
        orElse(duration(node, DefinitionField.MAX_BORROW), SnowflakeGenerator.DEFAULT_MAX_BORROW);
    Duration maxBackward =
        orElse(
            duration(node, DefinitionField.MAX_BACKWARD), SnowflakeGenerator.DEFAULT_MAX_BACKWARD);
    if (maxBackward.compareTo(NamespaceConfig.MAX_BACKWARD_CEILING) > 0) {
      problems.add(
          p
              + "max-backward must be at most "
              + NamespaceConfig.MAX_BACKWARD_CEILING.toMillis()
              + "ms (a request waits out a step back of up to this long): max-backward="
              + maxBackward.toMillis()
              + "ms");
    }
    Boolean random = bool(node, DefinitionField.RANDOM_SEQUENCE_START);
    return new NamespaceDefinition.SnowflakeSettings(
        orElse(timestampBits, DEFAULT_LAYOUT.timestampBits()),
        orElse(workerBits, DEFAULT_LAYOUT.workerBits()),
        orElse(sequenceBits, DEFAULT_LAYOUT.sequenceBits()),
        epoch,
        unit,
        maxBorrow,
        maxBackward,
        random != null && random);
  }

  private NamespaceDefinition.SegmentSettings segment(JsonNode node) {
    unknownKeys(node, Section.SEGMENT);
    Long step = whole(node, DefinitionField.STEP);
    Long minStep = whole(node, DefinitionField.MIN_STEP);
    Long maxStep = whole(node, DefinitionField.MAX_STEP);
    Double loadFactor = number(node, DefinitionField.LOAD_FACTOR);
    Duration bufferDuration = duration(node, DefinitionField.BUFFER_DURATION);
    Integer threadChunk = integer(node, DefinitionField.THREAD_CHUNK);
    long initial = orElse(step, DEFAULT_SEGMENT.initialStep());
    // A step given alone widens the default bounds to hold it.
    long min =
        minStep != null
            ? minStep
            : step != null ? Math.min(step, DEFAULT_SEGMENT.minStep()) : DEFAULT_SEGMENT.minStep();
    long max =
        maxStep != null
            ? maxStep
            : step != null ? Math.max(step, DEFAULT_SEGMENT.maxStep()) : DEFAULT_SEGMENT.maxStep();
    return new NamespaceDefinition.SegmentSettings(
        initial,
        min,
        max,
        orElse(loadFactor, DEFAULT_SEGMENT.loadFactor()),
        orElse(bufferDuration, DEFAULT_SEGMENT.bufferDuration()),
        orElse(threadChunk, DEFAULT_SEGMENT.threadChunk()));
  }

  private NamespaceDefinition.PublicIdSpec publicId(String name, JsonNode node) {
    if (node == null) {
      return null;
    }
    unknownKeys(node, Section.PUBLIC_ID);
    int before = problems.size();
    String prefix = text(node, DefinitionField.PREFIX);
    String alphabet = text(node, DefinitionField.ALPHABET);
    String current = text(node, DefinitionField.CURRENT);
    Integer check = integer(node, DefinitionField.CHECK_CHARACTERS);
    if (problems.size() != before) {
      return null;
    }
    int checkCharacters = check == null ? 0 : check;
    List<String> spec =
        NamespaceDefinition.PublicIdSpec.problems(name, prefix, alphabet, current, checkCharacters);
    if (!spec.isEmpty()) {
      spec.forEach(problem -> problems.add(path() + Section.PUBLIC_ID.yamlKey() + ": " + problem));
      return null;
    }
    return new NamespaceDefinition.PublicIdSpec(
        prefix,
        alphabet == null
            ? PublicIdAlphabet.BASE62
            : PublicIdAlphabet.byConfigName(alphabet).orElseThrow(),
        checkCharacters,
        current.charAt(0));
  }

  private Integer integer(JsonNode node, DefinitionField field) {
    Long value = whole(node, field);
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      problems.add(fieldPath(field) + " is out of range: " + value);
      return null;
    }
    return value.intValue();
  }

  /** The path of a field as this source spells it: {@code snowflake.maxBorrowMillis}. */
  protected final String fieldPath(DefinitionField field) {
    return path() + (field.section() == null ? "" : key(field.section()) + ".") + key(field);
  }

  private static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
