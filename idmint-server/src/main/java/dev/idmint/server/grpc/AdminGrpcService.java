package dev.idmint.server.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.ServiceRequestContext;
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
import dev.idmint.api.v1.UpdateNamespaceRequest;
import dev.idmint.server.api.AdminApi;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Unexpected;
import dev.idmint.server.rest.RestService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API over gRPC ({@code idmint.v1.AdminService}); the same {@link AdminApi} as REST. The
 * service runs on the blocking task executor: every call reaches the coordinator.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
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
          for (JsonNode node : api.nodes(authorization(), client()).path("nodes")) {
            NodeInfo.Builder info =
                NodeInfo.newBuilder()
                    .setNodeId(node.path("nodeId").asText())
                    .setAddress(text(node, "address"))
                    .setVersion(text(node, "version"))
                    .setCoordinator(text(node, "coordinator"))
                    .setLeaseExpiresAt(text(node, "leaseExpiresAt"))
                    .setReservedUntil(text(node, "reservedUntil"))
                    .setStartedAt(text(node, "startedAt"))
                    .setLastHeartbeat(text(node, "lastHeartbeat"))
                    .setState(text(node, "state"));
            if (node.path("worker").isNumber()) {
              info.setWorker(node.path("worker").asInt());
            }
            for (Map.Entry<String, JsonNode> ns : node.path("namespaces").properties()) {
              NodeNamespaceCounters.Builder counters =
                  NodeNamespaceCounters.newBuilder()
                      .setIssued(ns.getValue().path("issued").asLong());
              if (ns.getValue().path("bufferRemaining").isNumber()) {
                counters.setBufferRemaining(ns.getValue().path("bufferRemaining").asLong());
              }
              if (ns.getValue().path("bufferCapacity").isNumber()) {
                counters.setBufferCapacity(ns.getValue().path("bufferCapacity").asLong());
              }
              info.putNamespaces(ns.getKey(), counters.build());
            }
            out.addNodes(info);
          }
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
          for (JsonNode definition : api.namespaces(authorization(), client()).path("namespaces")) {
            out.addNamespaces(definition((ObjectNode) definition));
          }
          return out.build();
        });
  }

  @Override
  public void getDefinition(
      GetDefinitionRequest request, StreamObserver<NamespaceDefinition> observer) {
    respond(
        observer, () -> definition(api.namespace(authorization(), client(), request.getName())));
  }

  @Override
  public void createNamespace(
      CreateNamespaceRequest request, StreamObserver<NamespaceDefinition> observer) {
    respond(observer, () -> definition(api.create(authorization(), client(), request.getJson())));
  }

  @Override
  public void updateNamespace(
      UpdateNamespaceRequest request, StreamObserver<NamespaceDefinition> observer) {
    respond(
        observer,
        () ->
            definition(
                api.update(authorization(), client(), request.getName(), request.getJson())));
  }

  @Override
  public void drainNode(DrainNodeRequest request, StreamObserver<DrainNodeResponse> observer) {
    respond(
        observer,
        () -> {
          ObjectNode answer = api.drain(authorization(), client(), request.getNodeId());
          return DrainNodeResponse.newBuilder()
              .setNodeId(answer.path("nodeId").asText())
              .setState(answer.path("state").asText())
              .build();
        });
  }

  private static NamespaceDefinition definition(ObjectNode view) {
    return NamespaceDefinition.newBuilder()
        .setName(view.path("name").asText())
        .setJson(view.toString())
        .setRevision(view.path("revision").asLong())
        .setIssued(view.path("issued").asBoolean())
        .build();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  private static <T> void respond(StreamObserver<T> observer, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (ApiException e) {
      observer.onError(status(e));
      return;
    } catch (RuntimeException e) {
      observer.onError(status(Unexpected.of(e)));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private static io.grpc.StatusRuntimeException status(ApiException e) {
    return Status.fromCode(e.error().grpcCode())
        .withDescription(e.getMessage())
        .asRuntimeException();
  }

  private static String client() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    return ctx == null ? null : RestService.client(ctx);
  }

  private static String authorization() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    return ctx == null ? null : ctx.request().headers().get(HttpHeaderNames.AUTHORIZATION);
  }
}
