package dev.idmint.client;

/**
 * What a caller asked a node for, and what kind of IDs a namespace's answer carried.
 *
 * <p>A {@code NextIds} request does not say what the caller wants: the node answers in its
 * namespace's own kind (numeric {@code ids} for snowflake and segment, {@code uuids} for uuid7,
 * {@code numbers} for pattern). The client compares that with the method called and refuses a
 * mismatch with {@link IdMintStrategyMismatchException}, so that no value of the wrong kind is ever
 * passed off as the one asked for.
 */
enum Kind {
  /** {@code nextId}, {@code nextIds}: a numeric answer's {@code ids}. */
  RAW("nextId or nextIds", "snowflake or segment", "numeric IDs (long)"),
  /** {@code nextPublicId}: a numeric answer's {@code public_ids}. */
  PUBLIC("nextPublicId", "snowflake or segment", "numeric IDs (long)"),
  /** {@code nextUuid}, {@code nextUuids}: the {@code uuids} of a uuid7 namespace. */
  UUID("nextUuid or nextUuids", "uuid7", "UUIDs"),
  /** {@code nextNumber}, {@code nextNumbers}: the {@code numbers} of a pattern namespace. */
  NUMBER("nextNumber or nextNumbers", "pattern", "business numbers (strings)");

  /** The client methods that serve this kind. */
  final String methods;

  /** The namespace strategy (or strategies) whose answers carry this kind. */
  final String strategy;

  /** What such a namespace issues, for messages. */
  final String issues;

  Kind(String methods, String strategy, String issues) {
    this.methods = methods;
    this.strategy = strategy;
    this.issues = issues;
  }

  /** Whether an answer of kind {@code answered} (RAW, UUID or NUMBER) serves this request. */
  boolean servedBy(Kind answered) {
    return this == answered || (this == PUBLIC && answered == RAW);
  }
}
