package dev.idmint.server.http;

import dev.idmint.core.ClockMovedBackwardsException;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.LayoutExhaustedException;
import dev.idmint.core.publicid.InvalidPublicIdException;
import dev.idmint.core.publicid.PublicIdCodec;
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

  /** Resolves the namespace for an ID request after checking the token. */
  public Namespace authorize(String authorization, String namespace) {
    try {
      auth.check(authorization, namespace);
    } catch (ApiException e) {
      throw reject(e, e.error().name().toLowerCase(java.util.Locale.ROOT));
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
   * Issues {@code count} IDs of {@code namespace}.
   *
   * @throws ApiException for every refusal; never returns a partial or made-up result
   */
  public long[] nextIds(Namespace namespace, int count) {
    if (count < 1 || count > maxCount) {
      throw reject(
          new ApiException(
              ApiError.INVALID_ARGUMENT,
              "count must be between 1 and " + maxCount + ", was " + count),
          "bad_count");
    }
    if (!namespace.issueRecorded()) {
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
    try {
      long[] ids =
          count == 1
              ? new long[] {namespace.generator().nextId()}
              : namespace.generator().nextIds(count);
      metrics.issued(namespace.name(), count);
      namespace.countIssued(count);
      return ids;
    } catch (IdUnavailableException e) {
      if (e instanceof ClockMovedBackwardsException) {
        metrics.clockBackwards();
      }
      throw reject(
          new ApiException(ApiError.UNAVAILABLE, e.getMessage(), e.retryAfter()), "unavailable");
    } catch (LayoutExhaustedException e) {
      throw reject(
          new ApiException(ApiError.UNAVAILABLE, e.getMessage(), java.time.Duration.ofHours(1)),
          "layout_exhausted");
    }
  }

  /**
   * Takes an ID apart.
   *
   * @throws ApiException 400 if it is not an ID this namespace could have issued
   */
  public Namespace.Inspection inspect(Namespace namespace, String id) {
    String text = id.strip();
    long raw;
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) {
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

  /** The namespaces the token may see. */
  public List<Namespace> list(String authorization) {
    try {
      auth.check(authorization, null);
    } catch (ApiException e) {
      throw reject(e, e.error().name().toLowerCase(java.util.Locale.ROOT));
    }
    return List.copyOf(node.namespaces());
  }

  private ApiException reject(ApiException e, String reason) {
    metrics.rejected(reason);
    return e;
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
