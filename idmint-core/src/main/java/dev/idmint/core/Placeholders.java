package dev.idmint.core;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one {@code ${VAR}} grammar of idmint's configuration: {@code ${NAME}} stands for the
 * environment variable {@code NAME}, a portable environment variable name ({@code
 * [A-Za-z_][A-Za-z0-9_]*}, as a POSIX shell can set it). Nothing else is a placeholder: no
 * defaults, no nesting, no escapes; {@code ${a.b}} is left as written.
 */
public final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private Placeholders() {}

  /**
   * {@code text} with every {@code ${NAME}} replaced by {@code lookup.apply(NAME)}. A name the
   * lookup has no value for (null) is passed to {@code missing} and replaced by the empty string,
   * so the caller reports it rather than using the text as if it were complete.
   */
  public static String resolve(
      String text, Function<String, String> lookup, Consumer<String> missing) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = lookup.apply(name);
      if (value == null) {
        missing.accept(name);
        value = "";
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * The variable's name when {@code text} (ignoring surrounding white space) is one placeholder and
   * nothing else, e.g. a key that reached a builder unresolved; empty otherwise.
   */
  public static Optional<String> unresolved(String text) {
    Matcher matcher = PLACEHOLDER.matcher(text.strip());
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
