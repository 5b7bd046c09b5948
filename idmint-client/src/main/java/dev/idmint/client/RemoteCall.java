package dev.idmint.client;

import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One {@code NextIds} request carried to some endpoint before a deadline.
 *
 * <p>Attempts are sequential: the best untried endpoint ({@link Endpoints#pick}) gets at most
 * {@code attemptTimeout}; a failure that another node might not have (unreachable, {@code
 * UNAVAILABLE}, too slow, rate-limited, a malformed answer) moves on to the next endpoint. When
 * every endpoint failed once, the round starts again after a short back-off (25 ms doubling to 500
 * ms, jittered), until the deadline. {@code INVALID_ARGUMENT}, {@code NOT_FOUND}, {@code
 * UNAUTHENTICATED} and {@code PERMISSION_DENIED} end the call at once with a typed exception.
 *
 * <p>Retrying is safe because a lost answer only leaves a gap: IDs a node issued into an attempt
 * that timed out are never seen by anyone. An answer is accepted only if the count is between 1 and
 * what was asked, every ID in it is positive and appears once, and its public IDs (if any) have the
 * codec's form; anything else is a malformed answer, counted against the node and retried
 * elsewhere, so nothing malformed is ever buffered or handed out.
 */
final class RemoteCall {
  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final java.util.regex.Pattern PUBLIC_ID =
      java.util.regex.Pattern.compile("[a-z][a-z0-9]{0,15}_[0-9A-Za-z]{2,64}");

  private static final java.util.regex.Pattern UUID7 =
      java.util.regex.Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  /** The longest business number accepted from a node. */
  static final int MAX_NUMBER_LENGTH = 255;

  private static final long[] NO_IDS = new long[0];

  /**
   * IDs from one answer: {@code ids} (empty for uuid7 and pattern namespaces), {@code publicIds}
   * (null when the node sent none), {@code texts} (the uuids or numbers; null for numeric answers).
   */
  record Batch(long[] ids, String[] publicIds, String[] texts, String endpoint) {
    /** How many IDs the answer carried, whatever their kind. */
    int size() {
      return texts == null ? ids.length : texts.length;
    }
  }

  private final Remote remote;
  private final String namespace;
  private final NextIdsRequest request;
  private final int count;
  private final long deadlineNanos;
  private final Kind want;
  private final CompletableFuture<Batch> result = new CompletableFuture<>();

  // Guarded by this.
  private final List<IdMintUnavailableException.Attempt> attempts = new ArrayList<>();
  private final Set<Endpoint> tried = new HashSet<>();
  private int round;

  RemoteCall(Remote remote, String namespace, int count, long deadlineNanos, Kind want) {
    this.remote = remote;
    this.namespace = namespace;
    this.count = count;
    this.request = NextIdsRequest.newBuilder().setNamespace(namespace).setCount(count).build();
    this.deadlineNanos = deadlineNanos;
    this.want = want;
  }

  CompletableFuture<Batch> start() {
    remote.track(result);
    attemptNext();
    return result;
  }

  CompletableFuture<Batch> result() {
    return result;
  }

  /** What happened so far, for a caller that gives up before this call does. */
  synchronized List<IdMintUnavailableException.Attempt> attempts() {
    return List.copyOf(attempts);
  }

  IdMintUnavailableException unavailable(Duration deadline, Throwable cause) {
    return new IdMintUnavailableException(
        namespace, deadline, attempts(), remote.endpoints().describeAll(), cause);
  }

  private void attemptNext() {
    if (result.isDone()) {
      return;
    }
    if (remote.isClosed()) {
      result.completeExceptionally(Remote.closedException());
      return;
    }
    long now = remote.ticker().nanos();
    long remaining = deadlineNanos - now;
    if (remaining < MIN_ATTEMPT_NANOS) {
      result.completeExceptionally(unavailable(remote.config().deadline(), null));
      return;
    }
    Endpoint endpoint;
    long backoff = 0;
    synchronized (this) {
      endpoint = remote.endpoints().pick(tried, now);
      if (endpoint == null) {
        tried.clear();
        round++;
        backoff = backoffNanos(round);
      } else {
        tried.add(endpoint);
      }
    }
    if (endpoint == null) {
      long delay = Math.min(backoff, remaining);
      if (!remote.schedule(this::attemptNext, delay)) {
        result.completeExceptionally(Remote.closedException());
      }
      return;
    }
    attempt(endpoint, now, remaining);
  }

  private void attempt(Endpoint endpoint, long startNanos, long remaining) {
    long attemptTimeout = remote.config().attemptTimeout().toNanos();
    long budget = Math.min(attemptTimeout, remaining);
    boolean fullBudget = budget == attemptTimeout;
    IdServiceGrpc.IdServiceStub stub = endpoint.stub();
    if (stub == null) {
      result.completeExceptionally(Remote.closedException());
      return;
    }
    endpoint.skipReconnectBackoff();
    try {
      stub.withDeadlineAfter(budget, TimeUnit.NANOSECONDS)
          .nextIds(
              request,
              new StreamObserver<>() {
                private NextIdsResponse response;

                @Override
                public void onNext(NextIdsResponse value) {
                  response = value;
                }

                @Override
                public void onError(Throwable t) {
                  onFailed(endpoint, t, startNanos, fullBudget);
                }

                @Override
                public void onCompleted() {
                  onAnswered(endpoint, response);
                }
              });
    } catch (RuntimeException e) {
      // A shut-down channel rejects the call; anything else is this endpoint's failure.
      onFailed(endpoint, e, startNanos, fullBudget);
    }
  }

  private void onAnswered(Endpoint endpoint, NextIdsResponse response) {
    String problem = check(response);
    if (problem != null) {
      endpoint.onFailure(problem, true, -1);
      record(endpoint, problem);
      attemptNext();
      return;
    }
    endpoint.onAnswer();
    Kind answered = kindOf(response);
    if (!want.servedBy(answered)) {
      result.completeExceptionally(
          new IdMintStrategyMismatchException(namespace, answered, want, endpoint.name));
      return;
    }
    if (want == Kind.PUBLIC && response.getPublicIdsCount() == 0) {
      result.completeExceptionally(
          new IdMintPublicIdUnsupportedException(namespace, endpoint.name));
      return;
    }
    if (answered != Kind.RAW) {
      java.util.List<String> texts =
          answered == Kind.UUID ? response.getUuidsList() : response.getNumbersList();
      result.complete(new Batch(NO_IDS, null, texts.toArray(new String[0]), endpoint.name));
      return;
    }
    int n = response.getIdsCount();
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = response.getIds(i);
    }
    String[] publicIds = null;
    if (response.getPublicIdsCount() > 0) {
      publicIds = response.getPublicIdsList().toArray(new String[0]);
    }
    result.complete(new Batch(ids, publicIds, null, endpoint.name));
  }

  /** The kind of a checked answer: it carries exactly one of ids, uuids and numbers. */
  private static Kind kindOf(NextIdsResponse response) {
    if (response.getUuidsCount() > 0) {
      return Kind.UUID;
    }
    return response.getNumbersCount() > 0 ? Kind.NUMBER : Kind.RAW;
  }

  /** Why an answer cannot be used, or null when it can. */
  private String check(NextIdsResponse response) {
    if (response == null) {
      return "protocol error: the call completed without an answer";
    }
    if (!response.getNamespace().isEmpty() && !response.getNamespace().equals(namespace)) {
      return "protocol error: asked for namespace "
          + namespace
          + ", got "
          + response.getNamespace();
    }
    int kinds =
        (response.getIdsCount() > 0 ? 1 : 0)
            + (response.getUuidsCount() > 0 ? 1 : 0)
            + (response.getNumbersCount() > 0 ? 1 : 0);
    if (kinds > 1) {
      return "protocol error: one answer carries more than one of ids, uuids and numbers";
    }
    if (response.getUuidsCount() > 0) {
      return checkTexts(response.getUuidsList(), "UUID", response);
    }
    if (response.getNumbersCount() > 0) {
      return checkTexts(response.getNumbersList(), "number", response);
    }
    int n = response.getIdsCount();
    if (n < 1 || n > count) {
      return "protocol error: asked for " + count + " IDs, got " + n;
    }
    boolean ascending = true;
    for (int i = 0; i < n; i++) {
      long id = response.getIds(i);
      if (id <= 0) {
        return "protocol error: raw IDs are positive, got " + id;
      }
      ascending &= i == 0 || id > response.getIds(i - 1);
    }
    if (!ascending) {
      long duplicate = duplicate(response);
      if (duplicate != 0) {
        return "protocol error: ID " + duplicate + " appears twice in one answer";
      }
    }
    int p = response.getPublicIdsCount();
    if (p != 0 && p != n) {
      return "protocol error: " + n + " IDs but " + p + " public IDs";
    }
    return p == 0 ? null : checkPublicIds(response);
  }

  /**
   * The uuids or numbers of an answer: between 1 and the asked count, none repeated, no public IDs
   * beside them; a UUID in RFC 9562 canonical lower-case text with version 7 and variant {@code
   * 10}; a number non-empty, at most {@link #MAX_NUMBER_LENGTH} characters, with no control
   * characters or surrounding white space.
   */
  private String checkTexts(java.util.List<String> texts, String what, NextIdsResponse response) {
    int n = texts.size();
    if (n > count) {
      return "protocol error: asked for " + count + " IDs, got " + n + " " + what + "s";
    }
    if (response.getPublicIdsCount() > 0) {
      return "protocol error: public IDs beside " + what + "s";
    }
    Set<String> seen = new HashSet<>();
    for (String text : texts) {
      String problem = what.equals("UUID") ? uuidProblem(text) : numberProblem(text);
      if (problem != null) {
        return problem;
      }
      if (!seen.add(text)) {
        return "protocol error: " + what + " " + abbreviate(text) + " appears twice in one answer";
      }
    }
    return null;
  }

  private static String uuidProblem(String text) {
    return UUID7.matcher(text).matches()
        ? null
        : "protocol error: not a version 7 UUID in canonical form: \"" + abbreviate(text) + "\"";
  }

  private static String numberProblem(String text) {
    boolean bad =
        text.isEmpty()
            || text.length() > MAX_NUMBER_LENGTH
            || !text.strip().equals(text)
            || text.chars().anyMatch(Character::isISOControl);
    return bad ? "protocol error: not a business number: \"" + abbreviate(text) + "\"" : null;
  }

  /** A raw ID that appears twice, or 0. Nodes answer in ascending order; this is the other case. */
  private static long duplicate(NextIdsResponse response) {
    long[] sorted = new long[response.getIdsCount()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = response.getIds(i);
    }
    java.util.Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        return sorted[i];
      }
    }
    return 0;
  }

  /**
   * Public IDs must have the codec's form ({@code <prefix>_<version><body>}: a prefix of {@code
   * [a-z][a-z0-9]{0,15}}, then letters and digits), one prefix and one width per answer (a codec
   * renders at a fixed width), and no repeats.
   */
  private static String checkPublicIds(NextIdsResponse response) {
    String first = response.getPublicIds(0);
    int underscore = first.indexOf('_');
    for (int i = 0; i < response.getPublicIdsCount(); i++) {
      String id = response.getPublicIds(i);
      if (!PUBLIC_ID.matcher(id).matches()) {
        return "protocol error: not a public ID: \"" + abbreviate(id) + "\"";
      }
      if (id.length() != first.length() || !id.regionMatches(0, first, 0, underscore + 1)) {
        return "protocol error: public IDs of different forms in one answer: \""
            + abbreviate(first)
            + "\" and \""
            + abbreviate(id)
            + "\"";
      }
    }
    Set<String> seen = new HashSet<>();
    for (String id : response.getPublicIdsList()) {
      if (!seen.add(id)) {
        return "protocol error: public ID " + id + " appears twice in one answer";
      }
    }
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  private void onFailed(Endpoint endpoint, Throwable t, long startNanos, boolean fullBudget) {
    if (remote.isClosed()) {
      result.completeExceptionally(Remote.closedException());
      return;
    }
    Status status = Status.fromThrowable(t);
    String description = status.getDescription();
    switch (status.getCode()) {
      case INVALID_ARGUMENT -> {
        endpoint.onAnswer();
        result.completeExceptionally(
            new IdMintInvalidArgumentException(text(description, status), endpoint.name));
        return;
      }
      case NOT_FOUND -> {
        endpoint.onAnswer();
        result.completeExceptionally(
            new IdMintNamespaceNotFoundException(
                namespace, text(description, status), endpoint.name));
        return;
      }
      case UNAUTHENTICATED -> {
        endpoint.onAnswer();
        result.completeExceptionally(
            new IdMintUnauthenticatedException(text(description, status), endpoint.name));
        return;
      }
      case PERMISSION_DENIED -> {
        endpoint.onAnswer();
        result.completeExceptionally(
            new IdMintPermissionDeniedException(text(description, status), endpoint.name));
        return;
      }
      default -> {}
    }
    long retryAfter = retryAfterNanos(t);
    String reason = reason(status, retryAfter, startNanos);
    boolean counts =
        switch (status.getCode()) {
          case RESOURCE_EXHAUSTED -> false;
          case DEADLINE_EXCEEDED -> fullBudget;
          default -> true;
        };
    endpoint.onFailure(reason, counts, retryAfter);
    record(endpoint, reason);
    attemptNext();
  }

  private synchronized void record(Endpoint endpoint, String reason) {
    attempts.add(new IdMintUnavailableException.Attempt(endpoint.name, reason));
  }

  private String reason(Status status, long retryAfterNanos, long startNanos) {
    StringBuilder out = new StringBuilder(status.getCode().name());
    if (status.getDescription() != null) {
      out.append(": ").append(status.getDescription());
    }
    Throwable cause = status.getCause();
    String tls = tlsFailure(cause);
    if (tls != null) {
      out.append(" (TLS: ").append(tls).append(')');
    } else if (cause != null && cause.getMessage() != null) {
      out.append(" (").append(cause.getMessage()).append(')');
    }
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(remote.ticker().nanos() - startNanos);
      out.append(" after ").append(tookMillis).append(" ms");
    }
    if (retryAfterNanos >= 0) {
      out.append(", retry after ").append(TimeUnit.NANOSECONDS.toSeconds(retryAfterNanos));
      out.append(" s");
    }
    return out.toString();
  }

  /**
   * What a failed TLS handshake says at its root (e.g. "No subject alternative names matching IP
   * address 127.0.0.1 found"), or null when {@code cause} is no TLS failure.
   */
  private static String tlsFailure(Throwable cause) {
    boolean tls = false;
    String root = null;
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      tls |=
          t instanceof javax.net.ssl.SSLException
              || t instanceof java.security.cert.CertificateException;
      if (t.getMessage() != null) {
        root = t.getMessage();
      }
    }
    return tls ? root : null;
  }

  private static String text(String description, Status status) {
    return description == null ? status.getCode().name() : description;
  }

  private static long retryAfterNanos(Throwable t) {
    Metadata trailers = Status.trailersFromThrowable(t);
    String value = trailers == null ? null : trailers.get(RETRY_AFTER);
    if (value == null) {
      return -1;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? -1 : TimeUnit.SECONDS.toNanos(Math.min(seconds, 3600));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long backoffNanos(int round) {
    long backoff = MIN_BACKOFF_NANOS << Math.min(round - 1, 10);
    backoff = Math.min(backoff, MAX_BACKOFF_NANOS);
    // Jitter (±20 %) so that many clients losing the same node do not retry in step.
    return (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
  }
}
