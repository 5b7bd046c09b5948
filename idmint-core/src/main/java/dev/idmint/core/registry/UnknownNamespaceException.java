package dev.idmint.core.registry;

import dev.idmint.core.IdMintException;

/** The registry has no definition of the namespace. */
public final class UnknownNamespaceException extends IdMintException {
  private final String name;

  public UnknownNamespaceException(String name) {
    super("the registry has no namespace " + name);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
