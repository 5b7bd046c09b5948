package dev.idmint.server.config;

/**
 * Every field of a namespace definition, with its name in each source: the YAML key of a {@code
 * namespaces.<name>} block and the JSON field of the registry (the same JSON the admin API shows).
 * The one list of fields: {@link DefinitionReader} reads by it and {@code node.Definition} writes
 * by it, so a field added here is added to both.
 *
 * <p>Problems found in a value (not in its spelling) name the field by its YAML key in both
 * sources, as they always have ({@code snowflake.max-backward must be at most 100ms}).
 */
public enum DefinitionField {
  STRATEGY(null, "strategy", "strategy"),
  TIMESTAMP_BITS(Section.SNOWFLAKE, "timestamp-bits", "timestampBits"),
  WORKER_BITS(Section.SNOWFLAKE, "worker-bits", "workerBits"),
  SEQUENCE_BITS(Section.SNOWFLAKE, "sequence-bits", "sequenceBits"),
  EPOCH(Section.SNOWFLAKE, "epoch", "epoch"),
  TIME_UNIT(Section.SNOWFLAKE, "time-unit", "timeUnit"),
  MAX_BORROW(Section.SNOWFLAKE, "max-borrow", "maxBorrowMillis"),
  MAX_BACKWARD(Section.SNOWFLAKE, "max-backward", "maxBackwardMillis"),
  RANDOM_SEQUENCE_START(Section.SNOWFLAKE, "random-sequence-start", "randomSequenceStart"),
  LAYOUT(Section.SNOWFLAKE, "layout", "layout"),
  UUID7_WORKER_BITS(Section.UUID7, "worker-bits", "workerBits"),
  UUID7_SEQUENCE_BITS(Section.UUID7, "sequence-bits", "sequenceBits"),
  UUID7_MAX_BORROW(Section.UUID7, "max-borrow", "maxBorrowMillis"),
  UUID7_MAX_BACKWARD(Section.UUID7, "max-backward", "maxBackwardMillis"),
  TEMPLATE(Section.PATTERN, "template", "template"),
  RESET(Section.PATTERN, "reset", "reset"),
  TIME_ZONE(Section.PATTERN, "time-zone", "timeZone"),
  STEP(Section.SEGMENT, "step", "step"),
  MIN_STEP(Section.SEGMENT, "min-step", "minStep"),
  MAX_STEP(Section.SEGMENT, "max-step", "maxStep"),
  LOAD_FACTOR(Section.SEGMENT, "load-factor", "loadFactor"),
  BUFFER_DURATION(Section.SEGMENT, "buffer-duration", "bufferDurationSeconds"),
  THREAD_CHUNK(Section.SEGMENT, "thread-chunk", "threadChunk"),
  PREFIX(Section.PUBLIC_ID, "prefix", "prefix"),
  ALPHABET(Section.PUBLIC_ID, "alphabet", "alphabet"),
  CURRENT(Section.PUBLIC_ID, "current", "current"),
  CHECK_CHARACTERS(Section.PUBLIC_ID, "check-characters", "checkCharacters");

  /** A block of a definition. */
  public enum Section {
    SNOWFLAKE("snowflake", "snowflake"),
    SEGMENT("segment", "segment"),
    UUID7("uuid7", "uuid7"),
    PATTERN("pattern", "pattern"),
    PUBLIC_ID("public-id", "publicId");

    private final String yamlKey;
    private final String jsonKey;

    Section(String yamlKey, String jsonKey) {
      this.yamlKey = yamlKey;
      this.jsonKey = jsonKey;
    }

    public String yamlKey() {
      return yamlKey;
    }

    public String jsonKey() {
      return jsonKey;
    }
  }

  private final Section section;
  private final String yamlKey;
  private final String jsonKey;

  DefinitionField(Section section, String yamlKey, String jsonKey) {
    this.section = section;
    this.yamlKey = yamlKey;
    this.jsonKey = jsonKey;
  }

  /** The block the field sits in, or null for the top level. */
  public Section section() {
    return section;
  }

  public String yamlKey() {
    return yamlKey;
  }

  public String jsonKey() {
    return jsonKey;
  }
}
