package dev.idmint.server.rest;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.idmint.server.api.ApiError;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Json;
import dev.idmint.server.api.Unexpected;

/**
 * Makes the errors Armeria produces itself (unknown route 404, wrong method 405, body too large
 * 413, protocol errors) answer with the same JSON error body as the API; anything else a service
 * throws is a 500 with a request id ({@link Unexpected}).
 */
public final class JsonErrorHandler implements ServerErrorHandler {

  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    if (cause instanceof ApiException api) {
      return RestService.error(api);
    }
    if (cause instanceof com.linecorp.armeria.common.ContentTooLargeException) {
      return RestService.error(
          new ApiException(ApiError.PAYLOAD_TOO_LARGE, "request body is too large"));
    }
    if (cause instanceof com.linecorp.armeria.server.HttpStatusException
        || cause instanceof com.linecorp.armeria.server.HttpResponseException
        || cause instanceof com.linecorp.armeria.server.RequestTimeoutException
        || cause instanceof com.linecorp.armeria.server.RequestCancellationException
        || cause instanceof com.linecorp.armeria.common.ClosedSessionException
        || cause instanceof com.linecorp.armeria.common.CancellationException) {
      return null; // the default handler maps it to a status, rendered by renderStatus below
    }
    return RestService.error(Unexpected.of(ctx, cause));
  }

  @Override
  public AggregatedHttpResponse renderStatus(
      ServiceRequestContext ctx,
      ServiceConfig config,
      RequestHeaders headers,
      HttpStatus status,
      String description,
      Throwable cause) {
    ApiError error = ApiError.ofHttpStatus(status.code());
    String message =
        switch (status.code()) {
          case 404 -> "no such resource: " + (headers == null ? "" : headers.path());
          case 405 ->
              "method "
                  + (headers == null ? "" : headers.method())
                  + " is not allowed on "
                  + (headers == null ? "" : headers.path());
          case 413 -> "request body is too large";
          default -> description != null ? description : status.reasonPhrase();
        };
    return AggregatedHttpResponse.of(
        ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8).build(),
        HttpData.ofUtf8(Json.error(error, message)));
  }
}
