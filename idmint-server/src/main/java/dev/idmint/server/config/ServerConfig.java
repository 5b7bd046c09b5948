package dev.idmint.server.config;

import dev.idmint.core.lease.LeaseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Everything a node needs to run, validated. Built by {@link ConfigLoader} from flags, environment
 * and the YAML file.
 *
 * @param port the one port for gRPC and REST
 * @param dataDir where the embedded coordinator keeps its file
 * @param coordinatorUrl the shared coordinator, or {@code null} for the embedded H2 under the data
 *     dir
 * @param coordinatorOptions engine options (user, password, …)
 * @param staticWorker a fixed worker number, or empty to claim a free one
 * @param leaseTtl lease time in the coordinator
 * @param renewInterval time between renewals
 * @param horizonAhead how far ahead each renewal reserves timestamps
 * @param maxClockSkew the largest disagreement with the coordinator's clock (or the highest
 *     horizon) this node serves snowflake namespaces with
 * @param namespaces the namespaces served, in configuration order
 * @param tokens bearer tokens; empty means no authentication
 * @param maxCount the largest count one request may ask for
 * @param maxBodyBytes the largest request body accepted
 * @param workerThreads event-loop threads (default: the number of cores)
 * @param shutdownGrace how long in-flight calls may take to finish at shutdown
 * @param adminToken the bearer token of the admin API, or {@code null} when the admin API is off
 * @param advertisedAddress how other nodes and operators reach this node ({@code host:port}), or
 *     {@code null} for this host's name and the bound port
 * @param registryInterval how often the node heartbeats and reads the registry
 * @param tls TLS on the service port, or {@code null} for plaintext
 * @param bindAddress the one address to listen on, or {@code null} for the default: loopback only
 *     without ID tokens (protected mode), every interface with them
 * @param insecureNoAuth serve every interface without ID tokens (the explicit, loud opt-out of
 *     protected mode)
 * @param connections connection, timeout and per-client rate bounds
 */
public record ServerConfig(
    int port,
    Path dataDir,
    String coordinatorUrl,
    Map<String, String> coordinatorOptions,
    OptionalInt staticWorker,
    Duration leaseTtl,
    Duration renewInterval,
    Duration horizonAhead,
    Duration maxClockSkew,
    Map<String, NamespaceConfig> namespaces,
    List<TokenConfig> tokens,
    int maxCount,
    long maxBodyBytes,
    int workerThreads,
    Duration shutdownGrace,
    String adminToken,
    String advertisedAddress,
    Duration registryInterval,
    TlsConfig tls,
    String bindAddress,
    boolean insecureNoAuth,
    Connections connections) {

  public static final Duration DEFAULT_REGISTRY_INTERVAL = Duration.ofSeconds(2);

  /** The one definition of the default port; the CLI's defaults are built from it. */
  public static final int DEFAULT_PORT = 7070;

  /** The node a command-line client asks when given no {@code --url}. */
  public static final String DEFAULT_URL = "http://localhost:" + DEFAULT_PORT;

  public static final int DEFAULT_MAX_COUNT = 10_000;
  public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  /** The largest {@code limits.max-count} a node accepts: one request must stay cheap. */
  public static final int MAX_COUNT_CEILING = 100_000;

  /**
   * True in protected mode: no ID token and no {@code --insecure-no-auth}, so the node listens on
   * loopback only and anyone who can reach it is on this host.
   */
  public boolean loopbackOnly() {
    return tokens.isEmpty() && !insecureNoAuth;
  }

  /** True when ID requests need a bearer token. */
  public boolean authOn() {
    return !tokens.isEmpty();
  }

  /**
   * Bounds on what one client can make the node hold or do.
   *
   * @param maxConnections open connections accepted at once; more are closed at accept
   * @param requestTimeout how long one request may take before it is answered 503
   * @param idleTimeout how long an idle connection stays open
   * @param clientIdsPerSecond IDs per second per client address while auth is off; 0 means
   *     unlimited
   * @param failedAuthPerSecond requests per second per client address that may fail authentication;
   *     more are answered 429 without looking at the token
   */
  public record Connections(
      int maxConnections,
      Duration requestTimeout,
      Duration idleTimeout,
      double clientIdsPerSecond,
      double failedAuthPerSecond) {
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final double DEFAULT_CLIENT_IDS_PER_SECOND = 0;
    public static final double DEFAULT_FAILED_AUTH_PER_SECOND = 10;

    public static Connections defaults() {
      return new Connections(
          DEFAULT_MAX_CONNECTIONS,
          DEFAULT_REQUEST_TIMEOUT,
          DEFAULT_IDLE_TIMEOUT,
          DEFAULT_CLIENT_IDS_PER_SECOND,
          DEFAULT_FAILED_AUTH_PER_SECOND);
    }
  }

  @Override
  public String toString() {
    return "ServerConfig[port="
        + port
        + ", coordinator="
        + (coordinatorUrl == null
            ? "embedded"
            : dev.idmint.core.coordinator.Coordinators.redact(coordinatorUrl))
        + ", namespaces="
        + namespaces.keySet()
        + ", tokens="
        + tokens.size()
        + ", adminToken="
        + (adminToken == null ? "off" : "***")
        + ", tls="
        + (tls == null ? "off" : tls.clientAuth() ? "on, client certificates" : "on")
        + "]";
  }

  /** True when no external coordinator is configured: one node on embedded H2. */
  public boolean embedded() {
    return coordinatorUrl == null;
  }

  /** The coordinator URL actually used: the given one, or the embedded H2 file. */
  public String effectiveCoordinatorUrl() {
    if (coordinatorUrl != null) {
      return coordinatorUrl;
    }
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("idmint");
  }

  /** The lease settings for a node identified by {@code owner}. */
  public LeaseConfig leaseConfig(String owner, int maxWorker) {
    LeaseConfig.Builder builder =
        LeaseConfig.builder(owner)
            .maxWorker(maxWorker)
            .ttl(leaseTtl)
            .renewInterval(renewInterval)
            .horizonAhead(horizonAhead)
            .maxClockSkew(maxClockSkew);
    staticWorker.ifPresent(builder::staticWorker);
    return builder.build();
  }
}
