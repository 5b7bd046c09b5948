package dev.idmint.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The admin API over REST/JSON under {@code /v1/admin}. Every call reaches the coordinator, so it
 * runs on the blocking task executor, never on the event loop. Errors have the ID API's JSON shape.
 */
public final class AdminRestService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdminApi api;

  public AdminRestService(AdminApi api) {
    this.api = api;
  }

  /** Adds the routes to {@code server}. */
  public void register(ServerBuilder server) {
    server
        .route()
        .get("/v1/admin/nodes")
        .build((ctx, req) -> handle(ctx, req, HttpStatus.OK, r -> api.nodes(auth(r))));
    server
        .route()
        .post("/v1/admin/nodes/{nodeId}/drain")
        .build(
            (ctx, req) ->
                handle(
                    ctx,
                    req,
                    HttpStatus.ACCEPTED,
                    r -> api.drain(auth(r), ctx.pathParam("nodeId"))));
    server
        .route()
        .get("/v1/admin/namespaces")
        .build((ctx, req) -> handle(ctx, req, HttpStatus.OK, r -> api.namespaces(auth(r))));
    server
        .route()
        .post("/v1/admin/namespaces")
        .build(
            (ctx, req) ->
                handle(ctx, req, HttpStatus.CREATED, r -> api.create(auth(r), r.contentUtf8())));
    server
        .route()
        .get("/v1/admin/namespaces/{ns}")
        .build(
            (ctx, req) ->
                handle(ctx, req, HttpStatus.OK, r -> api.namespace(auth(r), ctx.pathParam("ns"))));
    server
        .route()
        .put("/v1/admin/namespaces/{ns}")
        .build(
            (ctx, req) ->
                handle(
                    ctx,
                    req,
                    HttpStatus.OK,
                    r -> api.update(auth(r), ctx.pathParam("ns"), r.contentUtf8())));
  }

  private static String auth(AggregatedHttpRequest req) {
    return req.headers().get(HttpHeaderNames.AUTHORIZATION);
  }

  private static HttpResponse handle(
      ServiceRequestContext ctx,
      HttpRequest req,
      HttpStatus status,
      Function<AggregatedHttpRequest, Object> action) {
    CompletableFuture<HttpResponse> response =
        req.aggregate()
            .thenApplyAsync(
                aggregated -> {
                  try {
                    return HttpResponse.of(
                        status,
                        MediaType.JSON_UTF_8,
                        JSON.writeValueAsBytes(action.apply(aggregated)));
                  } catch (ApiException e) {
                    return RestService.error(e);
                  } catch (RuntimeException e) {
                    return RestService.error(Unexpected.of(e));
                  } catch (JsonProcessingException e) {
                    return RestService.error(
                        new ApiException(ApiError.INTERNAL, "could not write the response"));
                  }
                },
                ctx.blockingTaskExecutor())
            .exceptionally(cause -> RestService.error(RestService.unwrap(cause)));
    return HttpResponse.of(response);
  }
}
