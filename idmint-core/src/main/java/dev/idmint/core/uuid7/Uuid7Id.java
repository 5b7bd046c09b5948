package dev.idmint.core.uuid7;

import java.time.Instant;
import java.util.UUID;

/**
 * A UUIDv7 of idmint taken apart.
 *
 * @param uuid the UUID
 * @param timestampMillis its {@code unix_ts_ms}: the millisecond it was issued in (or borrowed)
 * @param worker the worker number of the node that issued it
 * @param counter its counter within that millisecond on that worker
 */
public record Uuid7Id(UUID uuid, long timestampMillis, int worker, int counter) {

  /** The millisecond the UUID was issued in. */
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }
}
