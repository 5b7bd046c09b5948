package dev.idmint.core.registry;

import java.util.Objects;

/**
 * One node's record in the registry. Times are the coordinator's own clock.
 *
 * @param nodeId the node's id
 * @param info what the node wrote with its last heartbeat (opaque to the registry)
 * @param lastHeartbeatMillis the coordinator's clock at the last heartbeat
 * @param expiresAtMillis when the record expires unless refreshed
 * @param drainRequested true once a drain of this node was requested
 * @param coordinatorNowMillis the coordinator's clock when the record was read
 */
public record NodeEntry(
    String nodeId,
    String info,
    long lastHeartbeatMillis,
    long expiresAtMillis,
    boolean drainRequested,
    long coordinatorNowMillis) {
  public NodeEntry {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(info, "info");
  }

  /** True when the node missed its heartbeats past the TTL, by the coordinator's clock. */
  public boolean expired() {
    return coordinatorNowMillis >= expiresAtMillis;
  }
}
