package dev.idmint.server.api;

import com.linecorp.armeria.server.ServiceRequestContext;
import java.lang.System.Logger.Level;

/**
 * The one place an exception nobody expected becomes an answer: 500 / INTERNAL with a request id,
 * and one log line with that id and the stack trace. The answer never carries the exception's text,
 * which may describe internals.
 */
public final class Unexpected {
  private static final System.Logger LOG = System.getLogger(Unexpected.class.getName());

  private Unexpected() {}

  /** Logs {@code cause} once and returns the error to answer with. */
  public static ApiException of(Throwable cause) {
    return of(ServiceRequestContext.currentOrNull(), cause);
  }

  /** Logs {@code cause} once under {@code ctx}'s request id (may be null) and returns the error. */
  public static ApiException of(ServiceRequestContext ctx, Throwable cause) {
    String requestId = ctx == null ? java.util.UUID.randomUUID().toString() : ctx.id().text();
    LOG.log(
        Level.ERROR,
        "unexpected error in request "
            + requestId
            + (ctx == null ? "" : " (" + ctx.method() + " " + ctx.path() + ")"),
        cause);
    return new ApiException(
        ApiError.INTERNAL,
        "internal error; request id " + requestId + " (the node's log has the details)");
  }
}
