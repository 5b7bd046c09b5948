package dev.idmint.server.grpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.api.v1.AdminServiceGrpc;
import dev.idmint.api.v1.CreateNamespaceRequest;
import dev.idmint.api.v1.DrainNodeRequest;
import dev.idmint.api.v1.DrainNodeResponse;
import dev.idmint.api.v1.GetDefinitionRequest;
import dev.idmint.api.v1.ListDefinitionsRequest;
import dev.idmint.api.v1.ListDefinitionsResponse;
import dev.idmint.api.v1.ListNodesRequest;
import dev.idmint.api.v1.ListNodesResponse;
import dev.idmint.api.v1.NamespaceDefinition;
import dev.idmint.api.v1.NodeInfo;
import dev.idmint.api.v1.NodeNamespaceCounters;
import dev.idmint.api.v1.PatternDefinition;
import dev.idmint.api.v1.PublicIdDefinition;
import dev.idmint.api.v1.SegmentDefinition;
import dev.idmint.api.v1.SnowflakeDefinition;
import dev.idmint.api.v1.UpdateNamespaceRequest;
import dev.idmint.api.v1.Uuid7Definition;
import dev.idmint.server.api.AdminApi;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Caller;
import dev.idmint.server.api.DefinitionRequest;
import dev.idmint.server.api.DefinitionView;
import dev.idmint.server.api.DrainView;
import dev.idmint.server.api.NodeView;
import dev.idmint.server.api.Unexpected;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API over gRPC ({@code idmint.v1.AdminService}); the same {@link AdminApi} as REST, in
 * typed messages. The service runs on the blocking task executor: every call reaches the
 * coordinator.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final AdminApi api;

  public AdminGrpcService(AdminApi api) {
    this.api = api;
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> observer) {
    respond(
        observer,
        () -> {
          ListNodesResponse.Builder out = ListNodesResponse.newBuilder();
          api.nodes(Caller.current()).forEach(node -> out.addNodes(node(node)));
          return out.build();
        });
  }

  @Override
  public void listDefinitions(
      ListDefinitionsRequest request, StreamObserver<ListDefinitionsResponse> observer) {
    respond(
        observer,
        () -> {
          ListDefinitionsResponse.Builder out = ListDefinitionsResponse.newBuilder();
          api.namespaces(Caller.current()).forEach(view -> out.addNamespaces(definition(view)));
          return out.build();
        });
  }

  @Override
  public void getDefinition(
      GetDefinitionRequest request, StreamObserver<NamespaceDefinition> observer) {
    respond(observer, () -> definition(api.namespace(Caller.current(), request.getName())));
  }

  @Override
  public void createNamespace(
      CreateNamespaceRequest request, StreamObserver<NamespaceDefinition> observer) {
    respond(
        observer,
        () -> definition(api.create(Caller.current(), submitted(request.getDefinition()))));
  }

  @Override
  public void updateNamespace(
      UpdateNamespaceRequest request, StreamObserver<NamespaceDefinition> observer) {
    respond(
        observer,
        () ->
            definition(
                api.update(
                    Caller.current(), request.getName(), submitted(request.getDefinition()))));
  }

  @Override
  public void drainNode(DrainNodeRequest request, StreamObserver<DrainNodeResponse> observer) {
    respond(
        observer,
        () -> {
          DrainView drain = api.drain(Caller.current(), request.getNodeId());
          return DrainNodeResponse.newBuilder()
              .setNodeId(drain.nodeId())
              .setState(drain.state())
              .build();
        });
  }

  private static NodeInfo node(NodeView view) {
    NodeInfo.Builder info =
        NodeInfo.newBuilder()
            .setNodeId(view.nodeId())
            .setAddress(orEmpty(view.address()))
            .setVersion(orEmpty(view.version()))
            .setCoordinator(orEmpty(view.coordinator()))
            .setLeaseExpiresAt(orEmpty(view.leaseExpiresAt()))
            .setReservedUntil(orEmpty(view.reservedUntil()))
            .setStartedAt(orEmpty(view.startedAt()))
            .setLastHeartbeat(view.lastHeartbeat())
            .setState(view.state());
    if (view.worker() != null) {
      info.setWorker(view.worker());
    }
    if (view.clockSkewMillis() != null) {
      info.setClockSkewMillis(view.clockSkewMillis());
    }
    for (Map.Entry<String, NodeView.Counters> ns : view.namespaces().entrySet()) {
      NodeView.Counters counters = ns.getValue();
      NodeNamespaceCounters.Builder out =
          NodeNamespaceCounters.newBuilder().setIssued(counters.issued());
      if (counters.bufferRemaining() != null) {
        out.setBufferRemaining(counters.bufferRemaining());
      }
      if (counters.bufferCapacity() != null) {
        out.setBufferCapacity(counters.bufferCapacity());
      }
      info.putNamespaces(ns.getKey(), out.build());
    }
    return info.build();
  }

  private static NamespaceDefinition definition(DefinitionView view) {
    NamespaceDefinition.Builder out = NamespaceDefinition.newBuilder().setName(view.name());
    if (view.revision() != null) {
      out.setRevision(view.revision());
    }
    if (view.issued() != null) {
      out.setIssued(view.issued());
    }
    if (view.problem() != null) {
      return out.setProblem(view.problem()).setStoredDefinition(view.stored()).build();
    }
    out.setStrategy(view.strategy());
    DefinitionView.Snowflake snowflake = view.snowflake();
    if (snowflake != null) {
      out.setSnowflake(
          SnowflakeDefinition.newBuilder()
              .setLayout(snowflake.layout())
              .setTimestampBits(snowflake.timestampBits())
              .setWorkerBits(snowflake.workerBits())
              .setSequenceBits(snowflake.sequenceBits())
              .setEpoch(snowflake.epoch())
              .setTimeUnit(snowflake.timeUnit())
              .setExhaustedAt(snowflake.exhaustedAt())
              .setMaxBorrowMillis(snowflake.maxBorrowMillis())
              .setMaxBackwardMillis(snowflake.maxBackwardMillis())
              .setRandomSequenceStart(snowflake.randomSequenceStart()));
    }
    DefinitionView.Segment segment = view.segment();
    if (segment != null) {
      out.setSegment(
          SegmentDefinition.newBuilder()
              .setStep(segment.step())
              .setMinStep(segment.minStep())
              .setMaxStep(segment.maxStep())
              .setLoadFactor(segment.loadFactor())
              .setBufferDurationSeconds(segment.bufferDurationSeconds())
              .setThreadChunk(segment.threadChunk()));
    }
    DefinitionView.Uuid7 uuid7 = view.uuid7();
    if (uuid7 != null) {
      out.setUuid7(
          Uuid7Definition.newBuilder()
              .setWorkerBits(uuid7.workerBits())
              .setSequenceBits(uuid7.sequenceBits())
              .setMaxBorrowMillis(uuid7.maxBorrowMillis())
              .setMaxBackwardMillis(uuid7.maxBackwardMillis()));
    }
    DefinitionView.Pattern pattern = view.pattern();
    if (pattern != null) {
      out.setPattern(
          PatternDefinition.newBuilder()
              .setTemplate(pattern.template())
              .setReset(pattern.reset())
              .setTimeZone(pattern.timeZone()));
    }
    DefinitionView.PublicId publicId = view.publicId();
    if (publicId != null) {
      out.setPublicId(
          PublicIdDefinition.newBuilder()
              .setPrefix(publicId.prefix())
              .setAlphabet(publicId.alphabet())
              .setCurrent(publicId.current())
              .setCheckCharacters(publicId.checkCharacters())
              .setLength(publicId.length()));
    }
    return out.build();
  }

  /**
   * A submitted definition in the shape REST's body has: only the fields that are set, so that an
   * unset one takes its default; the derived and read-only fields are left out.
   */
  private static DefinitionRequest submitted(NamespaceDefinition in) {
    ObjectNode out = NODES.objectNode();
    if (!in.getName().isEmpty()) {
      out.put("name", in.getName());
    }
    if (!in.getStrategy().isEmpty()) {
      out.put("strategy", in.getStrategy());
    }
    if (in.hasSnowflake()) {
      SnowflakeDefinition s = in.getSnowflake();
      ObjectNode snowflake = out.putObject("snowflake");
      if (s.hasTimestampBits()) {
        snowflake.put("timestampBits", s.getTimestampBits());
      }
      if (s.hasWorkerBits()) {
        snowflake.put("workerBits", s.getWorkerBits());
      }
      if (s.hasSequenceBits()) {
        snowflake.put("sequenceBits", s.getSequenceBits());
      }
      if (s.hasEpoch()) {
        snowflake.put("epoch", s.getEpoch());
      }
      if (s.hasTimeUnit()) {
        snowflake.put("timeUnit", s.getTimeUnit());
      }
      if (s.hasMaxBorrowMillis()) {
        snowflake.put("maxBorrowMillis", s.getMaxBorrowMillis());
      }
      if (s.hasMaxBackwardMillis()) {
        snowflake.put("maxBackwardMillis", s.getMaxBackwardMillis());
      }
      if (s.hasRandomSequenceStart()) {
        snowflake.put("randomSequenceStart", s.getRandomSequenceStart());
      }
      if (s.hasLayout()) {
        snowflake.put("layout", s.getLayout());
      }
    }
    if (in.hasUuid7()) {
      Uuid7Definition u = in.getUuid7();
      ObjectNode uuid7 = out.putObject("uuid7");
      if (u.hasWorkerBits()) {
        uuid7.put("workerBits", u.getWorkerBits());
      }
      if (u.hasSequenceBits()) {
        uuid7.put("sequenceBits", u.getSequenceBits());
      }
      if (u.hasMaxBorrowMillis()) {
        uuid7.put("maxBorrowMillis", u.getMaxBorrowMillis());
      }
      if (u.hasMaxBackwardMillis()) {
        uuid7.put("maxBackwardMillis", u.getMaxBackwardMillis());
      }
    }
    if (in.hasPattern()) {
      PatternDefinition p = in.getPattern();
      ObjectNode pattern = out.putObject("pattern");
      if (p.hasTemplate()) {
        pattern.put("template", p.getTemplate());
      }
      if (p.hasReset()) {
        pattern.put("reset", p.getReset());
      }
      if (p.hasTimeZone()) {
        pattern.put("timeZone", p.getTimeZone());
      }
    }
    if (in.hasSegment()) {
      SegmentDefinition s = in.getSegment();
      ObjectNode segment = out.putObject("segment");
      if (s.hasStep()) {
        segment.put("step", s.getStep());
      }
      if (s.hasMinStep()) {
        segment.put("minStep", s.getMinStep());
      }
      if (s.hasMaxStep()) {
        segment.put("maxStep", s.getMaxStep());
      }
      if (s.hasLoadFactor()) {
        segment.put("loadFactor", s.getLoadFactor());
      }
      if (s.hasBufferDurationSeconds()) {
        segment.put("bufferDurationSeconds", s.getBufferDurationSeconds());
      }
      if (s.hasThreadChunk()) {
        segment.put("threadChunk", s.getThreadChunk());
      }
    }
    if (in.hasPublicId()) {
      PublicIdDefinition p = in.getPublicId();
      ObjectNode publicId = out.putObject("publicId");
      if (p.hasPrefix()) {
        publicId.put("prefix", p.getPrefix());
      }
      if (p.hasAlphabet()) {
        publicId.put("alphabet", p.getAlphabet());
      }
      if (p.hasCurrent()) {
        publicId.put("current", p.getCurrent());
      }
      if (p.hasCheckCharacters()) {
        publicId.put("checkCharacters", p.getCheckCharacters());
      }
    }
    return DefinitionRequest.of(out);
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  private static <T> void respond(StreamObserver<T> observer, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (ApiException e) {
      observer.onError(GrpcErrors.status(e));
      return;
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.status(Unexpected.of(e)));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
