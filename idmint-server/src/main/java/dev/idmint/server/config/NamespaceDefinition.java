package dev.idmint.server.config;

import dev.idmint.core.Clock;
import dev.idmint.core.publicid.PublicIdAlphabet;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.core.snowflake.TickUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a namespace is, as every node must agree on it: the strategy with its settings and the
 * keyless public-ID spec. Immutable, with every default resolved, so two definitions are the same
 * exactly when they are {@code equals}. The YAML file ({@link ConfigLoader}) and the registry's
 * JSON ({@code node.Definition}) both read into it through {@link DefinitionReader}; nothing
 * node-local (keys, {@code min-remaining}, {@code await-timeout}) is part of it.
 *
 * <p>{@link #unsafeChangesTo} is the one place that decides what may change on a namespace that has
 * issued IDs.
 */
public sealed interface NamespaceDefinition
    permits NamespaceDefinition.Snowflake, NamespaceDefinition.Segment {

  String name();

  Strategy strategy();

  /** The public-ID spec, or null when the namespace has no public IDs. */
  PublicIdSpec publicId();

  /** This definition without its public-ID spec. */
  NamespaceDefinition withoutPublicId();

  /**
   * A snowflake namespace.
   *
   * @param publicId the public-ID spec, or null
   */
  record Snowflake(String name, SnowflakeSettings settings, PublicIdSpec publicId)
      implements NamespaceDefinition {
    public Snowflake {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Strategy strategy() {
      return Strategy.SNOWFLAKE;
    }

    @Override
    public Snowflake withoutPublicId() {
      return new Snowflake(name, settings, null);
    }
  }

  /**
   * A segment namespace.
   *
   * @param publicId the public-ID spec, or null
   */
  record Segment(String name, SegmentSettings settings, PublicIdSpec publicId)
      implements NamespaceDefinition {
    public Segment {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Strategy strategy() {
      return Strategy.SEGMENT;
    }

    @Override
    public Segment withoutPublicId() {
      return new Segment(name, settings, null);
    }
  }

  /**
   * A snowflake namespace's layout and generator settings.
   *
   * @param maxBorrow bounded time borrowing
   * @param maxBackward the largest backward clock step waited out
   */
  record SnowflakeSettings(
      int timestampBits,
      int workerBits,
      int sequenceBits,
      Instant epoch,
      TickUnit timeUnit,
      Duration maxBorrow,
      Duration maxBackward,
      boolean randomSequenceStart) {

    /** The bit widths as shown in differences, {@code 41/10/12}. */
    public String bits() {
      return timestampBits + "/" + workerBits + "/" + sequenceBits;
    }

    /**
     * The layout, checked for at least {@code minRemaining} of lifetime (null: the default).
     *
     * @throws dev.idmint.core.InvalidConfigurationException listing every problem
     */
    public SnowflakeLayout layout(Clock clock, Duration minRemaining) {
      SnowflakeLayout.Builder builder =
          SnowflakeLayout.builder()
              .clock(clock)
              .timestampBits(timestampBits)
              .workerBits(workerBits)
              .sequenceBits(sequenceBits)
              .epoch(epoch)
              .tickUnit(timeUnit);
      if (minRemaining != null) {
        builder.minRemaining(minRemaining);
      }
      return builder.build();
    }
  }

  /**
   * A segment namespace's buffer sizing (see {@link SegmentConfig}).
   *
   * @param bufferDuration how long one buffer should last; any whole number of milliseconds
   */
  record SegmentSettings(
      long step,
      long minStep,
      long maxStep,
      double loadFactor,
      Duration bufferDuration,
      int threadChunk) {

    /**
     * The core configuration, with this node's wait limit (null: the default).
     *
     * @throws dev.idmint.core.InvalidConfigurationException listing every problem
     */
    public SegmentConfig config(Duration awaitTimeout) {
      SegmentConfig.Builder builder =
          SegmentConfig.builder()
              .initialStep(step)
              .minStep(minStep)
              .maxStep(maxStep)
              .loadFactor(loadFactor)
              .bufferDuration(bufferDuration)
              .threadChunk(threadChunk);
      if (awaitTimeout != null) {
        builder.awaitTimeout(awaitTimeout);
      }
      return builder.build();
    }
  }

  /**
   * How public IDs look, without key material: everything but the keys that decides the string a
   * raw ID becomes. Checked once in {@link #check(String)}.
   *
   * @param currentVersion the key version that encodes
   */
  record PublicIdSpec(
      String prefix, PublicIdAlphabet alphabet, int checkCharacters, char currentVersion) {

    /** The problems of this spec for namespace {@code name}, without looking at any key. */
    public static List<String> problems(
        String name, String prefix, String alphabet, String current, int checkCharacters) {
      return builder(name, prefix, alphabet, current, checkCharacters).problemsWithoutKeys();
    }

    private static PublicIdCodec.Builder builder(
        String name, String prefix, String alphabet, String current, int checkCharacters) {
      PublicIdCodec.Builder builder =
          PublicIdCodec.builder().namespace(name).prefix(prefix).current(current);
      if (alphabet != null) {
        builder.alphabet(alphabet);
      }
      return builder.checkCharacters(checkCharacters);
    }

    /** A codec builder holding this spec; add the keys and build. */
    public PublicIdCodec.Builder codec(String name) {
      return builder(
          name, prefix, alphabet.configName(), String.valueOf(currentVersion), checkCharacters);
    }

    /** The length of every public ID of this spec. */
    public int length() {
      return PublicIdCodec.length(prefix, alphabet, checkCharacters);
    }
  }

  /**
   * One field whose value differs.
   *
   * @param field what differs, e.g. {@code layout}
   * @param from the value on the left (local, or before the change)
   * @param to the value on the right (the registry's, or after the change)
   */
  record Difference(String field, String from, String to) {}

  /**
   * The changes from this definition to {@code other} that could repeat an ID already issued or
   * orphan a public ID already handed out: strategy, layout bits, epoch, time unit, and (where this
   * definition has public IDs) the prefix, alphabet and check characters. Empty when every such
   * field agrees; everything else may change while nodes run. Each difference names the field with
   * both values ({@code layout 41/10/12 → 41/8/14}).
   */
  default List<Difference> unsafeChangesTo(NamespaceDefinition other) {
    List<Difference> out = new ArrayList<>();
    compare(out, "strategy", strategy().id(), other.strategy().id());
    SnowflakeSettings a = this instanceof Snowflake s ? s.settings() : null;
    SnowflakeSettings b = other instanceof Snowflake s ? s.settings() : null;
    compare(out, "layout", a == null ? null : a.bits(), b == null ? null : b.bits());
    compare(
        out,
        "epoch",
        a == null ? null : a.epoch().toString(),
        b == null ? null : b.epoch().toString());
    compare(
        out,
        "time unit",
        a == null ? null : a.timeUnit().symbol(),
        b == null ? null : b.timeUnit().symbol());
    PublicIdSpec p = publicId();
    PublicIdSpec q = other.publicId();
    if (p != null) {
      compare(out, "public-ID prefix", p.prefix(), q == null ? null : q.prefix());
      compare(
          out,
          "public-ID alphabet",
          p.alphabet().configName(),
          q == null ? null : q.alphabet().configName());
      compare(
          out,
          "public-ID check characters",
          String.valueOf(p.checkCharacters()),
          q == null ? null : String.valueOf(q.checkCharacters()));
    }
    return out;
  }

  private static void compare(List<Difference> out, String field, String from, String to) {
    if (!Objects.equals(from, to)) {
      out.add(new Difference(field, from == null ? "none" : from, to == null ? "none" : to));
    }
  }
}
