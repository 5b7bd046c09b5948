package dev.idmint.spring.boot;

import dev.idmint.client.IdMintClientBuilder;
import dev.idmint.client.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code idmint.client.*} properties: one per {@link IdMintClientBuilder} option, with the
 * builder's own defaults. Nothing is checked here; {@link IdMintClientBuilder#build()} checks every
 * value and reports all problems at once in an {@code IdMintConfigurationException}.
 */
@ConfigurationProperties(prefix = "idmint.client")
public class IdMintClientProperties {
  /**
   * The idmint nodes, each host:port ([::1]:7070 for IPv6). Required: without it no client is
   * configured. All must share one coordinator.
   */
  private List<String> endpoints = new ArrayList<>();

  /** Bearer token sent on every call; none by default. */
  private String token;

  /**
   * TLS to the nodes, verified against the JVM's trust store (or tls-trusted-certificates),
   * hostname included. On by itself when any tls-* file is set.
   */
  private boolean tls;

  /** CA certificates (PEM file) trusted for the nodes instead of the JVM's trust store. */
  private String tlsTrustedCertificates;

  /** Client certificate chain (PEM file) for nodes that require one (mTLS). */
  private String tlsClientCertificate;

  /** Unencrypted PKCS#8 private key (PEM file) of tls-client-certificate. */
  private String tlsClientKey;

  /** The most a call may take, retries and failover included. */
  private Duration deadline = IdMintClientBuilder.DEFAULT_DEADLINE;

  /** The most one attempt on one node may take before the call moves on; at most the deadline. */
  private Duration attemptTimeout = IdMintClientBuilder.DEFAULT_ATTEMPT_TIMEOUT;

  /** The most IDs asked of a node at once; must not exceed the nodes' limits.max-count. */
  private int maxBatchSize = IdMintClientBuilder.DEFAULT_MAX_BATCH_SIZE;

  /** Whether IDs are served from a per-namespace prefetch buffer. */
  private boolean prefetch = true;

  /** Bounds of one namespace's prefetch buffer. */
  private final PrefetchBuffer prefetchBuffer = new PrefetchBuffer();

  /** How long a full buffer should last at the recent rate of consumption. */
  private Duration prefetchAhead = IdMintClientBuilder.DEFAULT_PREFETCH_AHEAD;

  /** Consecutive failures (calls or probes) after which a node is set aside. */
  private int failureThreshold = IdMintClientBuilder.DEFAULT_FAILURE_THRESHOLD;

  /** How long a failing node is set aside, doubling per failed return. */
  private final SetAside setAside = new SetAside();

  /** Whether every node's GET /health/ready is probed in the background. */
  private boolean healthChecks = true;

  /** How often the nodes are probed. */
  private Duration healthCheckInterval = IdMintClientBuilder.DEFAULT_HEALTH_CHECK_INTERVAL;

  /**
   * Whether the context's IdMintClient is registered in IdMintClients, the static holder that
   * framework-created generators (@MintedId, ShardingSphere's IDMINT) take their client from.
   */
  private boolean staticHolder = true;

  /**
   * Public-ID codecs by namespace, used locally by @PublicId (Jackson) and PublicIdCodecs; same
   * meaning as the server's public-id block. Keys come from here (e.g. ${IDMINT_ORDER_KEY_1}),
   * never from a default.
   */
  private final Map<String, PublicIds> publicIds = new LinkedHashMap<>();

  public Map<String, PublicIds> getPublicIds() {
    return publicIds;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public String getToken() {
    return token;
  }

  public void setToken(String token) {
    this.token = token;
  }

  public boolean isTls() {
    return tls;
  }

  public void setTls(boolean tls) {
    this.tls = tls;
  }

  public String getTlsTrustedCertificates() {
    return tlsTrustedCertificates;
  }

  public void setTlsTrustedCertificates(String tlsTrustedCertificates) {
    this.tlsTrustedCertificates = tlsTrustedCertificates;
  }

  public String getTlsClientCertificate() {
    return tlsClientCertificate;
  }

  public void setTlsClientCertificate(String tlsClientCertificate) {
    this.tlsClientCertificate = tlsClientCertificate;
  }

  public String getTlsClientKey() {
    return tlsClientKey;
  }

  public void setTlsClientKey(String tlsClientKey) {
    this.tlsClientKey = tlsClientKey;
  }

  /** The TLS settings for the builder: null for plaintext. */
  TlsOptions tlsOptions() {
    Path trusted = path(tlsTrustedCertificates);
    Path certificate = path(tlsClientCertificate);
    Path key = path(tlsClientKey);
    if (trusted == null && certificate == null && key == null) {
      return tls ? TlsOptions.jvmTrustStore() : null;
    }
    TlsOptions.Builder builder = TlsOptions.builder().trustedCertificates(trusted);
    if (certificate != null || key != null) {
      builder.clientCertificate(certificate, key);
    }
    return builder.build();
  }

  private static Path path(String text) {
    return text == null || text.isBlank() ? null : Path.of(text.strip());
  }

  public Duration getDeadline() {
    return deadline;
  }

  public void setDeadline(Duration deadline) {
    this.deadline = deadline;
  }

  public Duration getAttemptTimeout() {
    return attemptTimeout;
  }

  public void setAttemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = attemptTimeout;
  }

  public int getMaxBatchSize() {
    return maxBatchSize;
  }

  public void setMaxBatchSize(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  public boolean isPrefetch() {
    return prefetch;
  }

  public void setPrefetch(boolean prefetch) {
    this.prefetch = prefetch;
  }

  public PrefetchBuffer getPrefetchBuffer() {
    return prefetchBuffer;
  }

  public Duration getPrefetchAhead() {
    return prefetchAhead;
  }

  public void setPrefetchAhead(Duration prefetchAhead) {
    this.prefetchAhead = prefetchAhead;
  }

  public int getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(int failureThreshold) {
    this.failureThreshold = failureThreshold;
  }

  public SetAside getSetAside() {
    return setAside;
  }

  public boolean isHealthChecks() {
    return healthChecks;
  }

  public void setHealthChecks(boolean healthChecks) {
    this.healthChecks = healthChecks;
  }

  public Duration getHealthCheckInterval() {
    return healthCheckInterval;
  }

  public void setHealthCheckInterval(Duration healthCheckInterval) {
    this.healthCheckInterval = healthCheckInterval;
  }

  public boolean isStaticHolder() {
    return staticHolder;
  }

  public void setStaticHolder(boolean staticHolder) {
    this.staticHolder = staticHolder;
  }

  /** Maps every property onto {@code builder}, unchecked: the builder's {@code build()} checks. */
  IdMintClientBuilder applyTo(IdMintClientBuilder builder) {
    return builder
        .endpoints(endpoints)
        .token(token)
        .tls(tlsOptions())
        .deadline(deadline)
        .attemptTimeout(attemptTimeout)
        .maxBatchSize(maxBatchSize)
        .prefetch(prefetch)
        .prefetchBuffer(prefetchBuffer.minIds, prefetchBuffer.maxIds)
        .prefetchAhead(prefetchAhead)
        .failureThreshold(failureThreshold)
        .setAside(setAside.initial, setAside.max)
        .healthChecks(healthChecks)
        .healthCheckInterval(healthCheckInterval);
  }

  /** {@code idmint.client.prefetch-buffer.*}. */
  public static class PrefetchBuffer {
    /** The fewest IDs one namespace's buffer aims at. */
    private int minIds = IdMintClientBuilder.DEFAULT_PREFETCH_MIN_IDS;

    /** The most IDs one namespace's buffer holds. */
    private int maxIds = IdMintClientBuilder.DEFAULT_PREFETCH_MAX_IDS;

    public int getMinIds() {
      return minIds;
    }

    public void setMinIds(int minIds) {
      this.minIds = minIds;
    }

    public int getMaxIds() {
      return maxIds;
    }

    public void setMaxIds(int maxIds) {
      this.maxIds = maxIds;
    }
  }

  /** {@code idmint.client.set-aside.*}. */
  public static class SetAside {
    /** How long a node is set aside the first time it fails repeatedly. */
    private Duration initial = IdMintClientBuilder.DEFAULT_SET_ASIDE;

    /** The longest a node is set aside. */
    private Duration max = IdMintClientBuilder.DEFAULT_SET_ASIDE_MAX;

    public Duration getInitial() {
      return initial;
    }

    public void setInitial(Duration initial) {
      this.initial = initial;
    }

    public Duration getMax() {
      return max;
    }

    public void setMax(Duration max) {
      this.max = max;
    }
  }

  /** {@code idmint.client.public-ids.<namespace>.*}: one namespace's public-ID codec. */
  public static class PublicIds {
    /** The entity-type prefix before the underscore, e.g. ord. */
    private String prefix;

    /** base62 (11 characters) or crockford32 (13, case-insensitive). */
    private String alphabet = "base62";

    /** The key version that encodes: one character, 0-9 or a-z. */
    private String current;

    /** Keyed check characters after the body, 0 to 2. */
    private int checkCharacters;

    /** Hex AES keys (32 or 64 hex digits) by version; take them from the environment. */
    private Map<String, String> keys = new LinkedHashMap<>();

    public String getPrefix() {
      return prefix;
    }

    public void setPrefix(String prefix) {
      this.prefix = prefix;
    }

    public String getAlphabet() {
      return alphabet;
    }

    public void setAlphabet(String alphabet) {
      this.alphabet = alphabet;
    }

    public String getCurrent() {
      return current;
    }

    public void setCurrent(String current) {
      this.current = current;
    }

    public int getCheckCharacters() {
      return checkCharacters;
    }

    public void setCheckCharacters(int checkCharacters) {
      this.checkCharacters = checkCharacters;
    }

    public Map<String, String> getKeys() {
      return keys;
    }

    public void setKeys(Map<String, String> keys) {
      this.keys = keys;
    }

    /** Never prints a key. */
    @Override
    public String toString() {
      return "PublicIds[prefix="
          + prefix
          + ", current="
          + current
          + ", versions="
          + keys.keySet()
          + "]";
    }
  }
}
