package dev.idmint.server.api;

import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.server.config.NamespaceConfig;
import java.time.Instant;

/**
 * A namespace definition as the API shows it (no key material): the definition the registry keeps,
 * the fields derived from it ({@code snowflake.exhaustedAt}, {@code publicId.length}) and, in the
 * admin API, the registry's {@code revision} and {@code issued}. A registry entry this node cannot
 * read is shown with its {@code problem} and the text as stored, so that an operator can fix it.
 *
 * @param strategy {@code snowflake} or {@code segment}; null with a problem
 * @param snowflake the snowflake settings, or null
 * @param segment the segment settings, or null
 * @param publicId the public-ID settings, or null when the namespace has no public IDs
 * @param revision the registry's revision; null outside the admin API
 * @param issued whether the namespace has issued IDs; null outside the admin API
 * @param problem why the stored definition cannot be used, or null when it can
 * @param stored with a problem, the definition exactly as the registry stores it; else null
 */
public record DefinitionView(
    String name,
    String strategy,
    Snowflake snowflake,
    Segment segment,
    PublicId publicId,
    Long revision,
    Boolean issued,
    String problem,
    String stored) {

  /** Snowflake settings; {@code epoch} and {@code exhaustedAt} are ISO-8601 instants. */
  public record Snowflake(
      int timestampBits,
      int workerBits,
      int sequenceBits,
      String epoch,
      String timeUnit,
      String exhaustedAt,
      long maxBorrowMillis,
      long maxBackwardMillis,
      boolean randomSequenceStart) {}

  /** Segment settings. */
  public record Segment(
      long step,
      long minStep,
      long maxStep,
      double loadFactor,
      long bufferDurationSeconds,
      int threadChunk) {}

  /**
   * Public-ID settings.
   *
   * @param current the key version new public IDs are made with
   * @param length the length of every public ID, prefix included
   */
  public record PublicId(String prefix, String alphabet, String current, int length) {}

  /** The view of a namespace a node runs ({@code GET /v1/namespaces/{ns}}). */
  public static DefinitionView of(NamespaceConfig config) {
    return of(config, null, null);
  }

  /** The admin API's view of a registry entry that this node can read. */
  public static DefinitionView of(NamespaceConfig config, Long revision, Boolean issued) {
    SnowflakeLayout layout = config.layout();
    Snowflake snowflake =
        layout == null
            ? null
            : new Snowflake(
                layout.timestampBits(),
                layout.workerBits(),
                layout.sequenceBits(),
                Instant.ofEpochMilli(layout.epochMillis()).toString(),
                layout.tickUnit().symbol(),
                layout.exhaustedAt().toString(),
                config.maxBorrow().toMillis(),
                config.maxBackward().toMillis(),
                config.randomSequenceStart());
    SegmentConfig settings = config.segment();
    Segment segment =
        settings == null
            ? null
            : new Segment(
                settings.initialStep(),
                settings.minStep(),
                settings.maxStep(),
                settings.loadFactor(),
                settings.bufferDuration().toSeconds(),
                settings.threadChunk());
    PublicIdCodec codec = config.publicIds();
    PublicId publicId =
        codec == null
            ? null
            : new PublicId(
                codec.prefix(),
                codec.alphabet().configName(),
                String.valueOf(codec.currentVersion()),
                codec.length());
    return new DefinitionView(
        config.name(),
        config.strategy().id(),
        snowflake,
        segment,
        publicId,
        revision,
        issued,
        null,
        null);
  }

  /** The admin API's view of a registry entry that this node cannot use, and why. */
  public static DefinitionView unusable(
      String name, long revision, boolean issued, String problem, String stored) {
    return new DefinitionView(name, null, null, null, null, revision, issued, problem, stored);
  }
}
