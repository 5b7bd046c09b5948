package dev.idmint.client;

/**
 * The server wants a bearer token and got none, or one it does not know (gRPC {@code
 * UNAUTHENTICATED}). Set one with {@link IdMintClientBuilder#token(String)}.
 */
public final class IdMintUnauthenticatedException extends IdMintRequestException {
  IdMintUnauthenticatedException(String message, String endpoint) {
    super(message, endpoint);
  }
}
