package dev.idmint.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
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
import dev.idmint.server.api.Caller;
import dev.idmint.server.api.DefinitionRequest;
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

  /** One admin call: who asks, the request's context and its body. */
  @FunctionalInterface
  private interface Call {
    JsonNode apply(Caller caller, ServiceRequestContext ctx, AggregatedHttpRequest request);
  }

  /** Adds the routes to {@code server}. */
  public void register(ServerBuilder server) {
    route(
        server,
        HttpMethod.GET,
        "/v1/admin/nodes",
        HttpStatus.OK,
        (caller, ctx, r) -> JsonViews.nodes(api.nodes(caller)));
    route(
        server,
        HttpMethod.POST,
        "/v1/admin/nodes/{nodeId}/drain",
        HttpStatus.ACCEPTED,
        (caller, ctx, r) -> JsonViews.drain(api.drain(caller, ctx.pathParam("nodeId"))));
    route(
        server,
        HttpMethod.GET,
        "/v1/admin/namespaces",
        HttpStatus.OK,
        (caller, ctx, r) -> JsonViews.definitions(api.namespaces(caller)));
    route(
        server,
        HttpMethod.POST,
        "/v1/admin/namespaces",
        HttpStatus.CREATED,
        (caller, ctx, r) ->
            JsonViews.definition(api.create(caller, DefinitionRequest.ofJson(r.contentUtf8()))));
    route(
        server,
        HttpMethod.GET,
        "/v1/admin/namespaces/{ns}",
        HttpStatus.OK,
        (caller, ctx, r) -> JsonViews.definition(api.namespace(caller, ctx.pathParam("ns"))));
    route(
        server,
        HttpMethod.PUT,
        "/v1/admin/namespaces/{ns}",
        HttpStatus.OK,
        (caller, ctx, r) ->
            JsonViews.definition(
                api.update(
                    caller, ctx.pathParam("ns"), DefinitionRequest.ofJson(r.contentUtf8()))));
  }

  private static void route(
      ServerBuilder server, HttpMethod method, String path, HttpStatus status, Call call) {
    server
        .route()
        .methods(method)
        .path(path)
        .build((ctx, req) -> handle(ctx, req, status, r -> call.apply(Caller.of(ctx), ctx, r)));
  }

  private static HttpResponse handle(
      ServiceRequestContext ctx,
      HttpRequest req,
      HttpStatus status,
      Function<AggregatedHttpRequest, JsonNode> action) {
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
