package dev.idmint.core;

import java.util.regex.Pattern;

/**
 * A namespace's name, {@code [a-z][a-z0-9_-]{0,62}}: the one place that rule and its message live.
 * Core, the server (configuration, admin API) and the Java client all check names here, so a name
 * one accepts the others accept, and a refusal reads the same everywhere:
 *
 * <pre>namespace must match [a-z][a-z0-9_-]{0,62}: "Order"</pre>
 *
 * <p>Callers whose contract already names an exception type ({@code IllegalArgumentException} in a
 * store, the client's {@code IdMintInvalidArgumentException}, the service's 400) test {@link
 * #isValid} and throw theirs with {@link #problem}; others construct a {@code NamespaceName}.
 *
 * @param value the name itself
 */
public record NamespaceName(String value) {
  /** The rule, as a regular expression. */
  public static final String PATTERN = "[a-z][a-z0-9_-]{0,62}";

  private static final Pattern NAME = Pattern.compile(PATTERN);
  private static final int SHOWN_CHARACTERS = 64;

  /**
   * @throws InvalidNamespaceNameException if {@code value} is null or does not match {@link
   *     #PATTERN}
   */
  public NamespaceName {
    if (!isValid(value)) {
      throw new InvalidNamespaceNameException(problem(value));
    }
  }

  /** As the constructor. */
  public static NamespaceName of(String value) {
    return new NamespaceName(value);
  }

  /** True when {@code name} is not null and matches {@link #PATTERN}. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * The one message for a name {@link #isValid} refuses: {@code namespace must match
   * [a-z][a-z0-9_-]{0,62}: "Order"}. The name is quoted ({@code null} unquoted) and cut to its
   * first 61 characters and {@code ...} beyond 64, so an oversized input never floods a log.
   */
  public static String problem(String name) {
    return "namespace must match " + PATTERN + ": " + shown(name);
  }

  private static String shown(String name) {
    if (name == null) {
      return "null";
    }
    String cut =
        name.length() <= SHOWN_CHARACTERS ? name : name.substring(0, SHOWN_CHARACTERS - 3) + "...";
    return "\"" + cut + "\"";
  }

  @Override
  public String toString() {
    return value;
  }
}
