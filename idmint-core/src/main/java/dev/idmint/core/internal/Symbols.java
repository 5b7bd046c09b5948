package dev.idmint.core.internal;

import dev.idmint.core.InvalidConfigurationException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one way core maps a configuration name onto an enum constant ({@code ms}, {@code js-safe},
 * {@code day}, {@code luhn}) and words the refusal. Not part of the API.
 */
public final class Symbols {
  private Symbols() {}

  /** The constant whose symbol is {@code symbol}, if any. */
  public static <E> Optional<E> find(E[] values, Function<E, String> symbolOf, String symbol) {
    return Stream.of(values).filter(value -> symbolOf.apply(value).equals(symbol)).findFirst();
  }

  /**
   * The constant whose symbol is {@code symbol}.
   *
   * @param subject what is being configured, e.g. {@code snowflake layout}
   * @param what the value's name in prose, e.g. {@code time unit}
   * @param key the value's configuration key, e.g. {@code time-unit}
   * @throws InvalidConfigurationException naming the accepted symbols and the one given
   */
  public static <E> E parse(
      String subject,
      String what,
      String key,
      E[] values,
      Function<E, String> symbolOf,
      String symbol) {
    return find(values, symbolOf, symbol)
        .orElseThrow(
            () ->
                new InvalidConfigurationException(
                    subject,
                    List.of(
                        what
                            + " must be one of "
                            + Stream.of(values).map(symbolOf).collect(Collectors.joining(", "))
                            + ": "
                            + key
                            + "="
                            + symbol)));
  }
}
