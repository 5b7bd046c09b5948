package dev.idmint.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.idmint.server.api.AdminApi;
import dev.idmint.server.api.ApiError;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Unexpected;
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

  /** One admin call: the request's Authorization header, the client address, the request. */
  @FunctionalInterface
  private interface Call {
    Object apply(
        String authorization, String client, ServiceRequestContext ctx, AggregatedHttpRequest r);
  }

  /** Adds the routes to {@code server}. */
  public void register(ServerBuilder server) {
    route(
        server,
        HttpMethod.GET,
        "/v1/admin/nodes",
        HttpStatus.OK,
        (a, c, ctx, r) -> api.nodes(a, c));
    route(
        server,
        HttpMethod.POST,
        "/v1/admin/nodes/{nodeId}/drain",
        HttpStatus.ACCEPTED,
        (a, c, ctx, r) -> api.drain(a, c, ctx.pathParam("nodeId")));
    route(
        server,
        HttpMethod.GET,
        "/v1/admin/namespaces",
        HttpStatus.OK,
        (a, c, ctx, r) -> api.namespaces(a, c));
    route(
        server,
        HttpMethod.POST,
        "/v1/admin/namespaces",
        HttpStatus.CREATED,
        (a, c, ctx, r) -> api.create(a, c, r.contentUtf8()));
    route(
        server,
        HttpMethod.GET,
        "/v1/admin/namespaces/{ns}",
        HttpStatus.OK,
        (a, c, ctx, r) -> api.namespace(a, c, ctx.pathParam("ns")));
    route(
        server,
        HttpMethod.PUT,
        "/v1/admin/namespaces/{ns}",
        HttpStatus.OK,
        (a, c, ctx, r) -> api.update(a, c, ctx.pathParam("ns"), r.contentUtf8()));
  }

  private static void route(
      ServerBuilder server, HttpMethod method, String path, HttpStatus status, Call call) {
    server
        .route()
        .methods(method)
        .path(path)
        .build(
            (ctx, req) ->
                handle(
                    ctx,
                    req,
                    status,
                    r ->
                        call.apply(
                            r.headers().get(HttpHeaderNames.AUTHORIZATION),
                            RestService.client(ctx),
                            ctx,
                            r)));
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
