package dev.idmint.server.api;

import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.NamespaceDefinition;

/**
 * A namespace definition as the API shows it (no key material): the definition the registry keeps,
 * the fields derived from it ({@code snowflake.exhaustedAt}, {@code publicId.length}) and, in the
 * admin API, the registry's {@code revision} and {@code issued}. A registry entry this node cannot
 * read is shown with its {@code problem} and the text as stored, so that an operator can fix it.
 *
 * @param strategy {@code snowflake}, {@code segment}, {@code uuid7} or {@code pattern}; null with a
 *     problem
 * @param snowflake the snowflake settings, or null
 * @param segment the segment settings (segment, and each period's counter of pattern), or null
 * @param uuid7 the uuid7 settings, or null
 * @param pattern the pattern settings, or null
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
    Uuid7 uuid7,
    Pattern pattern,
    PublicId publicId,
    Long revision,
    Boolean issued,
    String problem,
    String stored) {

  /**
   * Snowflake settings; {@code epoch} and {@code exhaustedAt} are ISO-8601 instants.
   *
   * @param layout the preset the widths and time unit match ({@code default}, {@code js-safe}), or
   *     {@code custom}
   */
  public record Snowflake(
      String layout,
      int timestampBits,
      int workerBits,
      int sequenceBits,
      String epoch,
      String timeUnit,
      String exhaustedAt,
      long maxBorrowMillis,
      long maxBackwardMillis,
      boolean randomSequenceStart) {}

  /** uuid7 settings. */
  public record Uuid7(
      int workerBits, int sequenceBits, long maxBorrowMillis, long maxBackwardMillis) {}

  /**
   * Pattern settings.
   *
   * @param reset {@code day}, {@code month}, {@code year} or {@code never}
   * @param timeZone the zone id the dates are rendered in
   */
  public record Pattern(String template, String reset, String timeZone) {}

  /** Segment settings. */
  public record Segment(
      long step,
      long minStep,
      long maxStep,
      double loadFactor,
      double bufferDurationSeconds,
      int threadChunk) {}

  /**
   * Public-ID settings.
   *
   * @param current the key version new public IDs are made with
   * @param checkCharacters check characters at the end of every public ID (0: none)
   * @param length the length of every public ID, prefix included
   */
  public record PublicId(
      String prefix, String alphabet, String current, int checkCharacters, int length) {}

  /** The view of a namespace a node runs ({@code GET /v1/namespaces/{ns}}). */
  public static DefinitionView of(NamespaceConfig config) {
    return of(config.definition(), config.layout(), null, null);
  }

  /**
   * The view of {@code definition}; {@code layout} is the snowflake layout built from it (null for
   * other strategies), for the derived {@code exhaustedAt}.
   */
  public static DefinitionView of(
      NamespaceDefinition definition, SnowflakeLayout layout, Long revision, Boolean issued) {
    Snowflake snowflake = null;
    Segment segment = null;
    Uuid7 uuid7 = null;
    Pattern pattern = null;
    if (definition instanceof NamespaceDefinition.Snowflake s) {
      NamespaceDefinition.SnowflakeSettings settings = s.settings();
      snowflake =
          new Snowflake(
              settings.preset(),
              settings.timestampBits(),
              settings.workerBits(),
              settings.sequenceBits(),
              settings.epoch().toString(),
              settings.timeUnit().symbol(),
              layout == null ? null : layout.exhaustedAt().toString(),
              settings.maxBorrow().toMillis(),
              settings.maxBackward().toMillis(),
              settings.randomSequenceStart());
    } else if (definition instanceof NamespaceDefinition.Segment s) {
      segment = segment(s.settings());
    } else if (definition instanceof NamespaceDefinition.Uuid7 u) {
      NamespaceDefinition.Uuid7Settings settings = u.settings();
      uuid7 =
          new Uuid7(
              settings.workerBits(),
              settings.sequenceBits(),
              settings.maxBorrow().toMillis(),
              settings.maxBackward().toMillis());
    } else if (definition instanceof NamespaceDefinition.Pattern p) {
      pattern =
          new Pattern(
              p.pattern().template(), p.pattern().period().symbol(), p.pattern().zone().getId());
      segment = segment(p.segment());
    }
    NamespaceDefinition.PublicIdSpec spec = definition.publicId();
    PublicId publicId =
        spec == null
            ? null
            : new PublicId(
                spec.prefix(),
                spec.alphabet().configName(),
                String.valueOf(spec.currentVersion()),
                spec.checkCharacters(),
                spec.length());
    return new DefinitionView(
        definition.name(),
        definition.strategy().id(),
        snowflake,
        segment,
        uuid7,
        pattern,
        publicId,
        revision,
        issued,
        null,
        null);
  }

  private static Segment segment(NamespaceDefinition.SegmentSettings settings) {
    return new Segment(
        settings.step(),
        settings.minStep(),
        settings.maxStep(),
        settings.loadFactor(),
        settings.bufferDuration().toMillis() / 1000.0,
        settings.threadChunk());
  }

  /** The admin API's view of a registry entry that this node cannot use, and why. */
  public static DefinitionView unusable(
      String name, long revision, boolean issued, String problem, String stored) {
    return new DefinitionView(
        name, null, null, null, null, null, null, revision, issued, problem, stored);
  }
}
