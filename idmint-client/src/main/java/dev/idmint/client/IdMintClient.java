package dev.idmint.client;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A client of one or more idmint nodes: new IDs of a namespace, served from a local prefetch buffer
 * where that is enabled, fetched over gRPC with failover otherwise.
 *
 * <pre>{@code
 * try (IdMintClient ids = IdMintClient.builder()
 *     .endpoints("idmint-1:7070", "idmint-2:7070", "idmint-3:7070")
 *     .token(System.getenv("IDMINT_TOKEN"))
 *     .build()) {
 *   long orderId = ids.nextId("order");
 * }
 * }</pre>
 *
 * <p>What a caller can rely on:
 *
 * <ul>
 *   <li>An ID returned by this client is never returned again by it, and comes from a node that
 *       issued it for this namespace; the client never makes one up or repeats one after a failure.
 *   <li>IDs buffered but not handed out are dropped at {@link #close()} (gaps, never duplicates).
 *   <li>A call either returns within the configured {@link IdMintClientBuilder#deadline deadline}
 *       (plus scheduling noise) or throws. {@link IdMintUnavailableException} means no endpoint
 *       served in time; an {@link IdMintRequestException} means the request cannot succeed anywhere
 *       and was not retried.
 *   <li>With prefetch on, IDs of one namespace are not handed out in strictly increasing order
 *       across threads, and a snowflake ID may be up to roughly the prefetch horizon older than the
 *       call. Turn prefetch off for a namespace where that matters.
 * </ul>
 *
 * <p>Futures returned by the {@code *Async} methods complete on the client's own threads; do not
 * block in their continuations (use the {@code ...Async(fn, executor)} forms for blocking work).
 *
 * <p>Instances are thread-safe. Build one per application and share it.
 */
public interface IdMintClient extends AutoCloseable {
  /** The most IDs one {@link #nextIds} call may ask for. */
  int MAX_COUNT = 1_000_000;

  /** A builder with the defaults documented on each of its methods. */
  static IdMintClientBuilder builder() {
    return new IdMintClientBuilder();
  }

  /**
   * One new ID of {@code namespace}. From a warm prefetch buffer this is a local operation (one
   * atomic increment); otherwise it waits for a node, at most the deadline.
   *
   * @throws NullPointerException if {@code namespace} is null
   * @throws IdMintInvalidArgumentException if the name is not {@code [a-z][a-z0-9_-]{0,62}}
   * @throws IdMintNamespaceNotFoundException if the server does not serve the namespace
   * @throws IdMintUnauthenticatedException if the server wants a (different) token
   * @throws IdMintPermissionDeniedException if the token may not use the namespace
   * @throws IdMintUnavailableException if no endpoint served within the deadline
   * @throws IdMintStrategyMismatchException if the namespace is a uuid7 or pattern namespace (use
   *     {@link #nextUuid} or {@link #nextNumber})
   * @throws IllegalStateException if the client is closed
   */
  long nextId(String namespace);

  /**
   * {@code count} new IDs of {@code namespace}: first from the prefetch buffer, the rest straight
   * from a node (in batches of at most {@link IdMintClientBuilder#maxBatchSize}).
   *
   * @throws IdMintInvalidArgumentException if {@code count} is not in [1, {@link #MAX_COUNT}], or
   *     the name is invalid
   * @throws IdMintUnavailableException if no endpoint served within the deadline; IDs already taken
   *     for this call are then dropped
   * @see #nextId(String) for the other exceptions
   */
  long[] nextIds(String namespace, int count);

  /**
   * One new ID of {@code namespace} in its public form (for example {@code ord_2Vx7kQ9bM1pTz}), as
   * encoded by the server. Buffered separately from raw IDs: an ID is handed out either raw or
   * public, never both.
   *
   * @throws IdMintPublicIdUnsupportedException if the server returns no public IDs for the
   *     namespace
   * @see #nextId(String) for the other exceptions
   */
  String nextPublicId(String namespace);

  /**
   * One new UUID of a {@code uuid7} namespace: RFC 9562 version 7, its first 48 bits the
   * millisecond it was issued, the issuing node's worker number in the bits after it (so UUIDs of
   * different nodes never collide), time-ordered per node.
   *
   * <p>Never buffered: every call is one request to a node (with the same failover, retries and
   * deadline as {@link #nextId}), so a UUID's timestamp is the time of the call give or take one
   * round trip, which is what a time-ordered key promises. Ask for many at once with {@link
   * #nextUuids}.
   *
   * @throws IdMintStrategyMismatchException if the namespace is not a uuid7 namespace (the message
   *     names its strategy and the methods that serve it)
   * @see #nextId(String) for the other exceptions
   */
  UUID nextUuid(String namespace);

  /**
   * {@code count} new UUIDs of a {@code uuid7} namespace, in the order the nodes issued them (in
   * batches of at most {@link IdMintClientBuilder#maxBatchSize}); an unmodifiable list.
   *
   * @throws IdMintInvalidArgumentException if {@code count} is not in [1, {@link #MAX_COUNT}], or
   *     the name is invalid
   * @see #nextUuid(String) for the other exceptions
   */
  List<UUID> nextUuids(String namespace, int count);

  /**
   * One new business number of a {@code pattern} namespace, e.g. {@code ORD-20261201-000042}, as
   * the node rendered it from the namespace's template.
   *
   * <p>Never buffered: a number carries its period (the day, month or year of the coordinator's
   * clock when it was issued), and one fetched before midnight but handed out after it would carry
   * the wrong day. Every call is one request to a node, with the same failover, retries and
   * deadline as {@link #nextId}. A lost answer leaves a gap in the period's sequence, never a
   * repeat.
   *
   * @throws IdMintStrategyMismatchException if the namespace is not a pattern namespace
   * @see #nextId(String) for the other exceptions
   */
  String nextNumber(String namespace);

  /**
   * {@code count} new business numbers of a {@code pattern} namespace, in the order the nodes
   * issued them; an unmodifiable list. A batch taken around a period boundary may hold numbers of
   * both periods, each with its own period.
   *
   * @throws IdMintInvalidArgumentException if {@code count} is not in [1, {@link #MAX_COUNT}], or
   *     the name is invalid
   * @see #nextNumber(String) for the other exceptions
   */
  List<String> nextNumbers(String namespace, int count);

  /** {@link #nextUuid(String)} without blocking; see {@link #nextIdAsync(String)}. */
  CompletableFuture<UUID> nextUuidAsync(String namespace);

  /** {@link #nextNumber(String)} without blocking; see {@link #nextIdAsync(String)}. */
  CompletableFuture<String> nextNumberAsync(String namespace);

  /**
   * {@link #nextId(String)} without blocking: complete at once from a warm buffer, otherwise when a
   * node answers. Fails with the same exceptions, except that argument errors are thrown directly.
   */
  CompletableFuture<Long> nextIdAsync(String namespace);

  /** {@link #nextIds(String, int)} without blocking; see {@link #nextIdAsync(String)}. */
  CompletableFuture<long[]> nextIdsAsync(String namespace, int count);

  /** {@link #nextPublicId(String)} without blocking; see {@link #nextIdAsync(String)}. */
  CompletableFuture<String> nextPublicIdAsync(String namespace);

  /**
   * How many raw IDs of {@code namespace} are buffered right now (0 when prefetch is off or nothing
   * was fetched yet); approximate while other threads take IDs.
   */
  long bufferedIds(String namespace);

  /** The client's view of each endpoint, in configured order. */
  List<EndpointHealth> endpoints();

  /**
   * Drops every buffered ID, fails calls still waiting with {@link IllegalStateException}, closes
   * the connections and stops the client's threads (waiting a few seconds at most). Idempotent.
   */
  @Override
  void close();
}
