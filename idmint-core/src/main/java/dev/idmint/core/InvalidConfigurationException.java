package dev.idmint.core;

import java.util.List;

/**
 * A configuration was rejected. Carries every problem found, not only the first, each naming the
 * offending value.
 */
public final class InvalidConfigurationException extends IdMintException {
  private final List<String> problems;

  public InvalidConfigurationException(String subject, List<String> problems) {
    super(format(subject, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order checked. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String subject, List<String> problems) {
    if (problems.size() == 1) {
      return "invalid " + subject + ": " + problems.get(0);
    }
    return "invalid " + subject + ": " + String.join("; ", problems);
  }
}
