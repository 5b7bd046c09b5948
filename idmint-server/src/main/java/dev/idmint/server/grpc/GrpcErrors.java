package dev.idmint.server.grpc;

import dev.idmint.server.api.ApiException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How both gRPC services answer an {@link ApiException}: the status code of its kind, its message,
 * and a {@code retry-after} trailer (the same whole seconds as REST's header) where it has a hint.
 */
final class GrpcErrors {
  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcErrors() {}

  static StatusRuntimeException status(ApiException e) {
    Metadata trailers = new Metadata();
    String retryAfter = e.retryAfterSeconds();
    if (retryAfter != null) {
      trailers.put(RETRY_AFTER, retryAfter);
    }
    return Status.fromCode(e.error().grpcCode())
        .withDescription(e.getMessage())
        .asRuntimeException(trailers);
  }
}
