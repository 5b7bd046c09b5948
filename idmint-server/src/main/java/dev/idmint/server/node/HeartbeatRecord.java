package dev.idmint.server.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.core.Clock;
import dev.idmint.core.lease.WorkerLease;
import java.time.Instant;
import java.util.Collection;

/**
 * A node's heartbeat record in the registry: what the node list shows about it (address, version,
 * coordinator, lease, state and per-namespace counters), as JSON text. Pure: built from what the
 * node passes in.
 */
final class HeartbeatRecord {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HeartbeatRecord() {}

  /**
   * @param lease the lease held now, or null
   */
  static String of(
      String address,
      String version,
      String coordinator,
      WorkerLease lease,
      Long clockSkewMillis,
      Clock clock,
      Instant startedAt,
      Node.State state,
      Collection<Namespace> namespaces) {
    ObjectNode info = JSON.createObjectNode();
    info.put("address", address);
    info.put("version", version);
    info.put("coordinator", coordinator);
    if (lease == null) {
      info.putNull("worker");
      info.putNull("leaseExpiresAt");
      info.putNull("reservedUntil");
    } else {
      info.put("worker", lease.worker());
      long remainingMillis =
          Math.max(0, (lease.validUntilNanos() - clock.monotonicNanos()) / 1_000_000);
      info.put(
          "leaseExpiresAt", Instant.ofEpochMilli(clock.wallMillis() + remainingMillis).toString());
      info.put("reservedUntil", Instant.ofEpochMilli(lease.reservedUntilMillis()).toString());
    }
    if (clockSkewMillis == null) {
      info.putNull("clockSkewMillis");
    } else {
      info.put("clockSkewMillis", clockSkewMillis.longValue());
    }
    info.put("startedAt", startedAt.toString());
    info.put("state", state.name());
    ObjectNode counters = info.putObject("namespaces");
    for (Namespace ns : namespaces) {
      ObjectNode counter = counters.putObject(ns.name());
      counter.put("issued", ns.issuedCount());
      NamespaceGenerator.Stats stats = ns.lifecycle().stats();
      if (stats.bufferRemaining() == null) {
        counter.putNull("bufferRemaining");
      } else {
        counter.put("bufferRemaining", Math.max(0, stats.bufferRemaining()));
      }
      if (stats.bufferCapacity() == null) {
        counter.putNull("bufferCapacity");
      } else {
        counter.put("bufferCapacity", stats.bufferCapacity());
      }
    }
    return info.toString();
  }
}
