package dev.idmint.server.node;

import dev.idmint.core.IdGenerator;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeId;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.Strategy;

/**
 * One namespace being served: its configuration, its generator and the registry revision it runs.
 * Immutable but for the issue flag and counter; a change in the registry publishes a new instance.
 */
public final class Namespace {
  private final NamespaceConfig config;
  private final NamespaceGenerator generator;
  private final long revision;
  private final IssueState issue;

  Namespace(NamespaceConfig config, NamespaceGenerator generator, long revision, IssueState issue) {
    this.config = config;
    this.generator = generator;
    this.revision = revision;
    this.issue = issue;
  }

  /**
   * What outlives a namespace's instances on this node: whether the registry knows it issued IDs,
   * and how many this node issued since start.
   */
  static final class IssueState {
    volatile boolean recorded;
    final java.util.concurrent.atomic.LongAdder issued =
        new java.util.concurrent.atomic.LongAdder();
  }

  /** The registry revision of the definition this instance runs. */
  public long revision() {
    return revision;
  }

  /**
   * True once the registry records that this namespace issued IDs; until then the first issue on
   * this node must record it first (write-ahead, so that an unsafe change cannot slip in between).
   */
  public boolean issueRecorded() {
    return issue.recorded;
  }

  /** Counts IDs handed out by this node. */
  public void countIssued(int count) {
    issue.issued.add(count);
  }

  /** IDs this node issued from this namespace since it started. */
  public long issuedCount() {
    return issue.issued.sum();
  }

  IssueState issueState() {
    return issue;
  }

  public String name() {
    return config.name();
  }

  public Strategy strategy() {
    return config.strategy();
  }

  public NamespaceConfig config() {
    return config;
  }

  /**
   * The generator that issues this namespace's raw IDs (snowflake and segment).
   *
   * @throws IllegalStateException for a namespace whose IDs are text ({@link Strategy#textual()})
   */
  public IdGenerator generator() {
    return generator.ids();
  }

  /**
   * Issues {@code count} IDs of a uuid7 namespace (canonical UUID text) or a pattern namespace
   * (business numbers), all or none.
   *
   * @throws IllegalStateException for a namespace whose IDs are raw
   * @throws IdUnavailableException if they cannot be issued safely right now
   * @throws dev.idmint.core.pattern.SequenceExhaustedException if a period outgrew its width
   */
  public String[] nextTexts(int count) {
    return generator.nextTexts(count);
  }

  /** The generator with its lifecycle, as the node holds it. */
  NamespaceGenerator lifecycle() {
    return generator;
  }

  /** The public-ID codec, or null when the namespace has none. */
  public PublicIdCodec publicIds() {
    return config.publicIds();
  }

  /** Null when an ID could be issued now, else why not (see {@link SnowflakeGenerator#probe()}). */
  public IdUnavailableException probe() {
    return generator.probe();
  }

  /** IDs left in the current segment buffer, or -1 for snowflake namespaces. */
  public long segmentRemaining() {
    Long remaining = generator.stats().bufferRemaining();
    return remaining == null ? -1 : remaining;
  }

  /**
   * Takes a raw ID apart.
   *
   * @throws InvalidIdException if the value cannot have been issued by this namespace
   */
  public Inspection inspect(long id) {
    if (config.strategy().textual()) {
      throw new InvalidIdException(
          "namespace "
              + name()
              + " issues "
              + (config.strategy() == Strategy.UUID7 ? "UUIDs" : "business numbers")
              + ", not raw IDs: "
              + id);
    }
    if (id <= 0) {
      throw new InvalidIdException("an ID is a positive number: id=" + id);
    }
    String publicId = config.publicIds() == null ? null : config.publicIds().encode(id);
    if (config.strategy() == Strategy.SNOWFLAKE) {
      SnowflakeId parts = config.layout().decode(id);
      return new Inspection(
          name(),
          id,
          config.strategy(),
          parts.timestamp().toString(),
          parts.worker(),
          parts.sequence(),
          publicId,
          null,
          null);
    }
    return new Inspection(name(), id, config.strategy(), null, -1, -1, publicId, null, null);
  }

  /** A UUID in canonical 8-4-4-4-12 hex form, either case. */
  private static final java.util.regex.Pattern CANONICAL_UUID =
      java.util.regex.Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * Takes a text ID apart: a UUID of a uuid7 namespace (its millisecond, worker and counter), or a
   * business number of a pattern namespace (its period and sequence).
   *
   * @throws InvalidIdException if the text cannot have been issued by this namespace, naming why
   *     (for a number, the position where it departs from the template)
   */
  public Inspection inspectText(String text) {
    if (config.strategy() == Strategy.UUID7) {
      if (!CANONICAL_UUID.matcher(text).matches()) {
        throw new InvalidIdException(
            "not a UUID of namespace "
                + name()
                + ": \""
                + (text.length() <= 64 ? text : text.substring(0, 61) + "...")
                + "\" is not in the canonical 8-4-4-4-12 hex form");
      }
      dev.idmint.core.uuid7.Uuid7Id parts = config.uuid7().decode(java.util.UUID.fromString(text));
      return new Inspection(
          name(),
          null,
          config.strategy(),
          parts.timestamp().toString(),
          parts.worker(),
          parts.counter(),
          null,
          parts.uuid().toString(),
          null);
    }
    if (config.strategy() == Strategy.PATTERN) {
      dev.idmint.core.pattern.NumberPattern.DecodedNumber parts = config.pattern().decode(text);
      String period =
          config.pattern().period() == dev.idmint.core.pattern.Period.NEVER
              ? ""
              : parts.periodLabel();
      return new Inspection(
          name(), null, config.strategy(), null, -1, parts.sequence(), null, text, period);
    }
    throw new IllegalStateException("namespace " + name() + " issues raw IDs");
  }

  /**
   * An ID taken apart.
   *
   * @param id the raw ID (snowflake and segment), else null
   * @param timestamp ISO-8601, snowflake and uuid7 (else null)
   * @param worker snowflake and uuid7 (else -1)
   * @param sequence snowflake, uuid7 (the counter within the millisecond) and pattern (within its
   *     period); else -1
   * @param publicId the public form, or null when the namespace has no codec
   * @param text the ID as text (uuid7: canonical lower-case UUID; pattern: the number), else null
   * @param period pattern only: the label of the period ({@code 20261201}; empty for a namespace
   *     that never resets), else null
   */
  public record Inspection(
      String namespace,
      Long id,
      Strategy strategy,
      String timestamp,
      int worker,
      long sequence,
      String publicId,
      String text,
      String period) {}
}
