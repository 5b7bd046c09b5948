package dev.idmint.server.api;

import io.grpc.Status;

/**
 * The kinds of error of the v1 API, and the one table of how each is answered: its HTTP status, its
 * gRPC status code, and whether a client may retry the same call (later, or on another node). Only
 * retryable kinds may carry a {@code Retry-After} hint ({@link ApiException#retryAfter()}). Neither
 * transport decides a status itself: REST answers {@link #httpStatus()}, gRPC {@link #grpcCode()}.
 * The name is the {@code code} of the JSON error body.
 */
public enum ApiError {
  INVALID_ARGUMENT(400, Status.Code.INVALID_ARGUMENT, false),
  UNAUTHENTICATED(401, Status.Code.UNAUTHENTICATED, false),
  PERMISSION_DENIED(403, Status.Code.PERMISSION_DENIED, false),
  NOT_FOUND(404, Status.Code.NOT_FOUND, false),
  METHOD_NOT_ALLOWED(405, Status.Code.UNIMPLEMENTED, false),
  ALREADY_EXISTS(409, Status.Code.ALREADY_EXISTS, false),
  FAILED_PRECONDITION(409, Status.Code.FAILED_PRECONDITION, false),
  PAYLOAD_TOO_LARGE(413, Status.Code.RESOURCE_EXHAUSTED, false),
  RESOURCE_EXHAUSTED(429, Status.Code.RESOURCE_EXHAUSTED, true),
  INTERNAL(500, Status.Code.INTERNAL, false),
  UNAVAILABLE(503, Status.Code.UNAVAILABLE, true);

  private final int httpStatus;
  private final Status.Code grpcCode;
  private final boolean retryable;

  ApiError(int httpStatus, Status.Code grpcCode, boolean retryable) {
    this.httpStatus = httpStatus;
    this.grpcCode = grpcCode;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public Status.Code grpcCode() {
    return grpcCode;
  }

  /**
   * True when the same call may succeed later or on another node (a rate limit, a node that cannot
   * issue safely right now); such answers may say when with {@code Retry-After}.
   */
  public boolean retryable() {
    return retryable;
  }

  /** The kind for an HTTP status the framework produced itself (unknown route, …). */
  public static ApiError ofHttpStatus(int status) {
    for (ApiError error : values()) {
      if (error.httpStatus == status) {
        return error;
      }
    }
    return status >= 500 ? INTERNAL : INVALID_ARGUMENT;
  }
}
