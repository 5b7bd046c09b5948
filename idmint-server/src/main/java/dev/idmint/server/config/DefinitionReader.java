package dev.idmint.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.pattern.InvalidPatternException;
import dev.idmint.core.pattern.NumberPattern;
import dev.idmint.core.pattern.Period;
import dev.idmint.core.publicid.PublicIdAlphabet;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.core.snowflake.TickUnit;
import dev.idmint.server.config.DefinitionField.Section;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
        problems.add(path() + "strategy must be " + Strategy.NAMES + ": strategy=" + strategyName);
      }
    } else if (strategy == null) {
      problems.add(path() + "strategy must be " + Strategy.NAMES);
    }
    JsonNode snowflake = child(node, Section.SNOWFLAKE);
    JsonNode segment = child(node, Section.SEGMENT);
    JsonNode uuid7 = child(node, Section.UUID7);
    JsonNode pattern = child(node, Section.PATTERN);
    JsonNode publicIdNode = child(node, Section.PUBLIC_ID);
    if (strategy != null) {
      onlyFor(strategy, snowflake, Section.SNOWFLAKE, Strategy.SNOWFLAKE);
      if (strategy != Strategy.PATTERN) {
        onlyFor(strategy, segment, Section.SEGMENT, Strategy.SEGMENT);
      }
      onlyFor(strategy, uuid7, Section.UUID7, Strategy.UUID7);
      onlyFor(strategy, pattern, Section.PATTERN, Strategy.PATTERN);
      if (strategy.textual() && publicIdNode != null) {
        problems.add(
            path()
                + key(Section.PUBLIC_ID)
                + " is only for strategy: snowflake or segment (a "
                + strategy.id()
                + " namespace issues no raw IDs to encode)");
      }
    }
    NamespaceDefinition read = null;
    if (strategy == Strategy.SNOWFLAKE) {
      NamespaceDefinition.SnowflakeSettings settings = snowflake(snowflake);
      read = new NamespaceDefinition.Snowflake(name, settings, publicId(name, publicIdNode));
    } else if (strategy == Strategy.SEGMENT) {
      NamespaceDefinition.SegmentSettings settings = segment(segment, DEFAULT_SEGMENT.maxStep());
      read = new NamespaceDefinition.Segment(name, settings, publicId(name, publicIdNode));
    } else if (strategy == Strategy.UUID7) {
      read = new NamespaceDefinition.Uuid7(name, uuid7(uuid7));
    } else if (strategy == Strategy.PATTERN) {
      String nameProblem = NamespaceDefinition.patternNameProblem(name);
      if (nameProblem != null) {
        // namespaces.<name>: … in the file; the registry's problems already name the namespace
        String at = path().isEmpty() ? "" : path().substring(0, path().length() - 1) + ": ";
        problems.add(at + nameProblem);
      }
      NumberPattern numbers = pattern(pattern);
      NamespaceDefinition.SegmentSettings settings =
          segment(segment, numbers == null ? DEFAULT_SEGMENT.maxStep() : patternMaxStep(numbers));
      read = numbers == null ? null : new NamespaceDefinition.Pattern(name, numbers, settings);
    }
    return problems.size() != before ? null : read;
  }

  /** Reports {@code section} given for a strategy other than {@code owner}. */
  private void onlyFor(Strategy strategy, JsonNode given, Section section, Strategy owner) {
    if (given != null && strategy != owner) {
      problems.add(
          path()
              + key(section)
              + " is only for strategy: "
              + owner.id()
              + (section == Section.SEGMENT ? " or pattern" : ""));
    }
  }

  private NamespaceDefinition.SnowflakeSettings snowflake(JsonNode node) {
    unknownKeys(node, Section.SNOWFLAKE);
    String p = path() + Section.SNOWFLAKE.yamlKey() + ".";
    Integer timestampBits = integer(node, DefinitionField.TIMESTAMP_BITS);
    Integer workerBits = integer(node, DefinitionField.WORKER_BITS);
    Integer sequenceBits = integer(node, DefinitionField.SEQUENCE_BITS);
    SnowflakeLayout preset = DEFAULT_LAYOUT;
    String presetName = text(node, DefinitionField.LAYOUT);
    boolean presetGiven = false;
    if (presetName != null && !presetName.strip().equals(NamespaceDefinition.CUSTOM_LAYOUT)) {
      try {
        preset =
            SnowflakeLayout.Preset.fromSymbol(presetName.strip())
                .builder()
                .minRemaining(Duration.ZERO)
                .build();
        // default is what no layout means (each width overridable, as ever), so that a view
        // shown as layout: default can be edited and sent back; only other presets fix widths.
        presetGiven = !presetName.strip().equals(SnowflakeLayout.Preset.DEFAULT.symbol());
      } catch (InvalidConfigurationException e) {
        e.problems()
            .forEach(
                problem ->
                    problems.add(
                        fieldPath(DefinitionField.LAYOUT)
                            + ": "
                            + problem
                            + " (or custom, to give the widths yourself)"));
      }
    }
    if (presetGiven) {
      contradicts(
          DefinitionField.TIMESTAMP_BITS, timestampBits, preset.timestampBits(), presetName);
      contradicts(DefinitionField.WORKER_BITS, workerBits, preset.workerBits(), presetName);
      contradicts(DefinitionField.SEQUENCE_BITS, sequenceBits, preset.sequenceBits(), presetName);
    }
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
    TickUnit unit = preset.tickUnit();
    String unitText = text(node, DefinitionField.TIME_UNIT);
    if (unitText != null) {
      try {
        TickUnit given = TickUnit.fromSymbol(unitText);
        if (presetGiven && given != preset.tickUnit()) {
          problems.add(
              fieldPath(DefinitionField.TIME_UNIT)
                  + " "
                  + given.symbol()
                  + " contradicts layout "
                  + presetName.strip()
                  + " (whose time unit is "
                  + preset.tickUnit().symbol()
                  + "); leave it out, or use layout: custom");
        }
        unit = given;
      } catch (InvalidConfigurationException e) {
        e.problems().forEach(problem -> problems.add(p + "time-unit: " + problem));
      }
    }
    Duration maxBorrow =
        orElse(duration(node, DefinitionField.MAX_BORROW), SnowflakeGenerator.DEFAULT_MAX_BORROW);
    Duration maxBackward =
        maxBackward(duration(node, DefinitionField.MAX_BACKWARD), p, DefinitionField.MAX_BACKWARD);
    Boolean random = bool(node, DefinitionField.RANDOM_SEQUENCE_START);
    return new NamespaceDefinition.SnowflakeSettings(
        orElse(timestampBits, preset.timestampBits()),
        orElse(workerBits, preset.workerBits()),
        orElse(sequenceBits, preset.sequenceBits()),
        epoch,
        unit,
        maxBorrow,
        maxBackward,
        random != null && random);
  }

  private void contradicts(DefinitionField field, Integer given, int preset, String presetName) {
    if (given != null && given != preset) {
      problems.add(
          fieldPath(field)
              + " "
              + given
              + " contradicts layout "
              + presetName.strip()
              + " (whose "
              + field.yamlKey()
              + " is "
              + preset
              + "); leave it out, or use layout: custom");
    }
  }

  /** The backward step waited out, defaulted and held to the ceiling (snowflake and uuid7). */
  private Duration maxBackward(Duration given, String p, DefinitionField field) {
    Duration maxBackward = orElse(given, SnowflakeGenerator.DEFAULT_MAX_BACKWARD);
    if (maxBackward.compareTo(NamespaceConfig.MAX_BACKWARD_CEILING) > 0) {
      problems.add(
          p
              + field.yamlKey()
              + " must be at most "
              + NamespaceConfig.MAX_BACKWARD_CEILING.toMillis()
              + "ms (a request waits out a step back of up to this long): max-backward="
              + maxBackward.toMillis()
              + "ms");
    }
    return maxBackward;
  }

  private NamespaceDefinition.Uuid7Settings uuid7(JsonNode node) {
    unknownKeys(node, Section.UUID7);
    String p = path() + Section.UUID7.yamlKey() + ".";
    Integer workerBits = integer(node, DefinitionField.UUID7_WORKER_BITS);
    Integer sequenceBits = integer(node, DefinitionField.UUID7_SEQUENCE_BITS);
    Duration maxBorrow =
        orElse(
            duration(node, DefinitionField.UUID7_MAX_BORROW),
            SnowflakeGenerator.DEFAULT_MAX_BORROW);
    Duration maxBackward =
        maxBackward(
            duration(node, DefinitionField.UUID7_MAX_BACKWARD),
            p,
            DefinitionField.UUID7_MAX_BACKWARD);
    return new NamespaceDefinition.Uuid7Settings(
        orElse(workerBits, DEFAULT_LAYOUT.workerBits()),
        orElse(sequenceBits, DEFAULT_LAYOUT.sequenceBits()),
        maxBorrow,
        maxBackward);
  }

  /** The number pattern of a pattern namespace, or null after reporting every problem. */
  private NumberPattern pattern(JsonNode node) {
    unknownKeys(node, Section.PATTERN);
    int before = problems.size();
    String template = text(node, DefinitionField.TEMPLATE);
    if (template == null && problems.size() == before) {
      problems.add(
          fieldPath(DefinitionField.TEMPLATE)
              + " is required for strategy: pattern, e.g. ORD-{date:yyyyMMdd}-{seq:6}");
    }
    Period period = null;
    String reset = text(node, DefinitionField.RESET);
    if (reset != null) {
      try {
        period = Period.fromSymbol(reset.strip());
      } catch (InvalidConfigurationException e) {
        problems.add(
            fieldPath(DefinitionField.RESET)
                + " must be one of "
                + java.util.Arrays.stream(Period.values())
                    .map(Period::symbol)
                    .collect(java.util.stream.Collectors.joining(", "))
                + ": "
                + reset);
      }
    }
    ZoneId zone = ZoneId.of("UTC");
    String zoneText = text(node, DefinitionField.TIME_ZONE);
    if (zoneText != null) {
      try {
        zone = ZoneId.of(zoneText.strip());
      } catch (DateTimeException e) {
        problems.add(
            fieldPath(DefinitionField.TIME_ZONE)
                + " must be an IANA zone id like UTC or Asia/Shanghai, or an offset like +08:00: "
                + zoneText);
      }
    }
    if (problems.size() != before) {
      return null;
    }
    try {
      return NumberPattern.parse(template, zone, period);
    } catch (InvalidPatternException e) {
      e.problems()
          .forEach(problem -> problems.add(fieldPath(DefinitionField.TEMPLATE) + ": " + problem));
      return null;
    }
  }

  /**
   * The default {@code max-step} of a pattern namespace: a thousandth of its sequence space (1000
   * for {@code {seq:6}}), at least 1. The adaptive step of a segment grows to cover {@code
   * buffer-duration} of calls, and a period's numbers left in the nodes' buffers at its end (or at
   * a restart) are skipped, so an unbounded step would use up a narrow width in a busy day; this
   * keeps each node's segment small against the width unless the definition says otherwise.
   */
  private static long patternMaxStep(NumberPattern numbers) {
    return Math.max(1, Math.min(DEFAULT_SEGMENT.maxStep(), (numbers.maxSequence() + 1) / 1000));
  }

  /**
   * Segment sizing; {@code defaultMax} is the {@code max-step} when none is given (the segment
   * default, or a pattern namespace's {@link #patternMaxStep}), and bounds the other defaults.
   */
  private NamespaceDefinition.SegmentSettings segment(JsonNode node, long defaultMax) {
    unknownKeys(node, Section.SEGMENT);
    Long step = whole(node, DefinitionField.STEP);
    Long minStep = whole(node, DefinitionField.MIN_STEP);
    Long maxStep = whole(node, DefinitionField.MAX_STEP);
    Double loadFactor = number(node, DefinitionField.LOAD_FACTOR);
    Duration bufferDuration = duration(node, DefinitionField.BUFFER_DURATION);
    Integer threadChunk = integer(node, DefinitionField.THREAD_CHUNK);
    long defaultMin = Math.min(DEFAULT_SEGMENT.minStep(), defaultMax);
    long initial = orElse(step, Math.min(DEFAULT_SEGMENT.initialStep(), defaultMax));
    // A step given alone widens the default bounds to hold it.
    long min = minStep != null ? minStep : step != null ? Math.min(step, defaultMin) : defaultMin;
    long max = maxStep != null ? maxStep : step != null ? Math.max(step, defaultMax) : defaultMax;
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
