package dev.idmint.client;

import dev.idmint.core.NamespaceName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configures an {@link IdMintClient}. Setters only record values; {@link #build()} checks them all
 * and reports every problem at once. Neither the builder nor {@link #build()} connects anywhere or
 * starts a thread: channels and threads come with the first call.
 */
public final class IdMintClientBuilder {
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofMillis(500);
  public static final int DEFAULT_MAX_BATCH_SIZE = 10_000;
  public static final int DEFAULT_PREFETCH_MIN_IDS = 1_000;
  public static final int DEFAULT_PREFETCH_MAX_IDS = 200_000;
  public static final Duration DEFAULT_PREFETCH_AHEAD = Duration.ofSeconds(1);
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final Duration DEFAULT_SET_ASIDE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SET_ASIDE_MAX = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(2);

  static final int MAX_PREFETCH_IDS = 100_000_000;
  private static final System.Logger LOG = System.getLogger(IdMintClientBuilder.class.getName());

  private final List<String> endpoints = new ArrayList<>();
  private String token;
  private TlsOptions tls;
  private Duration deadline = DEFAULT_DEADLINE;
  private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
  private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  private boolean prefetch = true;
  private final Map<String, Boolean> prefetchByNamespace = new LinkedHashMap<>();
  private int prefetchMinIds = DEFAULT_PREFETCH_MIN_IDS;
  private int prefetchMaxIds = DEFAULT_PREFETCH_MAX_IDS;
  private Duration prefetchAhead = DEFAULT_PREFETCH_AHEAD;
  private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
  private Duration setAside = DEFAULT_SET_ASIDE;
  private Duration setAsideMax = DEFAULT_SET_ASIDE_MAX;
  private boolean healthChecks = true;
  private Duration healthCheckInterval = DEFAULT_HEALTH_CHECK_INTERVAL;
  private BufferListener bufferListener = BufferListener.NONE;

  IdMintClientBuilder() {}

  /**
   * The nodes to use, each {@code host:port} ({@code [::1]:7070} for an IPv6 literal). Required;
   * replaces any endpoints given before. Every node must share one coordinator: the client treats
   * them as interchangeable.
   */
  public IdMintClientBuilder endpoints(String... endpoints) {
    return endpoints(endpoints == null ? null : Arrays.asList(endpoints));
  }

  /** See {@link #endpoints(String...)}. */
  public IdMintClientBuilder endpoints(Collection<String> endpoints) {
    this.endpoints.clear();
    if (endpoints != null) {
      this.endpoints.addAll(endpoints);
    }
    return this;
  }

  /**
   * A bearer token sent as {@code authorization: Bearer <token>} on every call; {@code null} (the
   * default) sends none.
   */
  public IdMintClientBuilder token(String token) {
    this.token = token;
    return this;
  }

  /**
   * TLS with the JVM's default trust store ({@code true}), or plaintext ({@code false}, the
   * default). Same as {@code tls(TlsOptions.jvmTrustStore())} and {@code tls(null)}.
   */
  public IdMintClientBuilder tls(boolean tls) {
    this.tls = tls ? TlsOptions.jvmTrustStore() : null;
    return this;
  }

  /**
   * TLS to every node: nodes started with {@code --tls-cert}, or behind a TLS-terminating proxy.
   * The node's certificate must chain to a trusted CA (the JVM's, or the given CA file) and name
   * the endpoint's host; health probes check the same. {@code null} means plaintext.
   */
  public IdMintClientBuilder tls(TlsOptions tls) {
    this.tls = tls;
    return this;
  }

  /**
   * The most a call may take, retries and failover included. Default 2 s. A call that finds no ID
   * within it throws {@link IdMintUnavailableException}.
   */
  public IdMintClientBuilder deadline(Duration deadline) {
    this.deadline = deadline;
    return this;
  }

  /**
   * The most one attempt on one endpoint may take before the call moves on to another endpoint (a
   * slow node costs a caller at most this). Default 500 ms; at most the deadline.
   */
  public IdMintClientBuilder attemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = attemptTimeout;
    return this;
  }

  /**
   * The most IDs asked of a node in one request. Default 10000, the server's default {@code
   * limits.max-count}; must not exceed what the servers allow, or they answer {@code
   * INVALID_ARGUMENT}.
   */
  public IdMintClientBuilder maxBatchSize(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
    return this;
  }

  /**
   * Whether namespaces are served from a prefetch buffer (default true). With it off, every {@code
   * nextId} is a request to a node: IDs are fresh and none is dropped at close, at the cost of a
   * network round trip per call. Raw and public IDs only: UUIDs and business numbers are never
   * buffered, whatever this says (see {@link IdMintClient#nextUuid} and {@link
   * IdMintClient#nextNumber}).
   */
  public IdMintClientBuilder prefetch(boolean prefetch) {
    this.prefetch = prefetch;
    return this;
  }

  /** Turns prefetch on or off for one namespace, whatever {@link #prefetch(boolean)} says. */
  public IdMintClientBuilder prefetch(String namespace, boolean prefetch) {
    this.prefetchByNamespace.put(namespace, prefetch);
    return this;
  }

  /**
   * Bounds of the buffer per namespace, in IDs. The buffer aims at {@link #prefetchAhead} worth of
   * IDs at the rate they were recently taken, within these bounds, and refills in the background
   * when it falls to half of that. Defaults 1000 and 200000 (1.6 MB of {@code long}s per namespace
   * at most).
   */
  public IdMintClientBuilder prefetchBuffer(int minIds, int maxIds) {
    this.prefetchMinIds = minIds;
    this.prefetchMaxIds = maxIds;
    return this;
  }

  /** How long a full buffer should last at the recent rate of consumption. Default 1 s. */
  public IdMintClientBuilder prefetchAhead(Duration prefetchAhead) {
    this.prefetchAhead = prefetchAhead;
    return this;
  }

  /**
   * Consecutive failures (calls or health probes) after which an endpoint is set aside. Default 3.
   */
  public IdMintClientBuilder failureThreshold(int failureThreshold) {
    this.failureThreshold = failureThreshold;
    return this;
  }

  /**
   * How long a failing endpoint is set aside before it is probed again: {@code initial} the first
   * time, doubling while it keeps failing, up to {@code max}. Defaults 1 s and 30 s.
   */
  public IdMintClientBuilder setAside(Duration initial, Duration max) {
    this.setAside = initial;
    this.setAsideMax = max;
    return this;
  }

  /**
   * Background probes of {@code GET /health/ready} on every endpoint (default on): a node that says
   * it is not ready is used only when no other serves, and a set-aside node comes back only after
   * its probe passes. With probes off, a set-aside node is tried again when its time is up.
   */
  public IdMintClientBuilder healthChecks(boolean healthChecks) {
    this.healthChecks = healthChecks;
    return this;
  }

  /** How often endpoints are probed. Default 2 s. */
  public IdMintClientBuilder healthCheckInterval(Duration healthCheckInterval) {
    this.healthCheckInterval = healthCheckInterval;
    return this;
  }

  /** Test hook: sees every batch entering a prefetch buffer and every ID dropped from one. */
  IdMintClientBuilder bufferListener(BufferListener bufferListener) {
    this.bufferListener = bufferListener;
    return this;
  }

  /**
   * Checks the configuration and creates the client. No connection is made and no thread started.
   *
   * @throws IdMintConfigurationException listing every problem found
   */
  public IdMintClient build() {
    ClientConfig config = config();
    String warning = plaintextTokenWarning(config);
    if (warning != null) {
      LOG.log(System.Logger.Level.WARNING, warning);
    }
    return new DefaultIdMintClient(config);
  }

  /**
   * The warning for a token sent in the clear beyond this machine, or null: anyone on the path
   * could read it and mint with it.
   */
  static String plaintextTokenWarning(ClientConfig config) {
    if (config.token() == null || config.tlsEnabled()) {
      return null;
    }
    List<String> remote = new ArrayList<>();
    for (ClientConfig.HostAndPort endpoint : config.endpoints()) {
      if (!endpoint.isLoopback()) {
        remote.add(endpoint.toString());
      }
    }
    return remote.isEmpty()
        ? null
        : "idmint client: the token is sent without TLS to "
            + String.join(", ", remote)
            + "; anyone on the network path can read it. Configure tls(...) (see TlsOptions).";
  }

  ClientConfig config() {
    List<String> problems = new ArrayList<>();
    List<ClientConfig.HostAndPort> parsed = new ArrayList<>();
    if (endpoints.isEmpty()) {
      problems.add("endpoints: at least one host:port is required");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      String endpoint = endpoints.get(i);
      ClientConfig.HostAndPort hostAndPort = ClientConfig.HostAndPort.parse(endpoint);
      if (hostAndPort == null) {
        problems.add(
            "endpoints["
                + i
                + "] must be host:port with a port in [1, 65535]: "
                + (endpoint == null ? "null" : "\"" + endpoint + "\""));
      } else if (!seen.add(hostAndPort.toString())) {
        problems.add("endpoints[" + i + "] is listed twice: \"" + endpoint + "\"");
      } else {
        parsed.add(hostAndPort);
      }
    }
    if (token != null) {
      if (token.isBlank()) {
        problems.add("token must not be blank (leave it null to send none)");
      } else if (token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        problems.add("token must be printable ASCII without spaces");
      }
    }
    positive(problems, "deadline", deadline);
    positive(problems, "attemptTimeout", attemptTimeout);
    if (deadline != null
        && attemptTimeout != null
        && attemptTimeout.compareTo(deadline) > 0
        && !deadline.isNegative()) {
      problems.add(
          "attemptTimeout must not exceed deadline: attemptTimeout="
              + attemptTimeout.toMillis()
              + "ms, deadline="
              + deadline.toMillis()
              + "ms");
    }
    if (maxBatchSize < 1 || maxBatchSize > IdMintClient.MAX_COUNT) {
      problems.add(
          "maxBatchSize must be in [1, "
              + IdMintClient.MAX_COUNT
              + "]: maxBatchSize="
              + maxBatchSize);
    }
    for (String namespace : prefetchByNamespace.keySet()) {
      if (!NamespaceName.isValid(namespace)) {
        problems.add("prefetch(namespace, ...): " + NamespaceName.problem(namespace));
      }
    }
    if (prefetchMinIds < 1 || prefetchMinIds > MAX_PREFETCH_IDS) {
      problems.add(
          "prefetchBuffer minIds must be in [1, "
              + MAX_PREFETCH_IDS
              + "]: minIds="
              + prefetchMinIds);
    }
    if (prefetchMaxIds < 1 || prefetchMaxIds > MAX_PREFETCH_IDS) {
      problems.add(
          "prefetchBuffer maxIds must be in [1, "
              + MAX_PREFETCH_IDS
              + "]: maxIds="
              + prefetchMaxIds);
    }
    if (prefetchMinIds > prefetchMaxIds) {
      problems.add(
          "prefetchBuffer minIds must not exceed maxIds: minIds="
              + prefetchMinIds
              + ", maxIds="
              + prefetchMaxIds);
    }
    positive(problems, "prefetchAhead", prefetchAhead);
    if (failureThreshold < 1) {
      problems.add("failureThreshold must be >= 1: failureThreshold=" + failureThreshold);
    }
    positive(problems, "setAside initial", setAside);
    positive(problems, "setAside max", setAsideMax);
    if (setAside != null
        && setAsideMax != null
        && setAside.compareTo(setAsideMax) > 0
        && !setAsideMax.isNegative()) {
      problems.add(
          "setAside initial must not exceed max: initial="
              + setAside.toMillis()
              + "ms, max="
              + setAsideMax.toMillis()
              + "ms");
    }
    positive(problems, "healthCheckInterval", healthCheckInterval);
    ClientTls clientTls = tls == null ? null : ClientTls.load(tls, problems);
    if (bufferListener == null) {
      problems.add("bufferListener must not be null");
    }
    if (!problems.isEmpty()) {
      throw new IdMintConfigurationException(problems);
    }
    return new ClientConfig(
        List.copyOf(parsed),
        token,
        clientTls,
        deadline,
        attemptTimeout,
        maxBatchSize,
        prefetch,
        Map.copyOf(prefetchByNamespace),
        prefetchMinIds,
        prefetchMaxIds,
        prefetchAhead,
        failureThreshold,
        setAside,
        setAsideMax,
        healthChecks,
        healthCheckInterval,
        bufferListener);
  }

  private static void positive(List<String> problems, String name, Duration value) {
    if (value == null) {
      problems.add(name + " must be set");
    } else if (value.isNegative() || value.isZero()) {
      problems.add(name + " must be positive: " + name + "=" + value.toMillis() + "ms");
    }
  }
}
