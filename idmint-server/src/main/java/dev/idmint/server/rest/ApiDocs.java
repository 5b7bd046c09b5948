package dev.idmint.server.rest;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.file.HttpFile;
import dev.idmint.server.api.AdminAuth;
import dev.idmint.server.api.ApiError;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Caller;
import dev.idmint.server.api.FailedAuthLimit;
import dev.idmint.server.api.Json;

/**
 * Machine-readable API docs: {@code /openapi.json} (the REST API as OpenAPI 3.1, committed in
 * idmint-api as {@code idmint/v1/openapi.json}; no token, it holds no cluster data) and Armeria's
 * {@code DocService} at {@code /docs} for browsing and trying the gRPC and REST services. {@code
 * /docs} exists only when the admin API is on and needs the admin token, as a bearer token or as
 * the password of HTTP Basic authentication (any user name), so that a browser can ask for it;
 * failures count against the same per-address limit as the APIs' ({@link FailedAuthLimit}).
 */
public final class ApiDocs {
  /** Where the OpenAPI document lies on the class path. */
  public static final String OPENAPI_RESOURCE = "idmint/v1/openapi.json";

  private ApiDocs() {}

  /**
   * Adds {@code /openapi.json}, and {@code /docs} when the admin API is on.
   *
   * @throws IllegalStateException if the OpenAPI document is not on the class path
   */
  public static void register(ServerBuilder server, AdminAuth admin) {
    ClassLoader loader = ApiDocs.class.getClassLoader();
    if (loader.getResource(OPENAPI_RESOURCE) == null) {
      throw new IllegalStateException(
          "the OpenAPI document is not on the class path: " + OPENAPI_RESOURCE);
    }
    server
        .route()
        .methods(HttpMethod.GET, HttpMethod.HEAD)
        .path("/openapi.json")
        .build(
            HttpFile.builder(loader, OPENAPI_RESOURCE)
                .contentType(MediaType.JSON_UTF_8)
                .cacheControl("no-cache")
                .build()
                .asService());
    if (admin.enabled()) {
      server.serviceUnder("/docs", guarded(DocService.builder().build(), admin));
    }
  }

  private static HttpService guarded(HttpService docs, AdminAuth admin) {
    return docs.decorate(
        (delegate, ctx, req) -> {
          try {
            admin.checkDocs(req.headers().get(HttpHeaderNames.AUTHORIZATION), Caller.address(ctx));
          } catch (ApiException e) {
            if (e.error() != ApiError.UNAUTHENTICATED) {
              return RestService.error(e);
            }
            return HttpResponse.of(
                ResponseHeaders.builder(e.error().httpStatus())
                    .add(
                        HttpHeaderNames.WWW_AUTHENTICATE,
                        "Basic realm=\"idmint admin\", charset=\"UTF-8\"")
                    .contentType(MediaType.JSON_UTF_8)
                    .build(),
                com.linecorp.armeria.common.HttpData.ofUtf8(
                    Json.error(ApiError.UNAUTHENTICATED, e.getMessage())));
          }
          return delegate.serve(ctx, req);
        });
  }
}
