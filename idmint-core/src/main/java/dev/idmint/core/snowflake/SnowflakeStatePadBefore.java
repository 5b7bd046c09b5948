package dev.idmint.core.snowflake;

/**
 * Padding in front of {@link SnowflakeStateField#state}: the JVM lays out a superclass's fields
 * before its subclass's, so these 64 bytes keep the object header and whatever precedes the object
 * off the cache line of the state word.
 */
@SuppressWarnings("unused") // padding, never read
abstract class SnowflakeStatePadBefore {
  private long p01;
  private long p02;
  private long p03;
  private long p04;
  private long p05;
  private long p06;
  private long p07;
  private long p08;
}
