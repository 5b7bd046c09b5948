package dev.idmint.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.server.api.DefinitionView;
import dev.idmint.server.api.DrainView;
import dev.idmint.server.api.NodeView;
import java.util.List;
import java.util.Map;

/**
 * The REST/JSON shapes of the API's views, field by field in the documented order (docs/api.md, the
 * OpenAPI document). A definition leaves out what it does not have; a node shows every field, null
 * where the node reported nothing.
 */
final class JsonViews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonViews() {}

  /** {@code {"namespaces":[<definition>…]}} */
  static ObjectNode definitions(List<DefinitionView> views) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode array = out.putArray("namespaces");
    views.forEach(view -> array.add(definition(view)));
    return out;
  }

  /** {@code <definition>}: a namespace's view, with revision and issued in the admin API. */
  static ObjectNode definition(DefinitionView view) {
    if (view.problem() != null) {
      return unusable(view);
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("name", view.name());
    out.put("strategy", view.strategy());
    DefinitionView.Snowflake snowflake = view.snowflake();
    if (snowflake != null) {
      out.putObject("snowflake")
          .put("layout", snowflake.layout())
          .put("timestampBits", snowflake.timestampBits())
          .put("workerBits", snowflake.workerBits())
          .put("sequenceBits", snowflake.sequenceBits())
          .put("epoch", snowflake.epoch())
          .put("timeUnit", snowflake.timeUnit())
          .put("exhaustedAt", snowflake.exhaustedAt())
          .put("maxBorrowMillis", snowflake.maxBorrowMillis())
          .put("maxBackwardMillis", snowflake.maxBackwardMillis())
          .put("randomSequenceStart", snowflake.randomSequenceStart());
    }
    DefinitionView.Uuid7 uuid7 = view.uuid7();
    if (uuid7 != null) {
      out.putObject("uuid7")
          .put("workerBits", uuid7.workerBits())
          .put("sequenceBits", uuid7.sequenceBits())
          .put("maxBorrowMillis", uuid7.maxBorrowMillis())
          .put("maxBackwardMillis", uuid7.maxBackwardMillis());
    }
    DefinitionView.Pattern pattern = view.pattern();
    if (pattern != null) {
      out.putObject("pattern")
          .put("template", pattern.template())
          .put("reset", pattern.reset())
          .put("timeZone", pattern.timeZone());
    }
    DefinitionView.Segment segment = view.segment();
    if (segment != null) {
      ObjectNode settings =
          out.putObject("segment")
              .put("step", segment.step())
              .put("minStep", segment.minStep())
              .put("maxStep", segment.maxStep())
              .put("loadFactor", segment.loadFactor());
      // Whole seconds as an integer, as ever; a sub-second duration as a decimal.
      double seconds = segment.bufferDurationSeconds();
      if (seconds == Math.rint(seconds)) {
        settings.put("bufferDurationSeconds", (long) seconds);
      } else {
        settings.put("bufferDurationSeconds", seconds);
      }
      settings.put("threadChunk", segment.threadChunk());
    }
    DefinitionView.PublicId publicId = view.publicId();
    if (publicId != null) {
      out.putObject("publicId")
          .put("prefix", publicId.prefix())
          .put("alphabet", publicId.alphabet())
          .put("current", publicId.current());
      ObjectNode shown = (ObjectNode) out.get("publicId");
      if (publicId.checkCharacters() != 0) {
        shown.put("checkCharacters", publicId.checkCharacters());
      }
      shown.put("length", publicId.length());
    }
    registryFields(view, out);
    return out;
  }

  /** A stored definition this node cannot use: its fields as stored, then why. */
  private static ObjectNode unusable(DefinitionView view) {
    ObjectNode out = null;
    try {
      if (JSON.readTree(view.stored()) instanceof ObjectNode stored) {
        out = stored;
      }
    } catch (JsonProcessingException e) {
      // not JSON at all: shown by name only, the problem says what is wrong
    }
    if (out == null) {
      out = JSON.createObjectNode().put("name", view.name());
    }
    registryFields(view, out);
    return out.put("problem", view.problem());
  }

  private static void registryFields(DefinitionView view, ObjectNode out) {
    if (view.revision() != null) {
      out.put("revision", view.revision());
    }
    if (view.issued() != null) {
      out.put("issued", view.issued());
    }
  }

  /** {@code {"nodes":[…]}} */
  static ObjectNode nodes(List<NodeView> views) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode array = out.putArray("nodes");
    for (NodeView view : views) {
      ObjectNode node =
          array
              .addObject()
              .put("nodeId", view.nodeId())
              .put("address", view.address())
              .put("version", view.version())
              .put("coordinator", view.coordinator())
              .put("worker", view.worker())
              .put("leaseExpiresAt", view.leaseExpiresAt())
              .put("reservedUntil", view.reservedUntil())
              .put("clockSkewMillis", view.clockSkewMillis())
              .put("startedAt", view.startedAt())
              .put("lastHeartbeat", view.lastHeartbeat())
              .put("state", view.state());
      ObjectNode namespaces = node.putObject("namespaces");
      for (Map.Entry<String, NodeView.Counters> ns : view.namespaces().entrySet()) {
        namespaces
            .putObject(ns.getKey())
            .put("issued", ns.getValue().issued())
            .put("bufferRemaining", ns.getValue().bufferRemaining())
            .put("bufferCapacity", ns.getValue().bufferCapacity());
      }
    }
    return out;
  }

  /** {@code {"nodeId":"…","state":"DRAINING"}} */
  static JsonNode drain(DrainView view) {
    return JSON.createObjectNode().put("nodeId", view.nodeId()).put("state", view.state());
  }
}
