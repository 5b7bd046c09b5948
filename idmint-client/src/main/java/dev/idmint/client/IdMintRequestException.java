package dev.idmint.client;

/**
 * A request that no endpoint can serve as asked: bad input, an unknown namespace, or a token that
 * is missing, wrong, or not allowed the namespace. Never retried on another endpoint, because every
 * node would answer the same. {@link #endpoint()} names the node that answered, or is {@code null}
 * when the client refused the request before sending it.
 */
public abstract class IdMintRequestException extends IdMintException {
  private final String endpoint;

  IdMintRequestException(String message, String endpoint) {
    super(endpoint == null ? message : message + " (answered by " + endpoint + ")");
    this.endpoint = endpoint;
  }

  /**
   * The endpoint ({@code host:port}) that refused the request, or {@code null} if none was asked.
   */
  public String endpoint() {
    return endpoint;
  }
}
