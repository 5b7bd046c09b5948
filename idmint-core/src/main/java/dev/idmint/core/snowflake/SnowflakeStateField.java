package dev.idmint.core.snowflake;

/**
 * The one mutable word of a {@link SnowflakeGenerator}, {@code tick << sequenceBits | sequence},
 * between 64 bytes of padding on each side so that compare-and-sets on it do not evict the
 * generator's read-mostly fields (layout, lease source, clock) from other cores' caches.
 */
abstract class SnowflakeStateField extends SnowflakeStatePadBefore {
  @SuppressWarnings("unused") // accessed through SnowflakeGenerator.STATE
  volatile long state;
}
