package dev.idmint.core.registry;

import java.util.Objects;

/**
 * One namespace definition as the registry holds it.
 *
 * @param name the namespace name
 * @param definition the definition text (opaque to the registry)
 * @param revision 1 when created, incremented by every change
 * @param issued true once a node has recorded that it issues IDs of this namespace
 */
public record NamespaceEntry(String name, String definition, long revision, boolean issued) {
  public NamespaceEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    if (revision < 1) {
      throw new IllegalArgumentException("revision must be >= 1: revision=" + revision);
    }
  }
}
