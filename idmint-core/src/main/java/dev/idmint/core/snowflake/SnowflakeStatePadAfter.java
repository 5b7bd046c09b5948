package dev.idmint.core.snowflake;

/** Padding behind {@link SnowflakeStateField#state}; see {@link SnowflakeStatePadBefore}. */
@SuppressWarnings("unused") // padding, never read
abstract class SnowflakeStatePadAfter extends SnowflakeStateField {
  private long q01;
  private long q02;
  private long q03;
  private long q04;
  private long q05;
  private long q06;
  private long q07;
  private long q08;
}
