package dev.idmint.server.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.idmint.server.api.ApiError;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Auth;
import dev.idmint.server.api.Caller;
import dev.idmint.server.api.DefinitionView;
import dev.idmint.server.api.IdApi;
import dev.idmint.server.api.Json;
import dev.idmint.server.api.Unexpected;
import dev.idmint.server.config.Strategy;
import dev.idmint.server.node.Namespace;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The REST/JSON half of the v1 API, hand-written on plain Armeria services (transcoding measured
 * about 4× slower here). Raw IDs are JSON strings: JavaScript loses precision above 2^53.
 */
public final class RestService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final ResponseHeaders OK_JSON =
      ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8);

  private final IdApi api;
  private final Timer latency;

  public RestService(IdApi api) {
    this.api = api;
    this.latency = api.metrics().latencyTimer("rest", "next_ids");
  }

  /** Adds the routes to {@code server}. */
  public void register(ServerBuilder server) {
    server.route().post("/v1/namespaces/{ns}/ids").build(this::nextIds);
    server.route().get("/v1/namespaces/{ns}/ids/{id}").build(this::inspect);
    server.route().get("/v1/namespaces").build(this::listNamespaces);
    server.route().get("/v1/namespaces/{ns}").build(this::getNamespace);
  }

  private HttpResponse nextIds(ServiceRequestContext ctx, HttpRequest req) {
    long start = System.nanoTime();
    if (req.isEmpty()) {
      // No body (the usual POST): nothing to read or to hold to the size limit, so no future.
      return mint(ctx, req, start);
    }
    // The body is not used, but reading it enforces the size limit (413) on every request.
    CompletableFuture<HttpResponse> response =
        req.aggregate()
            .handle((body, cause) -> cause != null ? error(unwrap(cause)) : mint(ctx, req, start));
    return HttpResponse.of(response);
  }

  private HttpResponse mint(ServiceRequestContext ctx, HttpRequest req, long start) {
    Admitted admitted;
    try {
      admitted =
          admit(authorization(req), client(ctx), ctx.pathParam("ns"), ctx.queryParam("count"));
    } catch (ApiException e) {
      return error(e);
    }
    if (admitted.mayBlock()) {
      // May wait for the next segment, or for the registry to record the namespace's first
      // issue: not on the event loop.
      return HttpResponse.of(
          CompletableFuture.supplyAsync(
              () -> respondIds(admitted, start), ctx.blockingTaskExecutor()));
    }
    return respondIds(admitted, start);
  }

  /** A mint request that passed every check: what to issue, and how many. */
  record Admitted(Namespace namespace, int count) {
    /** Whether issuing may wait on the coordinator: then not on an event loop. */
    boolean mayBlock() {
      return IdApi.mayBlock(namespace, count);
    }
  }

  /**
   * The checks of {@code POST /v1/namespaces/{ns}/ids}, in their order: the token, the count, then
   * the namespace, scope and rate. Both carriers of the route use it: Armeria's and {@link
   * Http1IdRoute}.
   *
   * @param countText the raw {@code count} query parameter, or null
   * @throws ApiException for every refusal
   */
  Admitted admit(String authorization, String address, String namespace, String countText) {
    Auth.Grant grant = api.authenticate(authorization, address);
    int count = api.checkCount(api.parseCount(countText));
    return new Admitted(api.authorizeMint(grant, namespace, count), count);
  }

  private HttpResponse respondIds(Admitted admitted, long start) {
    try {
      return HttpResponse.of(OK_JSON, HttpData.ofUtf8(answer(admitted, start)));
    } catch (ApiException e) {
      return error(e);
    }
  }

  /**
   * Issues the IDs of an admitted request and writes the 200 answer's JSON body; records the
   * route's latency from {@code start}.
   *
   * @throws ApiException for every refusal, an unexpected failure included ({@link Unexpected})
   */
  CharSequence answer(Admitted admitted, long start) {
    try {
      CharSequence body =
          admitted.namespace().strategy().textual()
              ? texts(admitted.namespace(), admitted.count())
              : ids(admitted.namespace(), admitted.count());
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return body;
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Unexpected.of(e);
    }
  }

  /**
   * {@code {"namespace":…,"ids":[…]}}, with {@code "publicIds":[…]} where the namespace has them.
   */
  private StringBuilder ids(Namespace ns, int count) {
    long[] ids = api.nextIds(ns, count);
    StringBuilder out = new StringBuilder(40 + ids.length * (ns.publicIds() == null ? 22 : 40));
    out.append("{\"namespace\":");
    Json.string(out, ns.name()).append(",\"ids\":[");
    for (int i = 0; i < ids.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(ids[i]).append('"');
    }
    out.append(']');
    String[] publicIds = api.publicIds(ns, ids);
    if (publicIds != null) {
      out.append(",\"publicIds\":[");
      for (int i = 0; i < publicIds.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        Json.string(out, publicIds[i]);
      }
      out.append(']');
    }
    return out.append('}');
  }

  /** {@code {"namespace":…,"uuids":[…]}} (uuid7) or {@code {"namespace":…,"numbers":[…]}}. */
  private StringBuilder texts(Namespace ns, int count) {
    String[] texts = api.nextTexts(ns, count);
    StringBuilder out = new StringBuilder(40 + texts.length * 40);
    out.append("{\"namespace\":");
    Json.string(out, ns.name())
        .append(ns.strategy() == Strategy.UUID7 ? ",\"uuids\":[" : ",\"numbers\":[");
    for (int i = 0; i < texts.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      Json.string(out, texts[i]);
    }
    return out.append("]}");
  }

  private HttpResponse inspect(ServiceRequestContext ctx, HttpRequest req) {
    try {
      Namespace.Inspection inspection =
          api.inspect(
              api.authenticate(authorization(req), client(ctx)),
              ctx.pathParam("ns"),
              ctx.pathParam("id"));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("namespace", inspection.namespace());
      body.put("id", inspection.id() != null ? Long.toString(inspection.id()) : inspection.text());
      body.put("strategy", inspection.strategy().id());
      if (inspection.timestamp() != null) {
        body.put("timestamp", inspection.timestamp());
        body.put("worker", inspection.worker());
        body.put("sequence", inspection.sequence());
      }
      if (inspection.period() != null) {
        body.put("period", inspection.period());
        // A string, as IDs are: with {seq:16} and wider it can pass 2^53, which JSON readers in
        // JavaScript would round.
        body.put("sequence", Long.toString(inspection.sequence()));
      }
      if (inspection.publicId() != null) {
        body.put("publicId", inspection.publicId());
      }
      return json(body);
    } catch (ApiException e) {
      return error(e);
    }
  }

  private HttpResponse listNamespaces(ServiceRequestContext ctx, HttpRequest req) {
    try {
      List<Namespace> namespaces = api.list(api.authenticate(authorization(req), client(ctx)));
      return json(
          JsonViews.definitions(
              namespaces.stream().map(ns -> DefinitionView.of(ns.config())).toList()));
    } catch (ApiException e) {
      return error(e);
    }
  }

  private HttpResponse getNamespace(ServiceRequestContext ctx, HttpRequest req) {
    try {
      Namespace ns =
          api.authorizeRead(api.authenticate(authorization(req), client(ctx)), ctx.pathParam("ns"));
      return json(JsonViews.definition(DefinitionView.of(ns.config())));
    } catch (ApiException e) {
      return error(e);
    }
  }

  private static String authorization(HttpRequest req) {
    return req.headers().get(HttpHeaderNames.AUTHORIZATION);
  }

  /** The peer's IP address, for the per-client limits (no proxy header is trusted). */
  private static String client(ServiceRequestContext ctx) {
    return Caller.address(ctx);
  }

  private static HttpResponse json(Object body) {
    try {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, JSON.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return error(new ApiException(ApiError.INTERNAL, "could not write the response"));
    }
  }

  static ApiException unwrap(Throwable cause) {
    Throwable root =
        cause instanceof java.util.concurrent.CompletionException ? cause.getCause() : cause;
    if (root instanceof ApiException api) {
      return api;
    }
    if (root instanceof ContentTooLargeException) {
      return new ApiException(ApiError.PAYLOAD_TOO_LARGE, "request body is too large");
    }
    return Unexpected.of(root);
  }

  /** An error response: JSON body, and {@code Retry-After} where it applies. */
  public static HttpResponse error(ApiException e) {
    ResponseHeadersBuilder headers =
        ResponseHeaders.builder(e.error().httpStatus()).contentType(MediaType.JSON_UTF_8);
    String retryAfter = e.retryAfterSeconds();
    if (retryAfter != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
    }
    return HttpResponse.of(headers.build(), HttpData.ofUtf8(Json.error(e.error(), e.getMessage())));
  }
}
