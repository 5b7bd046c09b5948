package dev.idmint.server.config;

import java.util.Locale;

/** How a namespace's raw IDs are made. */
public enum Strategy {
  SNOWFLAKE,
  SEGMENT;

  /** The lower-case name used in configuration and in the API. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
