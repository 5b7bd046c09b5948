package dev.idmint.client;

/**
 * A method called on a namespace whose strategy issues another kind of ID: {@code nextId} on a
 * uuid7 or pattern namespace, {@code nextUuid} on a snowflake, segment or pattern namespace, {@code
 * nextNumber} on anything but a pattern namespace. The message names the namespace's strategy and
 * the methods to call instead.
 *
 * <p>The node's answer that revealed the mismatch is thrown away (a gap, never handed out as
 * something it is not). The client then remembers the namespace's kind for its whole life and fails
 * such calls fast, without asking a node: a namespace's strategy cannot change once it has issued,
 * and a misconfigured caller must not eat a pattern namespace's daily sequence one batch per call.
 * Never retried: every node serves one definition.
 */
public final class IdMintStrategyMismatchException extends IdMintRequestException {
  private final String namespace;
  private final String strategy;
  private final String useInstead;

  IdMintStrategyMismatchException(String namespace, Kind answered, Kind called, String endpoint) {
    super(
        "namespace "
            + namespace
            + " is a "
            + answered.strategy
            + " namespace and issues "
            + answered.issues
            + ": call "
            + answered.methods
            + ", not "
            + called.methods,
        endpoint);
    this.namespace = namespace;
    this.strategy = answered.strategy;
    this.useInstead = answered.methods;
  }

  public String namespace() {
    return namespace;
  }

  /**
   * The namespace's strategy as its answer shows it: {@code uuid7}, {@code pattern}, or {@code
   * snowflake or segment} (their answers look alike).
   */
  public String strategy() {
    return strategy;
  }

  /** The client methods that serve this namespace, e.g. {@code nextUuid or nextUuids}. */
  public String useInstead() {
    return useInstead;
  }
}
