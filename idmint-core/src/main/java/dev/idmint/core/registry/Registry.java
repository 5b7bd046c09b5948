package dev.idmint.core.registry;

import dev.idmint.core.CoordinatorException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * SPI: the registry kept in the coordinator that every node shares (DESIGN.md rule 7): one
 * definition per namespace, versioned, and the list of nodes with their heartbeats. Store modules
 * implement it and pass the testkit's {@code RegistryContract}.
 *
 * <p>A definition is opaque text to the registry (the server writes JSON); the registry only keeps
 * it, counts its revisions and records whether the namespace has issued IDs. It never holds key
 * material.
 *
 * <p>Contract every implementation keeps:
 *
 * <ul>
 *   <li>{@link #create} is create-if-absent, atomically: of concurrent creates of one name exactly
 *       one succeeds, the others see {@link NamespaceExistsException} carrying the winner's entry.
 *   <li>{@link #update} is compare-and-set on the revision; every change (including the first
 *       {@link #markIssued}) increments the revision by one.
 *   <li>Node expiry is decided by the coordinator's own clock, never a node's.
 *   <li>Engine failures surface as {@link CoordinatorException}.
 * </ul>
 *
 * Calls happen on background threads and admin requests, never on the path of an ID.
 */
public interface Registry {

  /** Every namespace definition, ordered by name. */
  List<NamespaceEntry> namespaces();

  /** The definition of {@code name}, if there is one. */
  Optional<NamespaceEntry> namespace(String name);

  /**
   * Creates the definition of {@code name} at revision 1, not issued.
   *
   * @throws NamespaceExistsException if {@code name} is defined already (carrying that entry)
   * @throws CoordinatorException if the coordinator failed
   */
  NamespaceEntry create(String name, String definition);

  /**
   * Replaces the definition of {@code name} if its revision is still {@code expectedRevision}.
   *
   * @return the entry with the revision incremented
   * @throws RevisionConflictException if the revision moved on (carrying the current entry)
   * @throws UnknownNamespaceException if {@code name} is not defined
   * @throws CoordinatorException if the coordinator failed
   */
  NamespaceEntry update(String name, long expectedRevision, String definition);

  /**
   * Records that {@code name} has issued IDs. The first call flips the flag and increments the
   * revision, so a concurrent {@link #update} made against the earlier revision fails; later calls
   * change nothing.
   *
   * @throws UnknownNamespaceException if {@code name} is not defined
   * @throws CoordinatorException if the coordinator failed
   */
  NamespaceEntry markIssued(String name);

  /**
   * Registers the node or refreshes its record: {@code info} replaces the previous text, the last
   * heartbeat becomes the coordinator's now and the record expires {@code ttl} later unless
   * refreshed. A drain request survives heartbeats.
   *
   * @return true when a drain of this node has been requested
   * @throws CoordinatorException if the coordinator failed
   */
  boolean heartbeat(String nodeId, String info, Duration ttl);

  /** Every node record, expired ones included, ordered by node id. */
  List<NodeEntry> nodes();

  /**
   * Asks the node to drain; it learns of it with its next heartbeat.
   *
   * @return false when no such node is registered
   * @throws CoordinatorException if the coordinator failed
   */
  boolean requestDrain(String nodeId);

  /**
   * Removes the node's record (a clean stop). Removing an absent record does nothing.
   *
   * @throws CoordinatorException if the coordinator failed
   */
  void deregister(String nodeId);
}
