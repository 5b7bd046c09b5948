package dev.idmint.server.config;

import java.util.Locale;

/**
 * How a namespace's IDs are made. Snowflake and segment namespaces issue raw IDs (positive longs);
 * uuid7 namespaces issue RFC 9562 UUIDs and pattern namespaces business numbers, both as text.
 */
public enum Strategy {
  SNOWFLAKE,
  SEGMENT,
  UUID7,
  PATTERN;

  /** The names accepted in configuration, for error messages: {@code snowflake, segment, …}. */
  public static final String NAMES = "snowflake, segment, uuid7 or pattern";

  /** True for the strategies whose IDs are text (uuid7, pattern) rather than raw longs. */
  public boolean textual() {
    return this == UUID7 || this == PATTERN;
  }

  /** True for the strategies that need this node's worker lease (snowflake, uuid7). */
  public boolean leased() {
    return this == SNOWFLAKE || this == UUID7;
  }

  /** The lower-case name used in configuration and in the API. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
