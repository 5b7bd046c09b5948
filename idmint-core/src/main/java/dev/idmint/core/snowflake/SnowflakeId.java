package dev.idmint.core.snowflake;

import java.time.Instant;

/**
 * A raw snowflake ID taken apart.
 *
 * @param id the raw ID
 * @param tick the timestamp field, in ticks since the layout's epoch
 * @param timestampMillis the start of that tick, in milliseconds since the Unix epoch
 * @param worker the worker field
 * @param sequence the sequence field
 */
public record SnowflakeId(long id, long tick, long timestampMillis, int worker, int sequence) {

  /** The start of the tick the ID was issued in. */
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }
}
