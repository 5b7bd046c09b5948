package dev.idmint.core.pattern;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.internal.Symbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * How often a business number's sequence starts again at 1: every day, month or year in the
 * pattern's time zone, or never. Ordered from the finest to the coarsest.
 *
 * <p>A period is named by a label ({@code 20261201}, {@code 202612}, {@code 2026}, {@code all}):
 * digits only (or {@code all}), so that {@code namespace--label} is a valid segment key and labels
 * of different periods never look alike. Boundaries are the start of the local day, month or year,
 * so a day that a daylight-saving change makes 23 or 25 hours long is still one period.
 */
public enum Period {
  DAY("day"),
  MONTH("month"),
  YEAR("year"),
  NEVER("never");

  private final String symbol;

  Period(String symbol) {
    this.symbol = symbol;
  }

  /** The name used in configuration: {@code day}, {@code month}, {@code year} or {@code never}. */
  public String symbol() {
    return symbol;
  }

  /** True when this period resets more often than {@code other}. */
  public boolean finerThan(Period other) {
    return ordinal() < other.ordinal();
  }

  /** The label of the period that contains {@code at} in {@code zone}. */
  public String label(Instant at, ZoneId zone) {
    return this == NEVER ? "all" : label(LocalDate.ofInstant(at, zone));
  }

  /** The label of the period that contains the local {@code date}. */
  String label(LocalDate date) {
    return switch (this) {
      case DAY ->
          String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
      case MONTH -> String.format("%04d%02d", date.getYear(), date.getMonthValue());
      case YEAR -> String.format("%04d", date.getYear());
      case NEVER -> "all";
    };
  }

  /** The first instant of the period that contains {@code at}; {@link Instant#MIN} for never. */
  public Instant start(Instant at, ZoneId zone) {
    if (this == NEVER) {
      return Instant.MIN;
    }
    return first(LocalDate.ofInstant(at, zone)).atStartOfDay(zone).toInstant();
  }

  /** The first instant after the period that contains {@code at}; {@link Instant#MAX} for never. */
  public Instant end(Instant at, ZoneId zone) {
    if (this == NEVER) {
      return Instant.MAX;
    }
    LocalDate first = first(LocalDate.ofInstant(at, zone));
    LocalDate next =
        switch (this) {
          case DAY -> first.plusDays(1);
          case MONTH -> first.plusMonths(1);
          default -> first.plusYears(1);
        };
    return next.atStartOfDay(zone).toInstant();
  }

  private LocalDate first(LocalDate date) {
    return switch (this) {
      case DAY -> date;
      case MONTH -> date.withDayOfMonth(1);
      default -> date.withDayOfYear(1);
    };
  }

  /**
   * Parses a configuration name.
   *
   * @throws InvalidConfigurationException naming the accepted values
   */
  public static Period fromSymbol(String symbol) {
    return Symbols.parse("number pattern", "period", "period", values(), Period::symbol, symbol);
  }
}
