package dev.idmint.server.config;

import java.util.Set;

/**
 * A bearer token and what it may do. The token itself is never logged or shown.
 *
 * @param token the secret
 * @param namespaces the namespaces it may use; empty means all
 * @param ratePerSecond requests per second allowed with this token; 0 means unlimited
 */
public record TokenConfig(String token, Set<String> namespaces, double ratePerSecond) {

  public boolean allows(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  @Override
  public String toString() {
    return "TokenConfig[token=***, namespaces=" + namespaces + ", rate=" + ratePerSecond + "]";
  }
}
