package dev.idmint.client;

/**
 * {@link IdMintClient#nextPublicId(String)} on a namespace for which the server returns no public
 * IDs (no public-ID codec is configured for it). The raw IDs that came with the answer are thrown
 * away, never handed out. The client remembers the answer for 30 seconds per namespace and fails
 * fast meanwhile, so a misconfigured caller does not burn a batch of IDs per call.
 */
public final class IdMintPublicIdUnsupportedException extends IdMintRequestException {
  private final String namespace;

  IdMintPublicIdUnsupportedException(String namespace, String endpoint) {
    super(
        "namespace "
            + namespace
            + " has no public-ID codec: the server returned raw IDs without public IDs",
        endpoint);
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }
}
