package dev.idmint.core.registry;

import dev.idmint.core.IdMintException;

/** A compare-and-set update lost: the definition changed since it was read. */
public final class RevisionConflictException extends IdMintException {
  private final transient NamespaceEntry current;

  public RevisionConflictException(long expectedRevision, NamespaceEntry current) {
    super(
        "namespace "
            + current.name()
            + " changed meanwhile: expected revision "
            + expectedRevision
            + ", the registry has revision "
            + current.revision());
    this.current = current;
  }

  /** The definition as it is now. */
  public NamespaceEntry current() {
    return current;
  }
}
