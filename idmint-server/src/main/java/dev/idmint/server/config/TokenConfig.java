package dev.idmint.server.config;

import java.util.Set;

/**
 * A bearer token and what it may do. The token itself is never logged or shown.
 *
 * @param token the secret
 * @param scopes what it may do; never empty ({@link Scope#MINT} when the configuration names none)
 * @param namespaces the namespaces it may use; {@link #ALL_NAMESPACES} means every one, and an
 *     empty set is refused at load so that a typo cannot grant everything
 * @param idsPerSecond IDs per second allowed with this token (a request for n IDs costs n, any
 *     other request 1); 0 means unlimited
 */
public record TokenConfig(
    String token, Set<Scope> scopes, Set<String> namespaces, double idsPerSecond) {

  /** The namespace list that grants every namespace, written {@code ["*"]}. */
  public static final Set<String> ALL_NAMESPACES = Set.of("*");

  public TokenConfig {
    scopes = Set.copyOf(scopes);
    namespaces = Set.copyOf(namespaces);
    if (scopes.isEmpty() || namespaces.isEmpty()) {
      throw new IllegalArgumentException("a token needs at least one scope and one namespace");
    }
  }

  public boolean allows(String namespace) {
    return namespaces.contains("*") || namespaces.contains(namespace);
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  @Override
  public String toString() {
    return "TokenConfig[token=***, scopes="
        + scopes
        + ", namespaces="
        + namespaces
        + ", idsPerSecond="
        + idsPerSecond
        + "]";
  }
}
