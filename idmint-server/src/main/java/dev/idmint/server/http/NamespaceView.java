package dev.idmint.server.http;

import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.node.Namespace;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A namespace's configuration as the API shows it: no secrets. */
final class NamespaceView {
  private NamespaceView() {}

  static Map<String, Object> of(Namespace namespace) {
    NamespaceConfig config = namespace.config();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", config.name());
    view.put("strategy", config.strategy().id());
    SnowflakeLayout layout = config.layout();
    if (layout != null) {
      Map<String, Object> snowflake = new LinkedHashMap<>();
      snowflake.put("timestampBits", layout.timestampBits());
      snowflake.put("workerBits", layout.workerBits());
      snowflake.put("sequenceBits", layout.sequenceBits());
      snowflake.put("epoch", Instant.ofEpochMilli(layout.epochMillis()).toString());
      snowflake.put("timeUnit", layout.tickUnit().symbol());
      snowflake.put("exhaustedAt", layout.exhaustedAt().toString());
      snowflake.put("maxBorrowMillis", config.maxBorrow().toMillis());
      snowflake.put("maxBackwardMillis", config.maxBackward().toMillis());
      snowflake.put("randomSequenceStart", config.randomSequenceStart());
      view.put("snowflake", snowflake);
    }
    SegmentConfig segment = config.segment();
    if (segment != null) {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("step", segment.initialStep());
      settings.put("minStep", segment.minStep());
      settings.put("maxStep", segment.maxStep());
      settings.put("loadFactor", segment.loadFactor());
      settings.put("bufferDurationSeconds", segment.bufferDuration().toSeconds());
      settings.put("threadChunk", segment.threadChunk());
      view.put("segment", settings);
    }
    if (config.publicIds() != null) {
      Map<String, Object> publicIds = new LinkedHashMap<>();
      publicIds.put("prefix", config.publicIds().prefix());
      publicIds.put(
          "alphabet", config.publicIds().alphabet().name().toLowerCase(java.util.Locale.ROOT));
      publicIds.put("current", String.valueOf(config.publicIds().currentVersion()));
      publicIds.put("length", config.publicIds().length());
      view.put("publicId", publicIds);
    }
    return view;
  }
}
