package dev.idmint.core.coordinator;

import dev.idmint.core.Durations;
import dev.idmint.core.InvalidConfigurationException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the {@code coordinator.options} map of any engine, so every coordinator refuses the same
 * mistakes with the same words and reads durations in the one grammar of {@link Durations} ({@code
 * 500ms}, {@code 2s}, {@code 1m}).
 *
 * <p>An engine names the keys it knows. A duration key may also be accepted under its old name with
 * {@code -ms} and a whole number of milliseconds ({@code connect-timeout-ms: 1000}), for one
 * release: such a key works, and its first use in this JVM logs a warning that names the new key.
 * Every problem (an unknown key, a value that is missing or unreadable, a key given under both
 * names) is collected in {@link #problems()}, never thrown one at a time.
 */
public final class CoordinatorOptions {
  private static final System.Logger LOG = System.getLogger(CoordinatorOptions.class.getName());
  private static final String MILLIS_SUFFIX = "-ms";
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> writtenAs = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private CoordinatorOptions() {}

  /**
   * Reads {@code options} against the keys an engine knows.
   *
   * @param options the options as configured; null means none
   * @param known every key the engine reads, in the order its documentation lists them
   * @param millisTwins the duration keys among {@code known} also accepted, deprecated, as {@code
   *     <key>-ms} with a whole number of milliseconds
   */
  public static CoordinatorOptions read(
      Map<String, String> options, List<String> known, Set<String> millisTwins) {
    CoordinatorOptions read = new CoordinatorOptions();
    if (options != null) {
      options.forEach((key, value) -> read.accept(key, value, known, millisTwins));
    }
    return read;
  }

  private void accept(String key, String value, List<String> known, Set<String> millisTwins) {
    String name = key;
    boolean millis = false;
    if (key != null && key.endsWith(MILLIS_SUFFIX)) {
      String twin = key.substring(0, key.length() - MILLIS_SUFFIX.length());
      if (millisTwins.contains(twin)) {
        name = twin;
        millis = true;
      }
    }
    if (name == null || !known.contains(name)) {
      problems.add("unknown option '" + key + "'; known: " + String.join(", ", known));
      return;
    }
    if (value == null) {
      problems.add("option '" + key + "' has no value");
      return;
    }
    if (writtenAs.containsKey(name)) {
      problems.add(
          "option "
              + name
              + " is given twice, as "
              + name
              + " and as "
              + name
              + MILLIS_SUFFIX
              + "; keep "
              + name);
      return;
    }
    writtenAs.put(name, key);
    if (!millis) {
      values.put(name, value);
      return;
    }
    warnOnce(key, name);
    String digits = value.strip();
    if (!digits.matches("[0-9]{1,18}")) {
      problems.add(key + " must be a whole number of milliseconds: " + key + "=" + value);
      return;
    }
    values.put(name, digits + "ms");
  }

  /** Logs once per JVM that {@code old} is deprecated; true when this call logged. */
  static boolean warnOnce(String old, String name) {
    if (!WARNED.add(old)) {
      return false;
    }
    LOG.log(
        Level.WARNING,
        "coordinator option {0} is deprecated and will be removed in the next release; write {1}"
            + " with a unit instead, e.g. {1}: 2s",
        old,
        name);
    return true;
  }

  /** Whether {@code key} was given (under its own name or its deprecated {@code -ms} twin). */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /**
   * The key as the configuration wrote it ({@code connect-timeout-ms} for the deprecated twin), for
   * messages about its value; {@code key} itself when it was not given.
   */
  public String writtenAs(String key) {
    return writtenAs.getOrDefault(key, key);
  }

  /** The value of {@code key} as written, or {@code fallback} when not given. */
  public String text(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /**
   * The value of {@code key} in the grammar of {@link Durations}, or {@code fallback} when not
   * given, or (after adding a problem that names the key) when unreadable.
   */
  public Duration duration(String key, Duration fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    Duration parsed = Durations.parse(value).orElse(null);
    if (parsed == null) {
      problems.add(key + " must be " + Durations.EXPECTED + ": " + key + "=" + value);
      return fallback;
    }
    return parsed;
  }

  /**
   * The value of {@code key} as a whole number, or {@code fallback} when not given, or (after
   * adding a problem that names the key) when unreadable.
   */
  public int integer(String key, int fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number: " + key + "=" + value);
      return fallback;
    }
  }

  /** Every problem found so far, in the order met. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * @throws InvalidConfigurationException naming {@code subject} and every problem, if there is one
   */
  public void requireValid(String subject) {
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(subject, problems);
    }
  }
}
