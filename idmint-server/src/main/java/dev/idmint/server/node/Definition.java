package dev.idmint.server.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.server.config.DefinitionField;
import dev.idmint.server.config.DefinitionField.Section;
import dev.idmint.server.config.DefinitionReader;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.NamespaceDefinition;
import dev.idmint.server.config.Strategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link NamespaceDefinition} as the registry keeps it: JSON in the shape of the API's namespace
 * view ({@code name, strategy, snowflake{…}, segment{…}, uuid7{…}, pattern{…}, publicId{…}}),
 * without key material and without the derived fields ({@code snowflake.layout}, {@code
 * exhaustedAt}, {@code length}). The same text goes into every coordinator. Reading binds the JSON
 * straight to the typed definition ({@link #read}); two nodes compare definitions with {@code
 * equals} and {@link NamespaceDefinition#unsafeChangesTo}.
 *
 * <p>Every field is written as it always was, so entries written by earlier versions still read:
 * {@code bufferDurationSeconds} stays a number of seconds (now with millisecond decimals when the
 * duration is not whole seconds), {@code publicId.checkCharacters} is written only when not 0 and
 * read as 0 when absent.
 */
public final class Definition {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  /** Read-only fields of the API view; ignored on input. */
  static final Set<String> READ_ONLY = Set.of("revision", "issued");

  private Definition() {}

  /** The canonical JSON of {@code definition}: what goes into the registry. */
  public static ObjectNode of(NamespaceDefinition definition) {
    ObjectNode out = NODES.objectNode();
    out.put("name", definition.name());
    out.put(DefinitionField.STRATEGY.jsonKey(), definition.strategy().id());
    if (definition instanceof NamespaceDefinition.Snowflake snowflake) {
      NamespaceDefinition.SnowflakeSettings s = snowflake.settings();
      ObjectNode settings = out.putObject(Section.SNOWFLAKE.jsonKey());
      settings.put(DefinitionField.TIMESTAMP_BITS.jsonKey(), s.timestampBits());
      settings.put(DefinitionField.WORKER_BITS.jsonKey(), s.workerBits());
      settings.put(DefinitionField.SEQUENCE_BITS.jsonKey(), s.sequenceBits());
      settings.put(DefinitionField.EPOCH.jsonKey(), s.epoch().toString());
      settings.put(DefinitionField.TIME_UNIT.jsonKey(), s.timeUnit().symbol());
      settings.put(DefinitionField.MAX_BORROW.jsonKey(), s.maxBorrow().toMillis());
      settings.put(DefinitionField.MAX_BACKWARD.jsonKey(), s.maxBackward().toMillis());
      settings.put(DefinitionField.RANDOM_SEQUENCE_START.jsonKey(), s.randomSequenceStart());
    } else if (definition instanceof NamespaceDefinition.Segment segment) {
      segment(out, segment.settings());
    } else if (definition instanceof NamespaceDefinition.Uuid7 uuid7) {
      NamespaceDefinition.Uuid7Settings s = uuid7.settings();
      out.putObject(Section.UUID7.jsonKey())
          .put(DefinitionField.UUID7_WORKER_BITS.jsonKey(), s.workerBits())
          .put(DefinitionField.UUID7_SEQUENCE_BITS.jsonKey(), s.sequenceBits())
          .put(DefinitionField.UUID7_MAX_BORROW.jsonKey(), s.maxBorrow().toMillis())
          .put(DefinitionField.UUID7_MAX_BACKWARD.jsonKey(), s.maxBackward().toMillis());
    } else if (definition instanceof NamespaceDefinition.Pattern pattern) {
      out.putObject(Section.PATTERN.jsonKey())
          .put(DefinitionField.TEMPLATE.jsonKey(), pattern.pattern().template())
          .put(DefinitionField.RESET.jsonKey(), pattern.pattern().period().symbol())
          .put(DefinitionField.TIME_ZONE.jsonKey(), pattern.pattern().zone().getId());
      segment(out, pattern.segment());
    }
    NamespaceDefinition.PublicIdSpec spec = definition.publicId();
    if (spec != null) {
      ObjectNode publicId = out.putObject(Section.PUBLIC_ID.jsonKey());
      publicId.put(DefinitionField.PREFIX.jsonKey(), spec.prefix());
      publicId.put(DefinitionField.ALPHABET.jsonKey(), spec.alphabet().configName());
      publicId.put(DefinitionField.CURRENT.jsonKey(), String.valueOf(spec.currentVersion()));
      if (spec.checkCharacters() != 0) {
        publicId.put(DefinitionField.CHECK_CHARACTERS.jsonKey(), spec.checkCharacters());
      }
    }
    return out;
  }

  /** The segment section (a segment namespace's sizing, or each period's of a pattern one). */
  private static void segment(ObjectNode out, NamespaceDefinition.SegmentSettings s) {
    ObjectNode settings = out.putObject(Section.SEGMENT.jsonKey());
    settings.put(DefinitionField.STEP.jsonKey(), s.step());
    settings.put(DefinitionField.MIN_STEP.jsonKey(), s.minStep());
    settings.put(DefinitionField.MAX_STEP.jsonKey(), s.maxStep());
    settings.put(DefinitionField.LOAD_FACTOR.jsonKey(), s.loadFactor());
    long millis = s.bufferDuration().toMillis();
    if (millis % 1000 == 0) {
      settings.put(DefinitionField.BUFFER_DURATION.jsonKey(), millis / 1000);
    } else {
      settings.put(
          DefinitionField.BUFFER_DURATION.jsonKey(),
          BigDecimal.valueOf(millis).divide(THOUSAND).stripTrailingZeros());
    }
    settings.put(DefinitionField.THREAD_CHUNK.jsonKey(), s.threadChunk());
  }

  /**
   * The view of {@code GET /v1/namespaces/{ns}}: the definition plus the derived fields ({@code
   * snowflake.exhaustedAt}, {@code publicId.length}).
   */
  public static ObjectNode view(NamespaceConfig config) {
    return view(config.definition(), config.layout());
  }

  /** As {@link #view(NamespaceConfig)}, with {@code layout} built from a snowflake definition. */
  public static ObjectNode view(NamespaceDefinition definition, SnowflakeLayout layout) {
    ObjectNode out = of(definition);
    if (layout != null && definition instanceof NamespaceDefinition.Snowflake s) {
      ObjectNode snowflake = (ObjectNode) out.get(Section.SNOWFLAKE.jsonKey());
      ObjectNode ordered = NODES.objectNode();
      ordered.put(DefinitionField.LAYOUT.jsonKey(), s.settings().preset());
      for (Map.Entry<String, JsonNode> field : snowflake.properties()) {
        ordered.set(field.getKey(), field.getValue());
        if (field.getKey().equals(DefinitionField.TIME_UNIT.jsonKey())) {
          ordered.put("exhaustedAt", layout.exhaustedAt().toString());
        }
      }
      out.set(Section.SNOWFLAKE.jsonKey(), ordered);
    }
    if (definition.publicId() != null) {
      ((ObjectNode) out.get(Section.PUBLIC_ID.jsonKey()))
          .put("length", definition.publicId().length());
    }
    return out;
  }

  /** The definition as stored text. */
  public static String text(NamespaceDefinition definition) {
    try {
      return JSON.writeValueAsString(of(definition));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /**
   * Parses stored or submitted definition text.
   *
   * @throws InvalidConfigurationException if it is not a JSON object
   */
  public static ObjectNode parse(String name, String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException e) {
      throw new InvalidConfigurationException(
          "namespace " + name,
          List.of("the definition is not valid JSON: " + e.getOriginalMessage()));
    }
    throw new InvalidConfigurationException(
        "namespace " + name, List.of("the definition must be a JSON object"));
  }

  /**
   * Reads stored definition text.
   *
   * @throws InvalidConfigurationException naming every problem, with the definition's field names
   */
  public static NamespaceDefinition read(String name, String text) {
    return read(name, parse(name, text));
  }

  /**
   * Binds a definition's JSON to the typed definition. Unknown fields are refused, read-only and
   * derived ones ignored.
   *
   * @throws InvalidConfigurationException naming every problem, with the definition's field names
   */
  public static NamespaceDefinition read(String name, JsonNode definition) {
    List<String> problems = new ArrayList<>();
    JsonNode givenName = definition.get("name");
    if (givenName != null && !givenName.isNull() && !givenName.asText().equals(name)) {
      problems.add("name " + givenName.asText() + " does not match the namespace " + name);
    }
    NamespaceDefinition read = new JsonReader(problems).read(name, definition);
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("namespace " + name, problems);
    }
    return read;
  }

  /** The registry's JSON: camelCase fields, typed values, durations in whole milliseconds. */
  private static final class JsonReader extends DefinitionReader {
    JsonReader(List<String> problems) {
      super(problems);
    }

    @Override
    protected String path() {
      return "";
    }

    @Override
    protected String key(DefinitionField field) {
      return field.jsonKey();
    }

    @Override
    protected String key(Section section) {
      return section.jsonKey();
    }

    @Override
    protected Strategy defaultStrategy() {
      return null;
    }

    @Override
    protected void unknownKeys(JsonNode node, Section section) {
      if (node == null) {
        return;
      }
      String where = section == null ? "the definition" : section.jsonKey();
      if (!node.isObject()) {
        problems.add(where + " must be a JSON object");
        return;
      }
      Set<String> known = new TreeSet<>();
      for (DefinitionField field : DefinitionField.values()) {
        if (field.section() == section) {
          known.add(field.jsonKey());
        }
      }
      if (section == null) {
        known.add("name");
        for (Section s : Section.values()) {
          known.add(s.jsonKey());
        }
      } else if (section == Section.SNOWFLAKE) {
        known.add("exhaustedAt");
      } else if (section == Section.PUBLIC_ID) {
        known.add("length");
      }
      String prefix = section == null ? "" : section.jsonKey() + ".";
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!known.contains(field) && !READ_ONLY.contains(field)) {
          problems.add("unknown field " + prefix + field + "; known fields here: " + known);
        }
      }
    }

    @Override
    protected JsonNode child(JsonNode node, Section section) {
      JsonNode child = node.get(section.jsonKey());
      return child == null || child.isNull() ? null : child;
    }

    private static JsonNode value(JsonNode node, DefinitionField field) {
      JsonNode value = node == null ? null : node.get(field.jsonKey());
      return value == null || value.isNull() ? null : value;
    }

    @Override
    protected String text(JsonNode node, DefinitionField field) {
      JsonNode value = value(node, field);
      if (value == null) {
        return null;
      }
      if (!value.isValueNode()) {
        problems.add(fieldPath(field) + " must be a single value");
        return null;
      }
      return value.asText();
    }

    @Override
    protected Long whole(JsonNode node, DefinitionField field) {
      JsonNode value = value(node, field);
      if (value == null) {
        return null;
      }
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        return value.asLong();
      }
      if (value.isTextual()) {
        try {
          return Long.parseLong(value.asText().strip());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      problems.add(fieldPath(field) + " must be a whole number: " + shown(value));
      return null;
    }

    @Override
    protected Double number(JsonNode node, DefinitionField field) {
      JsonNode value = value(node, field);
      if (value == null) {
        return null;
      }
      if (!value.isNumber()) {
        problems.add(fieldPath(field) + " must be a number: " + shown(value));
        return null;
      }
      return value.asDouble();
    }

    @Override
    protected Boolean bool(JsonNode node, DefinitionField field) {
      JsonNode value = value(node, field);
      if (value == null) {
        return null;
      }
      if (!value.isBoolean()) {
        problems.add(fieldPath(field) + " must be true or false: " + shown(value));
        return null;
      }
      return value.asBoolean();
    }

    /**
     * {@code *Millis} fields hold whole milliseconds; {@code bufferDurationSeconds} holds seconds,
     * with up to three decimals.
     */
    @Override
    protected Duration duration(JsonNode node, DefinitionField field) {
      JsonNode value = value(node, field);
      if (value == null) {
        return null;
      }
      boolean seconds = field.jsonKey().endsWith("Seconds");
      if (value.isNumber()) {
        try {
          BigDecimal millis = value.decimalValue();
          if (seconds) {
            millis = millis.multiply(THOUSAND);
          }
          if (millis.signum() >= 0) {
            long whole = millis.longValueExact();
            return Duration.ofMillis(whole);
          }
        } catch (ArithmeticException e) {
          // reported below
        }
      }
      problems.add(
          fieldPath(field)
              + (seconds
                  ? " must be a number of seconds (at most three decimals) between 0 and"
                      + " 9223372036854775.807: "
                  : " must be a whole number of milliseconds between 0 and 9223372036854775807: ")
              + shown(value));
      return null;
    }

    private static String shown(JsonNode value) {
      String text = value.asText();
      return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
  }
}
