package dev.idmint.server.api;

/** The error codes of the v1 API, with their HTTP status and gRPC status code. */
public enum ApiError {
  INVALID_ARGUMENT(400, io.grpc.Status.Code.INVALID_ARGUMENT),
  UNAUTHENTICATED(401, io.grpc.Status.Code.UNAUTHENTICATED),
  PERMISSION_DENIED(403, io.grpc.Status.Code.PERMISSION_DENIED),
  NOT_FOUND(404, io.grpc.Status.Code.NOT_FOUND),
  METHOD_NOT_ALLOWED(405, io.grpc.Status.Code.UNIMPLEMENTED),
  ALREADY_EXISTS(409, io.grpc.Status.Code.ALREADY_EXISTS),
  FAILED_PRECONDITION(409, io.grpc.Status.Code.FAILED_PRECONDITION),
  PAYLOAD_TOO_LARGE(413, io.grpc.Status.Code.RESOURCE_EXHAUSTED),
  RESOURCE_EXHAUSTED(429, io.grpc.Status.Code.RESOURCE_EXHAUSTED),
  INTERNAL(500, io.grpc.Status.Code.INTERNAL),
  UNAVAILABLE(503, io.grpc.Status.Code.UNAVAILABLE);

  private final int httpStatus;
  private final io.grpc.Status.Code grpcCode;

  ApiError(int httpStatus, io.grpc.Status.Code grpcCode) {
    this.httpStatus = httpStatus;
    this.grpcCode = grpcCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public io.grpc.Status.Code grpcCode() {
    return grpcCode;
  }

  /** The code for an HTTP status the framework produced itself (unknown route, …). */
  public static ApiError ofHttpStatus(int status) {
    for (ApiError error : values()) {
      if (error.httpStatus == status) {
        return error;
      }
    }
    return status >= 500 ? INTERNAL : INVALID_ARGUMENT;
  }
}
