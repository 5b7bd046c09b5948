package dev.idmint.client;

/**
 * The request itself is wrong: a namespace name that does not match {@code [a-z][a-z0-9_-]{0,62}},
 * a count out of range, or (from the server, gRPC {@code INVALID_ARGUMENT}) a batch larger than the
 * server's {@code limits.max-count}.
 */
public final class IdMintInvalidArgumentException extends IdMintRequestException {
  IdMintInvalidArgumentException(String message, String endpoint) {
    super(message, endpoint);
  }
}
