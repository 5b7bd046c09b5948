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

  /** The generator that issues this namespace's IDs. */
  public IdGenerator generator() {
    return generator.ids();
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
          publicId);
    }
    return new Inspection(name(), id, config.strategy(), null, -1, -1, publicId);
  }

  /**
   * A raw ID taken apart.
   *
   * @param timestamp ISO-8601, snowflake only (else null)
   * @param worker snowflake only (else -1)
   * @param sequence snowflake only (else -1)
   * @param publicId the public form, or null when the namespace has no codec
   */
  public record Inspection(
      String namespace,
      long id,
      Strategy strategy,
      String timestamp,
      int worker,
      long sequence,
      String publicId) {}
}
