/**
 * Worker leases and segments on Redis, through Lettuce.
 *
 * <p>The public API is small: {@link dev.idmint.redis.RedisCoordinatorProvider}, which {@link
 * dev.idmint.core.coordinator.Coordinators#open} finds for {@code redis://} and {@code rediss://}
 * URLs, and {@link dev.idmint.redis.RedisCoordinator} for programmatic use. Everything else is
 * package-private.
 *
 * <p>Redis is the weakest coordinator idmint supports: its replication is asynchronous, so a
 * failover can lose acknowledged claims, horizons and segment counters. See this module's README.md
 * before relying on it across a failover.
 */
package dev.idmint.redis;
