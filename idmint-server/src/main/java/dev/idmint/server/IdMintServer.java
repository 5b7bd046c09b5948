package dev.idmint.server;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.prometheus.PrometheusExpositionService;
import dev.idmint.core.Clock;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.server.grpc.AdminGrpcService;
import dev.idmint.server.grpc.IdGrpcService;
import dev.idmint.server.http.AdminApi;
import dev.idmint.server.http.AdminAuth;
import dev.idmint.server.http.AdminRestService;
import dev.idmint.server.http.ApiDocs;
import dev.idmint.server.http.ApiError;
import dev.idmint.server.http.Auth;
import dev.idmint.server.http.ConsoleService;
import dev.idmint.server.http.IdApi;
import dev.idmint.server.http.JsonErrorHandler;
import dev.idmint.server.http.Metrics;
import dev.idmint.server.http.RestService;
import dev.idmint.server.node.Namespace;
import dev.idmint.server.node.Node;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * One idmint node: the {@link Node} behind gRPC and REST on one port, with health and metrics.
 * {@link #start()} connects and listens; {@link #close()} stops accepting, lets in-flight calls
 * finish (up to the configured grace) and releases the worker lease.
 */
public final class IdMintServer implements AutoCloseable {
  private final ServerConfig config;
  private final Node node;
  private Server server;
  private boolean closed;

  public IdMintServer(ServerConfig config, Clock clock) {
    this.config = config;
    this.node = new Node(config, clock);
  }

  /** Starts the node and the listener; returns once both are up. */
  public synchronized IdMintServer start() {
    node.start();
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Metrics metrics = new Metrics(registry, node);
      IdApi api = new IdApi(node, new Auth(config.tokens()), config.maxCount(), metrics);
      ServerBuilder builder =
          Server.builder()
              .http(config.port())
              .workerGroup(config.workerThreads())
              .maxRequestLength(config.maxBodyBytes())
              .meterRegistry(registry)
              .errorHandler(new JsonErrorHandler())
              .gracefulShutdownTimeout(Duration.ZERO, config.shutdownGrace());
      new RestService(api).register(builder);
      AdminApi admin = new AdminApi(node, new AdminAuth(config.adminToken()));
      new AdminRestService(admin).register(builder);
      ConsoleService.register(builder);
      // /openapi.json always; /docs (Armeria's DocService) only with the admin API, behind its
      // token.
      ApiDocs.register(builder, config.adminToken());
      builder.service(GrpcService.builder().addService(new IdGrpcService(api)).build());
      // Admin calls reach the coordinator: off the event loop.
      builder.service(
          GrpcService.builder()
              .addService(new AdminGrpcService(admin))
              .useBlockingTaskExecutor(true)
              .build());
      builder.service(
          "/health/live",
          (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"live\":true}"));
      builder.service("/health/ready", (ctx, req) -> readiness());
      builder.service("/metrics", PrometheusExpositionService.of(registry.getPrometheusRegistry()));
      server = builder.build();
      server.start().join();
      node.startRegistry(hostName() + ":" + server.activeLocalPort());
    } catch (RuntimeException e) {
      if (server != null) {
        server.stop().join();
      }
      node.close();
      throw e;
    }
    return this;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.activeLocalPort();
  }

  /** The routes this node serves (for the tests that hold the docs to them). */
  java.util.List<com.linecorp.armeria.server.ServiceConfig> serviceConfigs() {
    return server.config().serviceConfigs();
  }

  public Node node() {
    return node;
  }

  /** The one line printed at start. */
  public String startupLine() {
    WorkerLease lease = node.lease();
    return "idmint listening on port "
        + port()
        + " (gRPC + REST); coordinator "
        + node.coordinatorDescription()
        + (config.embedded() ? " (embedded, single node)" : "")
        + "; worker "
        + (lease == null ? "none" : Integer.toString(lease.worker()))
        + "; namespaces "
        + node.namespaces().stream()
            .map(ns -> ns.name() + "(" + ns.strategy().id() + ")")
            .collect(Collectors.joining(", "))
        + node.earliestExhaustion().map(at -> "; snowflake timestamps run out at " + at).orElse("")
        + (config.tokens().isEmpty()
            ? "; auth off"
            : "; auth on (" + config.tokens().size() + " tokens)")
        + (config.adminToken() == null ? "; admin API off" : "; admin API on")
        + (node.refusals().isEmpty()
            ? ""
            : "; NOT serving " + String.join(", ", node.refusals().keySet()) + " (see the log)");
  }

  private HttpResponse readiness() {
    IdUnavailableException reason = node.unavailableReason();
    if (reason == null) {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"ready\":true}");
    }
    return HttpResponse.of(
        HttpStatus.SERVICE_UNAVAILABLE,
        MediaType.JSON_UTF_8,
        "{\"ready\":false,\"error\":{\"code\":\""
            + ApiError.UNAVAILABLE.name()
            + "\",\"message\":"
            + quote(reason.getMessage())
            + "}}");
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Namespaces served, for tests and the CLI. */
  public java.util.Collection<Namespace> namespaces() {
    return node.namespaces();
  }

  /** Graceful: stop accepting, finish in-flight calls, release the lease. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      server.stop().join();
    }
    node.close();
  }
}
