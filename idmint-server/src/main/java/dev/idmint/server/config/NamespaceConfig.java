package dev.idmint.server.config;

import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.time.Duration;

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
 */
public record NamespaceConfig(
    String name,
    Strategy strategy,
    SnowflakeLayout layout,
    Duration maxBorrow,
    Duration maxBackward,
    boolean randomSequenceStart,
    SegmentConfig segment,
    PublicIdCodec publicIds) {}
