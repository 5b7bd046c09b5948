package dev.idmint.server.config;

import dev.idmint.core.Clock;
import dev.idmint.core.pattern.NumberPattern;
import dev.idmint.core.pattern.PatternNumberGenerator;
import dev.idmint.core.publicid.PublicIdAlphabet;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.core.snowflake.TickUnit;
import dev.idmint.core.uuid7.Uuid7Layout;
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
 *
 * <p>Four kinds: snowflake and segment issue raw IDs (and may have public IDs); uuid7 issues RFC
 * 9562 UUIDs over a snowflake layout that the definition derives from its worker and sequence bits
 * ({@link Uuid7Settings#layout}); pattern issues business numbers from a {@link NumberPattern}, one
 * segment counter per period, sized by its segment settings. uuid7 and pattern have no public IDs.
 */
public sealed interface NamespaceDefinition
    permits NamespaceDefinition.Snowflake,
        NamespaceDefinition.Segment,
        NamespaceDefinition.Uuid7,
        NamespaceDefinition.Pattern {

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

  /** A uuid7 namespace: RFC 9562 UUIDv7s with the worker number in the bits after the counter. */
  record Uuid7(String name, Uuid7Settings settings) implements NamespaceDefinition {
    public Uuid7 {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Strategy strategy() {
      return Strategy.UUID7;
    }

    @Override
    public PublicIdSpec publicId() {
      return null;
    }

    @Override
    public Uuid7 withoutPublicId() {
      return this;
    }
  }

  /**
   * A pattern namespace: business numbers such as {@code ORD-20261201-000042}.
   *
   * @param pattern the template with its time zone and period (reset), all resolved
   * @param segment the sizing of each period's segment counter
   */
  record Pattern(String name, NumberPattern pattern, SegmentSettings segment)
      implements NamespaceDefinition {
    public Pattern {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(segment, "segment");
    }

    @Override
    public Strategy strategy() {
      return Strategy.PATTERN;
    }

    @Override
    public PublicIdSpec publicId() {
      return null;
    }

    @Override
    public Pattern withoutPublicId() {
      return this;
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
     * The preset whose widths and time unit these are ({@code default}, {@code js-safe}), or {@code
     * custom}: what the API shows as {@code layout}. Derived, never stored, so definitions written
     * before presets existed read the same.
     */
    public String preset() {
      for (SnowflakeLayout.Preset preset : SnowflakeLayout.Preset.values()) {
        SnowflakeLayout shape = preset.builder().minRemaining(Duration.ZERO).build();
        if (shape.timestampBits() == timestampBits
            && shape.workerBits() == workerBits
            && shape.sequenceBits() == sequenceBits
            && shape.tickUnit() == timeUnit) {
          return preset.symbol();
        }
      }
      return CUSTOM_LAYOUT;
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

  /** The {@code layout} shown for widths that match no preset; accepted on input as "no preset". */
  String CUSTOM_LAYOUT = "custom";

  /**
   * A uuid7 namespace's settings: the widths of the worker number and of the counter within a
   * millisecond, and the snowflake generator's limits (they mean the same).
   *
   * @param maxBorrow how far the timestamp may run ahead of the clock on counter overflow
   * @param maxBackward the largest backward clock step waited out
   */
  record Uuid7Settings(int workerBits, int sequenceBits, Duration maxBorrow, Duration maxBackward) {
    /**
     * The most timestamp bits a uuid7 layout gets: 2^47 ms from the default epoch still ends long
     * before the 48 bits of Unix milliseconds of the UUID do (year 6485 against 10889).
     */
    public static final int MAX_TIMESTAMP_BITS = 47;

    /** The widths as shown in differences, {@code 10/12} (worker/sequence). */
    public String bits() {
      return workerBits + "/" + sequenceBits;
    }

    /**
     * The UUID layout: a millisecond snowflake layout from the default epoch with the timestamp
     * bits left over by worker and sequence (at most {@link #MAX_TIMESTAMP_BITS}), checked for at
     * least {@code minRemaining} of lifetime (null: the default). With 10/12 it runs out in 2094,
     * like the default snowflake layout.
     *
     * @throws dev.idmint.core.InvalidConfigurationException listing every problem
     */
    public Uuid7Layout layout(Clock clock, Duration minRemaining) {
      SnowflakeLayout.Builder builder =
          SnowflakeLayout.builder()
              .clock(clock)
              .timestampBits(
                  Math.max(1, Math.min(MAX_TIMESTAMP_BITS, 63 - workerBits - sequenceBits)))
              .workerBits(workerBits)
              .sequenceBits(sequenceBits)
              .tickUnit(TickUnit.MILLISECONDS);
      if (minRemaining != null) {
        builder.minRemaining(minRemaining);
      }
      return Uuid7Layout.of(builder.build());
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
   * orphan a public ID already handed out: strategy, layout bits, epoch, time unit, (uuid7) the
   * worker and sequence bits, (pattern) the template, sequence width, period and time zone ({@link
   * NumberPattern#unsafeChangesTo}), and (where this definition has public IDs) the prefix,
   * alphabet and check characters. Empty when every such field agrees; everything else may change
   * while nodes run (a pattern's segment sizing, a uuid7's borrowing). Each difference names the
   * field with both values ({@code layout 41/10/12 → 41/8/14}).
   */
  default List<Difference> unsafeChangesTo(NamespaceDefinition other) {
    List<Difference> out = new ArrayList<>();
    compare(out, "strategy", strategy().id(), other.strategy().id());
    if (this instanceof Uuid7 u && other instanceof Uuid7 v) {
      compare(out, "uuid7 bits", u.settings().bits(), v.settings().bits());
    }
    if (this instanceof Pattern p && other instanceof Pattern q) {
      for (NumberPattern.Change change : p.pattern().unsafeChangesTo(q.pattern())) {
        out.add(new Difference(change.field(), change.from(), change.to()));
      }
    }
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

  /**
   * Why the name of a pattern namespace cannot be used: too long for its period keys ({@code
   * name--20261201}) to fit a segment key. Null when it can.
   */
  static String patternNameProblem(String name) {
    if (name.length() <= PatternNumberGenerator.MAX_NAMESPACE_LENGTH) {
      return null;
    }
    return "a pattern namespace name has at most "
        + PatternNumberGenerator.MAX_NAMESPACE_LENGTH
        + " characters (its period counters are kept under <name>--<period>, at most 63): "
        + name
        + " has "
        + name.length();
  }

  /**
   * Why namespaces {@code a} and {@code b} cannot both exist: one is a pattern namespace whose
   * period counters ({@code <pattern>--<period>}) could share a segment key with the other. Null
   * when they can. The one place this rule is decided (the YAML loader, the admin API and the
   * node's seeding all ask here).
   */
  static String collision(NamespaceDefinition a, NamespaceDefinition b) {
    for (NamespaceDefinition[] pair :
        new NamespaceDefinition[][] {new NamespaceDefinition[] {a, b}, {b, a}}) {
      if (pair[0] instanceof Pattern
          && PatternNumberGenerator.claimsName(pair[0].name(), pair[1].name())) {
        return "namespace "
            + pair[1].name()
            + " would share the period counters of pattern namespace "
            + pair[0].name()
            + " (they are kept under "
            + pair[0].name()
            + "--<period>); choose a name that does not start with "
            + pair[0].name()
            + "--";
      }
    }
    return null;
  }

  private static void compare(List<Difference> out, String field, String from, String to) {
    if (!Objects.equals(from, to)) {
      out.add(new Difference(field, from == null ? "none" : from, to == null ? "none" : to));
    }
  }
}
