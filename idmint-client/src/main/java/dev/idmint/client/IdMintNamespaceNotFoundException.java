package dev.idmint.client;

/** The server does not serve this namespace (gRPC {@code NOT_FOUND}). */
public final class IdMintNamespaceNotFoundException extends IdMintRequestException {
  private final String namespace;

  IdMintNamespaceNotFoundException(String namespace, String message, String endpoint) {
    super(message, endpoint);
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }
}
