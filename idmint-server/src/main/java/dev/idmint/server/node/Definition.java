package dev.idmint.server.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.NamespaceConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A namespace definition as the registry keeps it: JSON in the shape of the API's namespace view
 * ({@code name, strategy, snowflake{…}, segment{…}, publicId{…}}), without key material and without
 * the derived fields ({@code exhaustedAt}, {@code length}). The same text goes into every
 * coordinator, so two nodes compare definitions by comparing fields, never by parsing YAML twice.
 *
 * <p>Fields are either <em>unsafe</em> (strategy, layout bits, epoch, time unit, public-ID prefix
 * and alphabet: changing them after a namespace issued IDs could repeat an ID or orphan public IDs
 * already handed out) or <em>safe</em> (everything else: segment sizing, borrow limits, the current
 * public-ID key version), which every node applies while running.
 */
public final class Definition {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Read-only fields of the API view; ignored on input. */
  static final Set<String> READ_ONLY = Set.of("revision", "issued");

  private Definition() {}

  /** The canonical definition of {@code config}: what goes into the registry. */
  public static ObjectNode of(NamespaceConfig config) {
    ObjectNode out = NODES.objectNode();
    out.put("name", config.name());
    out.put("strategy", config.strategy().id());
    SnowflakeLayout layout = config.layout();
    if (layout != null) {
      ObjectNode snowflake = out.putObject("snowflake");
      snowflake.put("timestampBits", layout.timestampBits());
      snowflake.put("workerBits", layout.workerBits());
      snowflake.put("sequenceBits", layout.sequenceBits());
      snowflake.put("epoch", Instant.ofEpochMilli(layout.epochMillis()).toString());
      snowflake.put("timeUnit", layout.tickUnit().symbol());
      snowflake.put("maxBorrowMillis", config.maxBorrow().toMillis());
      snowflake.put("maxBackwardMillis", config.maxBackward().toMillis());
      snowflake.put("randomSequenceStart", config.randomSequenceStart());
    }
    SegmentConfig segment = config.segment();
    if (segment != null) {
      ObjectNode settings = out.putObject("segment");
      settings.put("step", segment.initialStep());
      settings.put("minStep", segment.minStep());
      settings.put("maxStep", segment.maxStep());
      settings.put("loadFactor", segment.loadFactor());
      settings.put("bufferDurationSeconds", segment.bufferDuration().toSeconds());
      settings.put("threadChunk", segment.threadChunk());
    }
    PublicIdCodec codec = config.publicIds();
    if (codec != null) {
      ObjectNode publicId = out.putObject("publicId");
      publicId.put("prefix", codec.prefix());
      publicId.put("alphabet", codec.alphabet().configName());
      publicId.put("current", String.valueOf(codec.currentVersion()));
    }
    return out;
  }

  /**
   * The view of {@code GET /v1/namespaces/{ns}}: the definition plus the derived fields ({@code
   * snowflake.exhaustedAt}, {@code publicId.length}).
   */
  public static ObjectNode view(NamespaceConfig config) {
    ObjectNode out = of(config);
    if (config.layout() != null) {
      ObjectNode snowflake = (ObjectNode) out.get("snowflake");
      ObjectNode ordered = NODES.objectNode();
      for (Map.Entry<String, JsonNode> field : snowflake.properties()) {
        ordered.set(field.getKey(), field.getValue());
        if (field.getKey().equals("timeUnit")) {
          ordered.put("exhaustedAt", config.layout().exhaustedAt().toString());
        }
      }
      out.set("snowflake", ordered);
    }
    if (config.publicIds() != null) {
      ((ObjectNode) out.get("publicId")).put("length", config.publicIds().length());
    }
    return out;
  }

  /** The admin API's view: {@link #view(NamespaceConfig)} plus the registry's fields. */
  public static ObjectNode view(NamespaceConfig config, long revision, boolean issued) {
    ObjectNode out = view(config);
    out.put("revision", revision);
    out.put("issued", issued);
    return out;
  }

  /** The definition as stored text. */
  public static String text(ObjectNode definition) {
    try {
      return JSON.writeValueAsString(definition);
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
   * Builds the configuration a node runs from a definition, with this node's local settings (keys,
   * minimum lifetime, wait limits). Unknown fields are refused, read-only ones ignored.
   *
   * @throws InvalidConfigurationException naming every problem, with the definition's field names
   */
  public static NamespaceConfig toConfig(
      String name, JsonNode definition, NamespaceConfig.Local local, Clock clock) {
    List<String> problems = new ArrayList<>();
    ObjectNode yaml = NODES.objectNode();
    check(definition, "", Set.of("name", "strategy", "snowflake", "segment", "publicId"), problems);
    JsonNode givenName = definition.get("name");
    if (givenName != null && !givenName.isNull() && !givenName.asText().equals(name)) {
      problems.add("name " + givenName.asText() + " does not match the namespace " + name);
    }
    JsonNode strategy = definition.get("strategy");
    if (strategy == null || strategy.isNull()) {
      problems.add("strategy must be snowflake or segment");
    } else {
      yaml.put("strategy", strategy.asText().toLowerCase(Locale.ROOT));
    }
    JsonNode snowflake = definition.get("snowflake");
    if (snowflake != null && !snowflake.isNull()) {
      check(
          snowflake,
          "snowflake.",
          Set.of(
              "timestampBits",
              "workerBits",
              "sequenceBits",
              "epoch",
              "timeUnit",
              "exhaustedAt",
              "maxBorrowMillis",
              "maxBackwardMillis",
              "randomSequenceStart"),
          problems);
      ObjectNode out = yaml.putObject("snowflake");
      copy(snowflake, "timestampBits", out, "timestamp-bits");
      copy(snowflake, "workerBits", out, "worker-bits");
      copy(snowflake, "sequenceBits", out, "sequence-bits");
      copy(snowflake, "epoch", out, "epoch");
      copy(snowflake, "timeUnit", out, "time-unit");
      millis(snowflake, "maxBorrowMillis", out, "max-borrow", problems);
      millis(snowflake, "maxBackwardMillis", out, "max-backward", problems);
      copy(snowflake, "randomSequenceStart", out, "random-sequence-start");
      if (local.minRemaining() != null) {
        out.put("min-remaining", local.minRemaining().toString());
      }
    }
    JsonNode segment = definition.get("segment");
    if (segment != null && !segment.isNull()) {
      check(
          segment,
          "segment.",
          Set.of(
              "step", "minStep", "maxStep", "loadFactor", "bufferDurationSeconds", "threadChunk"),
          problems);
      ObjectNode out = yaml.putObject("segment");
      copy(segment, "step", out, "step");
      copy(segment, "minStep", out, "min-step");
      copy(segment, "maxStep", out, "max-step");
      copy(segment, "loadFactor", out, "load-factor");
      JsonNode seconds = segment.get("bufferDurationSeconds");
      if (seconds != null && !seconds.isNull()) {
        if (wholeNumber(seconds, "segment.bufferDurationSeconds", "seconds", problems)) {
          out.put("buffer-duration", seconds.asText() + "s");
        }
      }
      copy(segment, "threadChunk", out, "thread-chunk");
      if (local.awaitTimeout() != null) {
        out.put("await-timeout", local.awaitTimeout().toString());
      }
    }
    JsonNode publicId = definition.get("publicId");
    if (publicId != null && !publicId.isNull()) {
      check(publicId, "publicId.", Set.of("prefix", "alphabet", "current", "length"), problems);
      ObjectNode out = yaml.putObject("public-id");
      copy(publicId, "prefix", out, "prefix");
      copy(publicId, "alphabet", out, "alphabet");
      copy(publicId, "current", out, "current");
      if (local.checkCharacters() != null) {
        out.put("check-characters", local.checkCharacters());
      }
      if (local.publicIdKeys().isEmpty()) {
        problems.add(
            "publicId needs keys, and this node has none for namespace "
                + name
                + " (namespaces."
                + name
                + ".public-id.keys in its configuration)");
      } else {
        ObjectNode keys = out.putObject("keys");
        local.publicIdKeys().forEach(keys::put);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("namespace " + name, problems);
    }
    try {
      NamespaceConfig parsed = ConfigLoader.namespace(name, yaml, clock);
      return new NamespaceConfig(
          parsed.name(),
          parsed.strategy(),
          parsed.layout(),
          parsed.maxBorrow(),
          parsed.maxBackward(),
          parsed.randomSequenceStart(),
          parsed.segment(),
          parsed.publicIds(),
          local);
    } catch (InvalidConfigurationException e) {
      List<String> renamed = new ArrayList<>();
      for (String problem : e.problems()) {
        renamed.add(problem.replace("namespaces." + name + ".", ""));
      }
      throw new InvalidConfigurationException("namespace " + name, renamed);
    }
  }

  /**
   * The unsafe differences between two definitions, each as a phrase naming the field with both
   * values ({@code "layout 41/10/12", "41/8/14"}); empty when they agree on every unsafe field.
   */
  public static List<Difference> unsafeDifferences(JsonNode from, JsonNode to) {
    List<Difference> out = new ArrayList<>();
    compare(out, "strategy", text(from, "strategy"), text(to, "strategy"));
    JsonNode a = from.path("snowflake");
    JsonNode b = to.path("snowflake");
    compare(out, "layout", layout(a), layout(b));
    compare(out, "epoch", text(a, "epoch"), text(b, "epoch"));
    compare(out, "time unit", text(a, "timeUnit"), text(b, "timeUnit"));
    JsonNode p = from.path("publicId");
    JsonNode q = to.path("publicId");
    if (!p.isMissingNode() && !p.isNull()) {
      compare(out, "public-ID prefix", text(p, "prefix"), text(q, "prefix"));
      compare(out, "public-ID alphabet", text(p, "alphabet"), text(q, "alphabet"));
    }
    return out;
  }

  /**
   * One field whose value differs.
   *
   * @param field what differs, e.g. {@code layout}
   * @param from the value on the left (local, or before the change)
   * @param to the value on the right (the registry's, or after the change)
   */
  public record Difference(String field, String from, String to) {}

  private static void compare(List<Difference> out, String field, String from, String to) {
    if (!Objects.equals(from, to)) {
      out.add(new Difference(field, from == null ? "none" : from, to == null ? "none" : to));
    }
  }

  private static String layout(JsonNode snowflake) {
    if (snowflake.isMissingNode() || snowflake.isNull()) {
      return null;
    }
    return text(snowflake, "timestampBits")
        + "/"
        + text(snowflake, "workerBits")
        + "/"
        + text(snowflake, "sequenceBits");
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static void check(
      JsonNode node, String prefix, Set<String> known, List<String> problems) {
    if (!node.isObject()) {
      problems.add(
          (prefix.isEmpty() ? "the definition" : prefix.substring(0, prefix.length() - 1))
              + " must be a JSON object");
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field) && !READ_ONLY.contains(field)) {
        problems.add(
            "unknown field "
                + prefix
                + field
                + "; known fields here: "
                + new java.util.TreeSet<>(known));
      }
    }
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String key) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(key, value.isValueNode() ? NODES.textNode(value.asText()) : value);
      if (value.isBoolean()) {
        to.set(key, value);
      } else if (value.isNumber() && key.equals("load-factor")) {
        to.set(key, value);
      }
    }
  }

  private static void millis(
      JsonNode from, String field, ObjectNode to, String key, List<String> problems) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      if (wholeNumber(value, "snowflake." + field, "milliseconds", problems)) {
        to.put(key, value.asText() + "ms");
      }
    }
  }

  /** True when {@code value} is a whole number in [0, 2^63); else a problem naming the field. */
  private static boolean wholeNumber(
      JsonNode value, String field, String unit, List<String> problems) {
    if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
      return true;
    }
    String text = value.asText();
    problems.add(
        field
            + " must be a whole number of "
            + unit
            + " between 0 and 9223372036854775807: "
            + (text.length() <= 40 ? text : text.substring(0, 37) + "..."));
    return false;
  }
}
