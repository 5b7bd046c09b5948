package dev.idmint.core.snowflake;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.internal.Symbols;

/** The time unit of a snowflake layout's timestamp field. */
public enum TickUnit {
  MILLISECONDS(1, "ms"),
  TEN_MILLISECONDS(10, "10ms"),
  SECONDS(1000, "s");

  private final long millis;
  private final String symbol;

  TickUnit(long millis, String symbol) {
    this.millis = millis;
    this.symbol = symbol;
  }

  /** Length of one tick in milliseconds. */
  public long millis() {
    return millis;
  }

  /** The short name used in configuration: {@code ms}, {@code 10ms} or {@code s}. */
  public String symbol() {
    return symbol;
  }

  /**
   * Parses a configuration symbol ({@code ms}, {@code 10ms}, {@code s}).
   *
   * @throws InvalidConfigurationException naming the accepted values
   */
  public static TickUnit fromSymbol(String symbol) {
    return Symbols.parse(
        "snowflake layout", "time unit", "time-unit", values(), TickUnit::symbol, symbol);
  }
}
