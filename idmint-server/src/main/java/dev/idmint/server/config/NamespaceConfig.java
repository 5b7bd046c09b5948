package dev.idmint.server.config;

import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.core.uuid7.Uuid7Layout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One namespace as this node runs it: the {@link NamespaceDefinition} every node agrees on, the
 * core objects built from it with this node's {@link Local} settings, and those settings.
 *
 * @param definition what the namespace is
 * @param layout the snowflake layout (snowflake; for uuid7 the layout under its UUIDs; else null)
 * @param uuid7 the UUID layout (uuid7 only, else null)
 * @param segment buffer sizing (segment; for pattern each period's counter; else null)
 * @param publicIds the public-ID codec, or {@code null} when the namespace has none
 * @param local the settings that stay on this node and never go into the registry
 */
public record NamespaceConfig(
    NamespaceDefinition definition,
    SnowflakeLayout layout,
    Uuid7Layout uuid7,
    SegmentConfig segment,
    PublicIdCodec publicIds,
    Local local) {

  /**
   * The largest {@code max-backward}: a request waits out a wall-clock step back up to this long,
   * on whichever thread it runs (the event loop for snowflake IDs), so it must stay short.
   */
  public static final Duration MAX_BACKWARD_CEILING = Duration.ofMillis(100);

  /**
   * Builds what {@code definition} runs on with this node's {@code local} settings: the layout
   * (checked for lifetime against {@code clock}), the segment sizing and, where the definition has
   * public IDs, the codec with this node's keys.
   *
   * @throws InvalidConfigurationException listing every problem, each after its block ({@code
   *     snowflake: timestamp bits run out …}, {@code public-id: keys must …})
   */
  public static NamespaceConfig of(NamespaceDefinition definition, Local local, Clock clock) {
    List<String> problems = new ArrayList<>();
    SnowflakeLayout layout = null;
    Uuid7Layout uuid7 = null;
    SegmentConfig segment = null;
    if (definition instanceof NamespaceDefinition.Snowflake s) {
      layout = built(() -> s.settings().layout(clock, local.minRemaining()), "snowflake", problems);
    } else if (definition instanceof NamespaceDefinition.Segment s) {
      segment = built(() -> s.settings().config(local.awaitTimeout()), "segment", problems);
    } else if (definition instanceof NamespaceDefinition.Uuid7 u) {
      uuid7 = built(() -> u.settings().layout(clock, local.minRemaining()), "uuid7", problems);
      layout = uuid7 == null ? null : uuid7.snowflake();
    } else if (definition instanceof NamespaceDefinition.Pattern p) {
      segment = built(() -> p.segment().config(local.awaitTimeout()), "segment", problems);
    }
    PublicIdCodec codec = null;
    if (definition.publicId() != null) {
      codec =
          built(
              () ->
                  definition.publicId().codec(definition.name()).keys(local.publicIdKeys()).build(),
              "public-id",
              problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("namespace " + definition.name(), problems);
    }
    return new NamespaceConfig(definition, layout, uuid7, segment, codec, local);
  }

  private static <T> T built(
      java.util.function.Supplier<T> build, String block, List<String> problems) {
    try {
      return build.get();
    } catch (InvalidConfigurationException e) {
      e.problems().forEach(problem -> problems.add(block + ": " + problem));
      return null;
    }
  }

  public String name() {
    return definition.name();
  }

  public Strategy strategy() {
    return definition.strategy();
  }

  private NamespaceDefinition.SnowflakeSettings snowflake() {
    return definition instanceof NamespaceDefinition.Snowflake s ? s.settings() : null;
  }

  /** The number pattern of a pattern namespace, else null. */
  public dev.idmint.core.pattern.NumberPattern pattern() {
    return definition instanceof NamespaceDefinition.Pattern p ? p.pattern() : null;
  }

  /** Bounded time borrowing (snowflake and uuid7; the default elsewhere). */
  public Duration maxBorrow() {
    if (definition instanceof NamespaceDefinition.Uuid7 u) {
      return u.settings().maxBorrow();
    }
    var s = snowflake();
    return s == null ? SnowflakeGenerator.DEFAULT_MAX_BORROW : s.maxBorrow();
  }

  /** The largest backward clock step waited out (snowflake and uuid7; the default elsewhere). */
  public Duration maxBackward() {
    if (definition instanceof NamespaceDefinition.Uuid7 u) {
      return u.settings().maxBackward();
    }
    var s = snowflake();
    return s == null ? SnowflakeGenerator.DEFAULT_MAX_BACKWARD : s.maxBackward();
  }

  /** Random start of each tick's sequence (snowflake only). */
  public boolean randomSequenceStart() {
    var s = snowflake();
    return s != null && s.randomSequenceStart();
  }

  /**
   * What a node keeps to itself: key material and node-local limits.
   *
   * @param minRemaining the least lifetime a snowflake layout must have left, or null for the
   *     default
   * @param awaitTimeout how long a segment caller waits for a buffer, or null for the default
   * @param publicIdKeys public-ID keys by version (hex); never shown, never in the registry
   */
  public record Local(
      Duration minRemaining, Duration awaitTimeout, Map<String, String> publicIdKeys) {
    public static final Local NONE = new Local(null, null, Map.of());

    @Override
    public String toString() {
      return "Local[minRemaining="
          + minRemaining
          + ", awaitTimeout="
          + awaitTimeout
          + ", publicIdKeys="
          + publicIdKeys.keySet()
          + " (values hidden)]";
    }
  }

  /**
   * How far ahead of the clock a snowflake namespace may borrow on a node: its {@code
   * horizon-ahead} minus its {@code renew-interval}, the part of the reserved horizon a renewal is
   * sure to have extended in time.
   */
  public static Duration borrowRoom(Duration horizonAhead, Duration renewInterval) {
    return horizonAhead.minus(renewInterval);
  }

  /**
   * The borrowing rule, the one place it is decided: a snowflake or uuid7 namespace may not borrow
   * more than {@link #borrowRoom}, or a burst runs into the reserved horizon and is refused.
   *
   * @param field how the caller's input names max-borrow, e.g. {@code snowflake.maxBorrowMillis}
   * @return the problem, naming {@code field}; null when the namespace keeps within the room
   */
  public String borrowProblem(String field, Duration room) {
    if (!strategy().leased() || maxBorrow().compareTo(room) <= 0) {
      return null;
    }
    return field
        + " "
        + maxBorrow().toMillis()
        + " ms exceeds node.lease.horizon-ahead - renew-interval = "
        + room.toMillis()
        + " ms: a burst would run into the reserved horizon and be refused";
  }
}
