package dev.idmint.client;

import java.util.List;

/**
 * {@link IdMintClientBuilder#build()} found problems; all of them are listed, not just the first.
 */
public final class IdMintConfigurationException extends IdMintException {
  private final List<String> problems;

  IdMintConfigurationException(List<String> problems) {
    super(
        "invalid idmint client configuration ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each naming the option and the offending value. */
  public List<String> problems() {
    return problems;
  }
}
