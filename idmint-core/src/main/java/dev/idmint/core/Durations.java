package dev.idmint.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of idmint's configuration: the server's file, every coordinator's
 * options and the tools. A whole number and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or
 * {@code d} ({@code 500ms}, {@code 2s}, {@code 1m}; a space between them and upper case are
 * tolerated), or an ISO-8601 duration ({@code PT2S}).
 */
public final class Durations {
  /** What a refusal says is expected: {@code must be } + this. */
  public static final String EXPECTED = "a duration such as 2s, 500ms or PT2S";

  private static final Pattern AMOUNT_AND_UNIT =
      Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private Durations() {}

  /**
   * {@code text} as a duration, or empty if it is not one (or too large for {@link Duration}).
   * Negative and zero durations are returned as written; the caller decides what it accepts.
   */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String value = text.strip();
    Matcher matcher = AMOUNT_AND_UNIT.matcher(value);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(
            switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            });
      }
      return Optional.of(Duration.parse(value));
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
