package dev.idmint.core.pattern;

import dev.idmint.core.IdMintException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A business-number template was refused. Carries every problem found, each with the position in
 * the template (0-based character index) where it was found.
 */
public final class InvalidPatternException extends IdMintException {
  private final String template;
  private final List<Problem> problems;

  InvalidPatternException(String template, List<Problem> problems) {
    super(format(template, problems));
    this.template = template;
    this.problems = List.copyOf(problems);
  }

  /** The template as given. */
  public String template() {
    return template;
  }

  /** Every problem found, in template order. */
  public List<Problem> problems() {
    return problems;
  }

  /** The position of the first problem. */
  public int position() {
    return problems.get(0).position();
  }

  /**
   * One problem.
   *
   * @param position the 0-based index in the template where it was found
   * @param message what is wrong and how to fix it
   */
  public record Problem(int position, String message) {
    @Override
    public String toString() {
      return message + " (at position " + position + ")";
    }
  }

  private static String format(String template, List<Problem> problems) {
    return "invalid number template \""
        + template
        + "\": "
        + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
  }
}
