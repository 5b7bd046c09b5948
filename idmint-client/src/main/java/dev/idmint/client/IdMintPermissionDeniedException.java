package dev.idmint.client;

/** The token is valid but may not use this namespace (gRPC {@code PERMISSION_DENIED}). */
public final class IdMintPermissionDeniedException extends IdMintRequestException {
  IdMintPermissionDeniedException(String message, String endpoint) {
    super(message, endpoint);
  }
}
