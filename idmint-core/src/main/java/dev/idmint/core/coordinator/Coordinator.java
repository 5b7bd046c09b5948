package dev.idmint.core.coordinator;

import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.segment.SegmentStore;

/**
 * One connection to the engine that nodes share: the stores it offers and their lifecycle. Made by
 * {@link Coordinators#open}; closing it closes its pools and sessions.
 */
public interface Coordinator extends AutoCloseable {

  /** What this coordinator is, for logs and the startup line; never contains a password. */
  String description();

  /** Worker claims on this engine. */
  WorkerLeaseStore workerLeases();

  /**
   * Segment ranges on this engine.
   *
   * @throws UnsupportedOperationException if this engine does not offer segments
   */
  SegmentStore segments();

  /**
   * Namespace definitions and node records on this engine (DESIGN.md rule 7).
   *
   * @throws UnsupportedOperationException if this engine keeps no registry
   */
  default Registry registry() {
    throw new UnsupportedOperationException(description() + " keeps no namespace registry");
  }

  /** Closes pools, sessions and threads. Idempotent. */
  @Override
  void close();
}
