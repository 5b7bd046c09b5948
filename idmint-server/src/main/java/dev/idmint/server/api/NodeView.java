package dev.idmint.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idmint.core.registry.NodeEntry;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node as the admin API shows it: its registry record and what it wrote with its last
 * heartbeat, read once from the stored record. Times are ISO-8601 instants; a field the node did
 * not report (or reported as absent: no worker, no lease) is null.
 *
 * @param worker the worker the node holds, or null
 * @param clockSkewMillis how far the node's wall clock was from the coordinator's at its last claim
 *     or renewal (positive: ahead), or null when it did not report it
 * @param state {@code LIVE}, {@code DRAINING}, {@code DRAINED} or, by the coordinator's clock,
 *     {@code EXPIRED}
 * @param namespaces the node's counters by namespace, in the node's order
 */
public record NodeView(
    String nodeId,
    String address,
    String version,
    String coordinator,
    Integer worker,
    String leaseExpiresAt,
    String reservedUntil,
    Long clockSkewMillis,
    String startedAt,
    String lastHeartbeat,
    String state,
    Map<String, Counters> namespaces) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public NodeView {
    namespaces = Collections.unmodifiableMap(new LinkedHashMap<>(namespaces));
  }

  /**
   * One namespace's counters on one node.
   *
   * @param issued IDs issued by the node since it started
   * @param bufferRemaining segment namespaces only: IDs left in the current buffer, else null
   * @param bufferCapacity segment namespaces only: the current buffer's size, else null
   */
  public record Counters(long issued, Long bufferRemaining, Long bufferCapacity) {}

  /**
   * Reads a registry record. A heartbeat record that is not JSON (written by a foreign or broken
   * node) shows as a node that reported nothing.
   */
  public static NodeView of(NodeEntry entry) {
    JsonNode info;
    try {
      info = JSON.readTree(entry.info());
    } catch (JsonProcessingException e) {
      info = JSON.createObjectNode();
    }
    Map<String, Counters> namespaces = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> ns : info.path("namespaces").properties()) {
      JsonNode counters = ns.getValue();
      namespaces.put(
          ns.getKey(),
          new Counters(
              counters.path("issued").asLong(),
              counters.path("bufferRemaining").isNumber()
                  ? counters.path("bufferRemaining").asLong()
                  : null,
              counters.path("bufferCapacity").isNumber()
                  ? counters.path("bufferCapacity").asLong()
                  : null));
    }
    return new NodeView(
        entry.nodeId(),
        text(info, "address"),
        text(info, "version"),
        text(info, "coordinator"),
        info.path("worker").isNumber() ? info.path("worker").asInt() : null,
        text(info, "leaseExpiresAt"),
        text(info, "reservedUntil"),
        info.path("clockSkewMillis").isNumber() ? info.path("clockSkewMillis").asLong() : null,
        text(info, "startedAt"),
        Instant.ofEpochMilli(entry.lastHeartbeatMillis()).toString(),
        entry.expired() ? "EXPIRED" : info.path("state").asText("LIVE"),
        namespaces);
  }

  private static String text(JsonNode info, String field) {
    JsonNode value = info.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
