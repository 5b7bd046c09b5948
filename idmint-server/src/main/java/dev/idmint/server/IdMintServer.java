package dev.idmint.server;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.prometheus.PrometheusExpositionService;
import dev.idmint.core.Clock;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.server.api.AdminApi;
import dev.idmint.server.api.AdminAuth;
import dev.idmint.server.api.ApiError;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Auth;
import dev.idmint.server.api.Caller;
import dev.idmint.server.api.FailedAuthLimit;
import dev.idmint.server.api.IdApi;
import dev.idmint.server.api.Metrics;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.server.grpc.AdminGrpcService;
import dev.idmint.server.grpc.IdGrpcService;
import dev.idmint.server.grpc.LazyJsonMarshaller;
import dev.idmint.server.node.Namespace;
import dev.idmint.server.node.Node;
import dev.idmint.server.node.SnowflakeFactory;
import dev.idmint.server.rest.AdminRestService;
import dev.idmint.server.rest.ApiDocs;
import dev.idmint.server.rest.ConsoleService;
import dev.idmint.server.rest.Http1IdRoute;
import dev.idmint.server.rest.JsonErrorHandler;
import dev.idmint.server.rest.RestService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One idmint node: the {@link Node} behind gRPC and REST on one port, with health and metrics.
 * {@link #start()} connects and listens; {@link #close()} stops accepting, lets in-flight calls
 * finish (up to the configured grace) and releases the worker lease.
 */
public final class IdMintServer implements AutoCloseable {
  /** How often a node started with {@code --insecure-no-auth} repeats its warning. */
  public static final Duration INSECURE_WARNING_INTERVAL = Duration.ofMinutes(10);

  /** The warning of {@code --insecure-no-auth}: in the log, on /health and in the console. */
  public static final String INSECURE_WARNING =
      "INSECURE: --insecure-no-auth is set; this node serves every host without authentication:"
          + " anyone who reaches its port may get IDs, decode public IDs and read the issue volumes"
          + " in /metrics. Configure auth.tokens instead.";

  private static final System.Logger LOG = System.getLogger(IdMintServer.class.getName());

  private final ServerConfig config;
  private final Clock clock;
  private final Node node;
  private Server server;
  private NodeTls tls;
  private ScheduledExecutorService insecureWarnings;
  private boolean closed;

  public IdMintServer(ServerConfig config, Clock clock) {
    this(config, clock, SnowflakeFactory.STANDARD);
  }

  /**
   * A server whose snowflake generators come from {@code snowflakes}; only the fault campaign's
   * negative controls pass anything but {@link SnowflakeFactory#STANDARD} (see there).
   */
  public IdMintServer(ServerConfig config, Clock clock, SnowflakeFactory snowflakes) {
    this.config = config;
    this.clock = clock;
    this.node = new Node(config, clock, snowflakes);
  }

  /** Starts the node and the listener; returns once both are up. */
  public synchronized IdMintServer start() {
    // Bad TLS files fail the start before anything connects.
    tls = config.tls() == null ? null : NodeTls.load(config.tls());
    Warmup.builders();
    node.start();
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Metrics metrics = new Metrics(registry, node);
      // One failed-authentication budget per address for the ID tokens, the admin token and /docs.
      FailedAuthLimit failures =
          new FailedAuthLimit(config.connections().failedAuthPerSecond(), clock);
      IdApi api =
          new IdApi(
              node,
              new Auth(config.tokens(), config.connections(), clock, failures),
              config.maxCount(),
              metrics);
      ServerBuilder builder = Server.builder();
      listen(builder);
      builder
          .workerGroup(config.workerThreads())
          .maxRequestLength(config.maxBodyBytes())
          .maxNumConnections(config.connections().maxConnections())
          .requestTimeout(config.connections().requestTimeout())
          .meterRegistry(registry)
          .disableServerHeader()
          .errorHandler(new JsonErrorHandler())
          .gracefulShutdownTimeout(Duration.ZERO, config.shutdownGrace());
      RestService rest = new RestService(api);
      rest.register(builder);
      directRoute(builder, rest, metrics);
      AdminAuth adminAuth = new AdminAuth(config.adminToken(), failures);
      AdminApi admin = new AdminApi(node, adminAuth);
      new AdminRestService(admin).register(builder);
      ConsoleService.register(builder);
      // /openapi.json always; /docs (Armeria's DocService) only with the admin API, behind its
      // token.
      ApiDocs.register(builder, adminAuth);
      // gRPC-JSON marshallers are built at their first use, not before the port listens.
      builder.service(
          GrpcService.builder()
              .addService(new IdGrpcService(api))
              .jsonMarshallerFactory(LazyJsonMarshaller::new)
              .build());
      // Admin calls reach the coordinator: off the event loop.
      builder.service(
          GrpcService.builder()
              .addService(new AdminGrpcService(admin))
              .jsonMarshallerFactory(LazyJsonMarshaller::new)
              .useBlockingTaskExecutor(true)
              .build());
      builder.service(
          "/health/live",
          (ctx, req) ->
              HttpResponse.of(
                  HttpStatus.OK, MediaType.JSON_UTF_8, "{\"live\":true" + insecureField() + "}"));
      builder.service("/health/ready", (ctx, req) -> readiness());
      builder.service("/health", (ctx, req) -> readiness());
      HttpService metricsService = PrometheusExpositionService.of(registry.getPrometheusRegistry());
      builder.service(
          "/metrics",
          config.authOn()
              ? (ctx, req) -> {
                try {
                  api.authorizeMetrics(
                      req.headers().get(HttpHeaderNames.AUTHORIZATION), Caller.address(ctx));
                } catch (ApiException e) {
                  return RestService.error(e);
                }
                return metricsService.serve(ctx, req);
              }
              : metricsService);
      server = builder.build();
      server.start().join();
      if (tls != null) {
        tls.startReloading();
      }
      // In protected mode other hosts cannot reach this node's host name: advertise loopback.
      node.startRegistry(
          (config.loopbackOnly() ? "127.0.0.1" : hostName()) + ":" + server.activeLocalPort());
      if (config.insecureNoAuth()) {
        warnInsecure();
        insecureWarnings =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "idmint-insecure-warning");
                  thread.setDaemon(true);
                  return thread;
                });
        insecureWarnings.scheduleAtFixedRate(
            this::warnInsecure,
            INSECURE_WARNING_INTERVAL.toMillis(),
            INSECURE_WARNING_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      if (server != null) {
        server.stop().join();
      }
      closeTls();
      node.close();
      throw e;
    }
    return this;
  }

  /**
   * Where the node listens. Protected mode (no ID token, no {@code --insecure-no-auth}): the
   * loopback addresses only, 127.0.0.1 and ::1 where this host has IPv6, on the same port. With
   * TLS, the port serves only TLS (gRPC and REST, ALPN h2 and http/1.1, HTTP/2 prior knowledge
   * refused); without, plaintext HTTP/1.1 and h2c.
   */
  private void listen(ServerBuilder builder) {
    SessionProtocol protocol = tls == null ? SessionProtocol.HTTP : SessionProtocol.HTTPS;
    if (config.bindAddress() != null) {
      builder.port(new InetSocketAddress(config.bindAddress(), config.port()), protocol);
    } else if (config.loopbackOnly()) {
      builder.localPort(config.port(), protocol);
    } else {
      builder.port(config.port(), protocol);
    }
    if (tls != null) {
      builder.tlsProvider(tls, tls.serverTlsConfig());
    }
  }

  /**
   * Without TLS, single-ID REST requests are answered at the head of each connection ({@link
   * Http1IdRoute}), which then also keeps the idle timeout: Armeria's would not see that traffic.
   * With TLS, Armeria serves every request and keeps the idle timeout.
   */
  private void directRoute(ServerBuilder builder, RestService rest, Metrics metrics) {
    ServerConfig.Connections connections = config.connections();
    if (tls != null) {
      builder.idleTimeout(connections.idleTimeout());
      return;
    }
    Counter answered = metrics.directRequests();
    builder
        .idleTimeoutMillis(0)
        .childChannelPipelineCustomizer(
            pipeline ->
                pipeline.addFirst(
                    Http1IdRoute.NAME,
                    new Http1IdRoute(
                        rest,
                        server.config().blockingTaskExecutor(),
                        connections.requestTimeout(),
                        connections.idleTimeout(),
                        answered)));
  }

  /** Whether the port serves TLS. */
  public boolean tls() {
    return tls != null;
  }

  /** Loads changed TLS files now instead of at the next check; true when it swapped them. */
  boolean reloadTls() {
    return tls != null && tls.reloadIfChanged();
  }

  private void closeTls() {
    if (tls != null) {
      tls.close();
    }
  }

  private void warnInsecure() {
    LOG.log(Level.WARNING, INSECURE_WARNING);
  }

  private String insecureField() {
    return config.insecureNoAuth() ? ",\"warning\":" + quote(INSECURE_WARNING) : "";
  }

  /** The addresses actually listened on, from the server's active ports. */
  public java.util.List<InetSocketAddress> listeningAddresses() {
    return server.activePorts().values().stream().map(ServerPort::localAddress).toList();
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
        + node.namespaces().stream().map(IdMintServer::describe).collect(Collectors.joining(", "))
        + node.earliestExhaustion().map(at -> "; snowflake timestamps run out at " + at).orElse("")
        + (config.insecureNoAuth()
            ? "; auth off: INSECURE, serving every host without authentication"
                + " (--insecure-no-auth); anyone who reaches this port may mint, decode and read"
                + " metrics"
            : config.tokens().isEmpty()
                ? "; auth off: listening on loopback only; set auth tokens to serve other hosts"
                : "; auth on ("
                    + config.tokens().size()
                    + " tokens; /metrics needs the metrics scope)"
                    + (config.bindAddress() == null ? "" : "; bound to " + config.bindAddress()))
        + (config.adminToken() == null ? "; admin API off" : "; admin API on")
        + (tls == null
            ? "; TLS off"
            : config.tls().clientAuth() ? "; TLS on, client certificates required" : "; TLS on")
        + (node.refusals().isEmpty()
            ? ""
            : "; NOT serving " + String.join(", ", node.refusals().keySet()) + " (see the log)");
  }

  /**
   * A namespace in the start line: {@code order(snowflake)}; a snowflake layout other than the
   * default, and every uuid7 one, with its capacity and run-out date ({@code web(snowflake js-safe:
   * 64 workers x 51200 IDs/s, below 2^53 until 2112-…)}).
   */
  private static String describe(dev.idmint.server.node.Namespace ns) {
    dev.idmint.core.snowflake.SnowflakeLayout layout = ns.config().layout();
    String preset =
        ns.config().definition() instanceof dev.idmint.server.config.NamespaceDefinition.Snowflake s
            ? s.settings().preset()
            : null;
    if (layout == null || "default".equals(preset)) {
      return ns.name() + "(" + ns.strategy().id() + ")";
    }
    return ns.name()
        + "("
        + ns.strategy().id()
        + (preset == null ? "" : " " + preset)
        + ": "
        + layout.workers()
        + " workers x "
        + layout.idsPerSecondPerWorker()
        + " IDs/s, "
        + (layout.javaScriptSafe() ? "below 2^53 " : "")
        + "until "
        + layout.exhaustedAt()
        + ")";
  }

  private HttpResponse readiness() {
    IdUnavailableException reason = node.unavailableReason();
    if (reason == null) {
      return HttpResponse.of(
          HttpStatus.OK, MediaType.JSON_UTF_8, "{\"ready\":true" + insecureField() + "}");
    }
    return HttpResponse.of(
        HttpStatus.SERVICE_UNAVAILABLE,
        MediaType.JSON_UTF_8,
        "{\"ready\":false,\"error\":{\"code\":\""
            + ApiError.UNAVAILABLE.name()
            + "\",\"message\":"
            + quote(reason.getMessage())
            + "}"
            + insecureField()
            + "}");
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
    if (insecureWarnings != null) {
      insecureWarnings.shutdownNow();
    }
    if (server != null) {
      server.stop().join();
    }
    closeTls();
    node.close();
  }
}
