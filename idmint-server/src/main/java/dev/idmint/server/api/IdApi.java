package dev.idmint.server.api;

import dev.idmint.core.ClockMovedBackwardsException;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.LayoutExhaustedException;
import dev.idmint.core.pattern.SequenceExhaustedException;
import dev.idmint.core.publicid.InvalidPublicIdException;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.server.config.Scope;
import dev.idmint.server.config.Strategy;
import dev.idmint.server.node.Namespace;
import dev.idmint.server.node.Node;
import java.util.List;

/**
 * What the v1 API does, whatever the protocol: checks, generation, the mapping of failures to API
 * errors. REST and gRPC only translate their requests and responses.
 */
public final class IdApi {
  private final Node node;
  private final Auth auth;
  private final int maxCount;
  private final Metrics metrics;

  public IdApi(Node node, Auth auth, int maxCount, Metrics metrics) {
    this.node = node;
    this.auth = auth;
    this.maxCount = maxCount;
    this.metrics = metrics;
  }

  public int maxCount() {
    return maxCount;
  }

  public Metrics metrics() {
    return metrics;
  }

  /**
   * Parses a {@code count} query parameter; absent means 1.
   *
   * @throws ApiException 400 naming the accepted range
   */
  public int parseCount(String text) {
    if (text == null) {
      return 1;
    }
    int count;
    try {
      count = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw reject(
          new ApiException(
              ApiError.INVALID_ARGUMENT,
              "count must be a whole number between 1 and "
                  + maxCount
                  + ", was \""
                  + abbreviate(text)
                  + "\""),
          "bad_count");
    }
    return count;
  }

  /**
   * Who is asking.
   *
   * @throws ApiException 401 without a valid token, 429 after too many failed attempts
   */
  public Auth.Grant authenticate(String authorization, String clientAddress) {
    try {
      return auth.authenticate(authorization, clientAddress);
    } catch (ApiException e) {
      throw rejected(e);
    }
  }

  /**
   * Checks a count against {@code limits.max-count}: before it is charged to any rate.
   *
   * @throws ApiException 400 naming the accepted range
   */
  public int checkCount(int count) {
    if (count < 1 || count > maxCount) {
      throw reject(
          new ApiException(
              ApiError.INVALID_ARGUMENT,
              "count must be between 1 and " + maxCount + ", was " + count),
          "bad_count");
    }
    return count;
  }

  /** Resolves the namespace for a request to get {@code count} IDs. */
  public Namespace authorizeMint(Auth.Grant grant, String namespace, int count) {
    return authorize(grant, namespace, Scope.MINT, "getting IDs", count);
  }

  /** Resolves the namespace for reading its definition: any scope on it will do. */
  public Namespace authorizeRead(Auth.Grant grant, String namespace) {
    return authorize(grant, namespace, null, null, 1);
  }

  /**
   * Resolves the namespace after checking the grant's scope, namespaces and rate.
   *
   * @param scope the scope needed, or null when any scope on the namespace will do
   */
  private Namespace authorize(
      Auth.Grant grant, String namespace, Scope scope, String why, int cost) {
    try {
      grant.requireNamespace(namespace);
      if (scope != null) {
        grant.require(scope, why);
      }
      grant.charge(cost);
    } catch (ApiException e) {
      throw rejected(e);
    }
    if (node.state() != Node.State.LIVE) {
      throw reject(
          new ApiException(
              ApiError.UNAVAILABLE,
              "this node is "
                  + node.state().name().toLowerCase(java.util.Locale.ROOT)
                  + " (drained through the admin API) and issues nothing; use another node",
              java.time.Duration.ofSeconds(60)),
          "draining");
    }
    java.util.Optional<Namespace> served = node.namespace(namespace);
    if (served.isPresent()) {
      return served.get();
    }
    String refusal = node.refusal(namespace);
    if (refusal != null) {
      throw reject(
          new ApiException(ApiError.UNAVAILABLE, refusal, java.time.Duration.ofSeconds(30)),
          "namespace_refused");
    }
    throw reject(
        new ApiException(ApiError.NOT_FOUND, "unknown namespace: " + abbreviate(namespace)),
        "unknown_namespace");
  }

  /**
   * Issues {@code count} raw IDs of a snowflake or segment {@code namespace}.
   *
   * @throws ApiException for every refusal; never returns a partial or made-up result
   */
  public long[] nextIds(Namespace namespace, int count) {
    checkCount(count);
    if (namespace.strategy().textual()) {
      throw new IllegalStateException("namespace " + namespace.name() + " issues text IDs");
    }
    recordFirstIssue(namespace);
    try {
      long[] ids =
          count == 1
              ? new long[] {namespace.generator().nextId()}
              : namespace.generator().nextIds(count);
      issued(namespace, count);
      return ids;
    } catch (IdUnavailableException e) {
      throw unavailable(e);
    } catch (LayoutExhaustedException e) {
      throw exhausted(e);
    }
  }

  /**
   * Issues {@code count} IDs of a uuid7 namespace (canonical UUIDs) or a pattern namespace
   * (business numbers), as text.
   *
   * @throws ApiException for every refusal; never returns a partial or made-up result
   */
  public String[] nextTexts(Namespace namespace, int count) {
    checkCount(count);
    recordFirstIssue(namespace);
    try {
      String[] texts = namespace.nextTexts(count);
      issued(namespace, count);
      return texts;
    } catch (IdUnavailableException e) {
      throw unavailable(e);
    } catch (LayoutExhaustedException e) {
      throw exhausted(e);
    } catch (SequenceExhaustedException e) {
      throw reject(
          new ApiException(
              ApiError.UNAVAILABLE,
              e.getMessage(),
              e.nextPeriodStart()
                  .map(
                      at ->
                          java.time.Duration.ofMillis(
                              Math.max(1000, at.toEpochMilli() - node.clock().wallMillis())))
                  .orElse(java.time.Duration.ofHours(1))),
          "sequence_exhausted");
    }
  }

  private void issued(Namespace namespace, int count) {
    metrics.issued(namespace.name(), count);
    namespace.countIssued(count);
  }

  private ApiException unavailable(IdUnavailableException e) {
    if (e instanceof ClockMovedBackwardsException) {
      metrics.clockBackwards();
    }
    return reject(
        new ApiException(ApiError.UNAVAILABLE, e.getMessage(), e.retryAfter()), "unavailable");
  }

  private ApiException exhausted(LayoutExhaustedException e) {
    return reject(
        new ApiException(ApiError.UNAVAILABLE, e.getMessage(), java.time.Duration.ofHours(1)),
        "layout_exhausted");
  }

  /**
   * Records the namespace's first issue in the registry before anything leaves this node.
   *
   * @throws ApiException 503 if it cannot be recorded (then nothing is issued)
   */
  private void recordFirstIssue(Namespace namespace) {
    if (namespace.issueRecorded()) {
      return;
    }
    try {
      node.recordIssue(namespace);
    } catch (Node.DefinitionChangedException e) {
      throw reject(
          new ApiException(ApiError.UNAVAILABLE, e.getMessage(), java.time.Duration.ofSeconds(1)),
          "unavailable");
    } catch (dev.idmint.core.IdMintException e) {
      throw reject(
          new ApiException(
              ApiError.UNAVAILABLE,
              "cannot record the first issue of namespace "
                  + namespace.name()
                  + " in the registry, so no ID is issued: "
                  + e.getMessage(),
              java.time.Duration.ofSeconds(1)),
          "unavailable");
    }
  }

  /**
   * True when getting {@code count} IDs of {@code ns} may wait: for the next segment, or for the
   * registry to record the namespace's first issue. Such calls run off the event loop, whatever the
   * protocol.
   */
  public static boolean mayBlock(Namespace ns, int count) {
    // A pattern namespace may load a period's segment on any call (a new day, a late caller).
    return !ns.issueRecorded()
        || ns.strategy() == Strategy.PATTERN
        || ns.strategy() == Strategy.SEGMENT && ns.segmentRemaining() < count;
  }

  /**
   * Takes an ID apart, after checking the grant: in a namespace with public IDs, inspecting needs
   * the {@code decode} scope (a public ID decodes to its raw ID, and a raw ID's answer carries its
   * public form); in one without, an inspection tells no more than the raw ID and the public
   * layout, so {@code mint} also does.
   *
   * @throws ApiException 403 naming the missing scope; 400 if it is not an ID this namespace could
   *     have issued
   */
  public Namespace.Inspection inspect(Auth.Grant grant, String namespaceName, String id) {
    String text = id.strip();
    boolean rawForm =
        !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-');
    Namespace namespace = authorizeRead(grant, namespaceName);
    if (namespace.strategy().textual()) {
      try {
        if (!grant.has(Scope.DECODE)) {
          grant.require(Scope.MINT, "inspecting an ID");
        }
      } catch (ApiException e) {
        throw rejected(e);
      }
      try {
        return namespace.inspectText(text);
      } catch (InvalidIdException e) {
        throw reject(new ApiException(ApiError.INVALID_ARGUMENT, e.getMessage()), "bad_id");
      }
    }
    try {
      if (namespace.publicIds() != null) {
        grant.require(
            Scope.DECODE,
            rawForm ? "inspecting an ID of a namespace with public IDs" : "decoding a public ID");
      } else if (!grant.has(Scope.DECODE)) {
        grant.require(Scope.MINT, "inspecting an ID");
      }
    } catch (ApiException e) {
      throw rejected(e);
    }
    long raw;
    if (rawForm) {
      try {
        raw = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw reject(notAnId(namespace, id), "bad_id");
      }
    } else if (namespace.publicIds() != null) {
      try {
        raw = namespace.publicIds().decode(text);
      } catch (InvalidPublicIdException e) {
        throw reject(new ApiException(ApiError.INVALID_ARGUMENT, e.getMessage()), "bad_id");
      }
    } else {
      throw reject(notAnId(namespace, id), "bad_id");
    }
    try {
      return namespace.inspect(raw);
    } catch (InvalidIdException e) {
      throw reject(new ApiException(ApiError.INVALID_ARGUMENT, e.getMessage()), "bad_id");
    }
  }

  private static ApiException notAnId(Namespace namespace, String id) {
    return new ApiException(
        ApiError.INVALID_ARGUMENT,
        "not an ID of namespace "
            + namespace.name()
            + ": \""
            + abbreviate(id)
            + "\" is not a positive decimal number below 2^63"
            + (namespace.publicIds() == null ? "" : " nor a public ID"));
  }

  /** The public forms of {@code ids}, or null when the namespace has no codec. */
  public String[] publicIds(Namespace namespace, long[] ids) {
    PublicIdCodec codec = namespace.publicIds();
    if (codec == null) {
      return null;
    }
    String[] out = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = codec.encode(ids[i]);
    }
    return out;
  }

  /** The namespaces the grant may see, and only those. */
  public List<Namespace> list(Auth.Grant grant) {
    try {
      grant.charge(1);
    } catch (ApiException e) {
      throw rejected(e);
    }
    return node.namespaces().stream().filter(ns -> grant.sees(ns.name())).toList();
  }

  /**
   * Checks a request for {@code /metrics}: with auth on, it needs a token with the {@code metrics}
   * scope, because per-namespace issue counts are business volumes.
   *
   * @throws ApiException 401, 403 naming the scope, or 429
   */
  public void authorizeMetrics(String authorization, String clientAddress) {
    Auth.Grant grant = authenticate(authorization, clientAddress);
    try {
      grant.require(Scope.METRICS, "reading /metrics");
      grant.charge(1);
    } catch (ApiException e) {
      throw rejected(e);
    }
  }

  private ApiException rejected(ApiException e) {
    return reject(e, e.error().name().toLowerCase(java.util.Locale.ROOT));
  }

  private ApiException reject(ApiException e, String reason) {
    metrics.rejected(reason);
    return e;
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
