package dev.idmint.server.config;

import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.time.Duration;
import java.util.Map;

/**
 * One namespace as configured.
 *
 * @param name the namespace name, {@code [a-z][a-z0-9_-]{0,62}}
 * @param strategy snowflake or segment
 * @param layout the snowflake layout (snowflake only)
 * @param maxBorrow bounded time borrowing (snowflake only)
 * @param maxBackward the largest backward clock step waited out (snowflake only)
 * @param randomSequenceStart random start of each tick's sequence (snowflake only)
 * @param segment buffer sizing (segment only)
 * @param publicIds the public-ID codec, or {@code null} when the namespace has none
 * @param local the settings that stay on this node and never go into the registry
 */
public record NamespaceConfig(
    String name,
    Strategy strategy,
    SnowflakeLayout layout,
    Duration maxBorrow,
    Duration maxBackward,
    boolean randomSequenceStart,
    SegmentConfig segment,
    PublicIdCodec publicIds,
    Local local) {

  /**
   * The largest {@code max-backward}: a request waits out a wall-clock step back up to this long,
   * on whichever thread it runs (the event loop for snowflake IDs), so it must stay short.
   */
  public static final Duration MAX_BACKWARD_CEILING = Duration.ofMillis(100);

  /**
   * What a node keeps to itself: key material and node-local limits.
   *
   * @param minRemaining the least lifetime a snowflake layout must have left, or null for the
   *     default
   * @param awaitTimeout how long a segment caller waits for a buffer, or null for the default
   * @param publicIdKeys public-ID keys by version (hex); never shown, never in the registry
   * @param checkCharacters public-ID check characters, or null for the default
   */
  public record Local(
      Duration minRemaining,
      Duration awaitTimeout,
      Map<String, String> publicIdKeys,
      Integer checkCharacters) {
    public static final Local NONE = new Local(null, null, Map.of(), null);

    @Override
    public String toString() {
      return "Local[minRemaining="
          + minRemaining
          + ", awaitTimeout="
          + awaitTimeout
          + ", publicIdKeys="
          + publicIdKeys.keySet()
          + " (values hidden), checkCharacters="
          + checkCharacters
          + "]";
    }
  }
}
