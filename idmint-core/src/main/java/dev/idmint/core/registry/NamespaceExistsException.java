package dev.idmint.core.registry;

import dev.idmint.core.IdMintException;

/** A namespace could not be created: it is defined already. */
public final class NamespaceExistsException extends IdMintException {
  private final transient NamespaceEntry existing;

  public NamespaceExistsException(NamespaceEntry existing) {
    super(
        "namespace " + existing.name() + " exists already (revision " + existing.revision() + ")");
    this.existing = existing;
  }

  /** The definition that was there first. */
  public NamespaceEntry existing() {
    return existing;
  }
}
