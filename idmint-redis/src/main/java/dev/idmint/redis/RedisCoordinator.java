package dev.idmint.redis;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.CoordinatorOptions;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.segment.SegmentStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Coordinator} on one Redis server: worker leases and segments, through one Lettuce
 * connection.
 *
 * <pre>{@code
 * try (RedisCoordinator redis =
 *     RedisCoordinator.builder("redis://redis.internal:6379/0").password(secret).build()) {
 *   redis.start(); // connects and checks the server; throws a readable CoordinatorException
 *   LeaseManager leases = new LeaseManager(redis.workerLeases(), leaseConfig, clock);
 *   ...
 * }
 * }</pre>
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Nothing happens before {@link #start()}: the constructor opens no socket and starts no
 *       thread. {@code start()} creates the client's own event loops, connects, authenticates,
 *       selects the database, checks the server (reachable, credentials right, Redis 5.0 or later,
 *       a primary rather than a read-only replica, allowed to run scripts) and loads the scripts.
 *       {@link #close()} shuts all of that down again.
 *   <li>Bounded time: the connect timeout bounds each TCP connect, the command timeout every
 *       command and the handshake. While the connection is down, commands are rejected at once
 *       instead of queued, and commands in flight when it broke fail instead of being replayed
 *       after the reconnect (at most once). Lettuce reconnects in the background, retrying at most
 *       every {@value #MAX_RECONNECT_DELAY_MILLIS} ms, so a node resumes by itself once the path is
 *       back.
 *   <li>RESP2 with plain {@code AUTH}: unlike RESP3's {@code HELLO … AUTH default}, which a server
 *       without a password accepts with any password, it tells a misconfigured password apart.
 *   <li>Only Redis's clock decides expiry (PX on the claim key), and every grant reports Redis's
 *       {@code TIME}. Standalone Redis only: the scripts build key names, which Redis Cluster does
 *       not allow.
 * </ul>
 *
 * Redis replicates asynchronously: a failover can lose acknowledged writes. See README.md.
 */
public final class RedisCoordinator implements Coordinator {
  /** Default key prefix: every key this coordinator writes starts with it. */
  public static final String DEFAULT_KEY_PREFIX = "idmint:";

  /** Default bound on one TCP connect. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Default bound on one command, and on the handshake after connecting. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  static final long MAX_RECONNECT_DELAY_MILLIS = 1_000;

  private static final System.Logger LOG = System.getLogger(RedisCoordinator.class.getName());

  private final RedisUrl url;
  private final String keyPrefix;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private final int waitReplicas;
  private final String description;
  private final Object lock = new Object();

  // Guarded by lock.
  private boolean started;
  private boolean closed;
  private ClientResources resources;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  // Written under lock once start() succeeded; read without it.
  private volatile RedisWorkerLeaseStore workerLeases;
  private volatile RedisSegmentStore segments;
  private volatile RedisRegistry registry;

  private RedisCoordinator(Builder builder, RedisUrl url) {
    this.url = url;
    this.keyPrefix = builder.keyPrefix;
    this.connectTimeout = builder.connectTimeout;
    this.commandTimeout = builder.commandTimeout;
    this.waitReplicas = builder.waitReplicas;
    this.description =
        "Redis at "
            + url.address()
            + " (database "
            + url.database()
            + (url.tls() ? ", TLS" : "")
            + (url.user() != null ? ", user " + url.user() : "")
            + (waitReplicas > 0 ? ", waits for " + waitReplicas + " replicas" : "")
            + ", key prefix '"
            + keyPrefix
            + "')";
  }

  /**
   * A builder for the coordinator at {@code url}: {@code
   * redis://[[user]:password@]host[:port][/database]}, or {@code rediss://…} for TLS.
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * Connects and checks that the server can be used. Blocks for at most about the connect timeout
   * plus a few command timeouts. On failure everything started is shut down again and this
   * coordinator is closed.
   *
   * @throws CoordinatorException with one sentence naming what to fix (unreachable host, wrong or
   *     superfluous password, TLS mismatch, replica, old server, missing permissions)
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException(
            description + " already " + (closed ? "closed" : "started"));
      }
      started = true;
      try {
        resources =
            DefaultClientResources.builder()
                .reconnectDelay(
                    Delay.exponential(
                        Duration.ofMillis(10),
                        Duration.ofMillis(MAX_RECONNECT_DELAY_MILLIS),
                        2,
                        TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources);
        client.setOptions(clientOptions());
        connection = client.connect(StringCodec.UTF8, redisUri());
        RedisSession session =
            new RedisSession(
                connection.sync(), "Redis at " + url.address(), commandTimeout, waitReplicas);
        RedisServerCheck.check(session);
        for (LuaScript script : List.of(LuaScript.CLAIM, LuaScript.RENEW, LuaScript.RELEASE)) {
          session.load(script);
        }
        workerLeases = new RedisWorkerLeaseStore(session, keyPrefix);
        segments = new RedisSegmentStore(session, keyPrefix);
        registry = new RedisRegistry(session, keyPrefix);
        LOG.log(Level.INFO, "connected to {0}", description);
      } catch (RuntimeException e) {
        closeLocked();
        throw RedisServerCheck.openFailure(url, keyPrefix, connectTimeout, commandTimeout, e);
      }
    }
  }

  @Override
  public String description() {
    return description;
  }

  /**
   * @throws IllegalStateException if not started
   */
  @Override
  public WorkerLeaseStore workerLeases() {
    RedisWorkerLeaseStore store = workerLeases;
    if (store == null) {
      throw notStarted();
    }
    return store;
  }

  /**
   * @throws IllegalStateException if not started
   */
  @Override
  public SegmentStore segments() {
    RedisSegmentStore store = segments;
    if (store == null) {
      throw notStarted();
    }
    return store;
  }

  /**
   * @throws IllegalStateException if not started
   */
  @Override
  public Registry registry() {
    RedisRegistry store = registry;
    if (store == null) {
      throw notStarted();
    }
    return store;
  }

  /**
   * Closes the connection, the client and its event loops, waiting a few seconds at most. The
   * stores fail with {@link CoordinatorException} from here on. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closeLocked();
    }
  }

  private void closeLocked() {
    closed = true;
    try {
      if (connection != null) {
        connection.close();
      }
      if (client != null) {
        client.shutdown(Duration.ZERO, commandTimeout);
      }
      if (resources != null) {
        resources.shutdown(0, commandTimeout.toMillis(), TimeUnit.MILLISECONDS).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "closing " + description + " did not finish cleanly: " + e);
    } finally {
      connection = null;
      client = null;
      resources = null;
    }
  }

  private IllegalStateException notStarted() {
    return new IllegalStateException(
        description + " is not started" + (closed ? " (or closed)" : "; call start() first"));
  }

  private RedisURI redisUri() {
    RedisURI.Builder builder =
        RedisURI.builder()
            .withHost(url.host())
            .withPort(url.port())
            .withDatabase(url.database())
            .withSsl(url.tls())
            .withTimeout(commandTimeout)
            .withClientName("idmint");
    if (url.password() != null && url.user() != null) {
      builder.withAuthentication(url.user(), url.password().toCharArray());
    } else if (url.password() != null) {
      builder.withPassword(url.password().toCharArray());
    }
    return builder.build();
  }

  private ClientOptions clientOptions() {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .protocolVersion(ProtocolVersion.RESP2)
        .pingBeforeActivateConnection(true)
        .maintNotificationsConfig(MaintNotificationsConfig.disabled())
        .requestQueueSize(10_000)
        .socketOptions(
            SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build();
  }

  /**
   * Builds a {@link RedisCoordinator}. Every problem is reported at once by {@link #build()}.
   * Options given here override nothing silently: a password both in the URL and here is a problem.
   */
  public static final class Builder {
    /** The options {@link #options(Map)} reads. */
    static final List<String> OPTIONS =
        List.of(
            "user",
            "password",
            "key-prefix",
            "connect-timeout",
            "command-timeout",
            "wait-replicas");

    private final String url;
    private final List<String> optionProblems = new ArrayList<>();
    private String user;
    private String password;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private int waitReplicas;

    private Builder(String url) {
      this.url = url;
    }

    /** The ACL user to authenticate as; default: the URL's, else Redis's default user. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The password; default: the URL's, else none. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** Prefix of every key this coordinator reads or writes; default {@code idmint:}. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
      return this;
    }

    /** Bound on one TCP connect (also each reconnect); default 2 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Bound on one command and on the handshake after connecting; default 2 s. A command that times
     * out is reported as a failure with an unknown outcome.
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * How many replicas must confirm each claim, renewal and segment ({@code WAIT}, for half the
     * command timeout) before its result is used; default 0 (do not wait). Narrows what an
     * asynchronous failover can lose; it does not make Redis a consensus system (see README.md).
     */
    public Builder waitReplicas(int waitReplicas) {
      this.waitReplicas = waitReplicas;
      return this;
    }

    /**
     * Applies coordinator options as given to {@link RedisCoordinatorProvider}: {@code user},
     * {@code password}, {@code key-prefix}, {@code connect-timeout}, {@code command-timeout}
     * (durations such as {@code 2s}, {@code 500ms} or ISO-8601 {@code PT2S}), {@code wait-replicas}
     * (a count). Unknown options and unreadable values are reported by {@link #build()}.
     */
    public Builder options(Map<String, String> options) {
      Objects.requireNonNull(options, "options");
      CoordinatorOptions read = CoordinatorOptions.read(options, OPTIONS, Set.of());
      user = read.text("user", user);
      password = read.text("password", password);
      keyPrefix = read.text("key-prefix", keyPrefix);
      connectTimeout = read.duration("connect-timeout", connectTimeout);
      commandTimeout = read.duration("command-timeout", commandTimeout);
      waitReplicas = read.integer("wait-replicas", waitReplicas);
      optionProblems.addAll(read.problems());
      return this;
    }

    /**
     * Checks the configuration; connects to nothing.
     *
     * @throws InvalidConfigurationException listing every problem: a malformed URL, unknown
     *     options, a blank key prefix, a timeout that is not positive
     */
    public RedisCoordinator build() {
      List<String> problems = new ArrayList<>(optionProblems);
      RedisUrl parsed = null;
      try {
        parsed = RedisUrl.parse(url);
      } catch (IllegalArgumentException e) {
        problems.add(
            "malformed Redis URL '"
                + RedisUrl.redact(url)
                + "': "
                + e.getMessage()
                + "; "
                + RedisUrl.EXPECTED);
      }
      if (parsed != null) {
        if (password != null && parsed.password() != null) {
          problems.add("a password is given both in the URL and as an option; keep one");
        } else if (password != null) {
          parsed = withCredentials(parsed, parsed.user(), password);
        }
        if (user != null && parsed.user() != null && !user.equals(parsed.user())) {
          problems.add(
              "user '"
                  + user
                  + "' is given as an option, but the URL names user '"
                  + parsed.user()
                  + "'");
        } else if (user != null) {
          parsed = withCredentials(parsed, user, parsed.password());
        }
        if (parsed.user() != null && parsed.password() == null) {
          problems.add("user '" + parsed.user() + "' is given without a password");
        }
      }
      if (keyPrefix == null || keyPrefix.isBlank()) {
        problems.add("key-prefix must not be blank: key-prefix='" + keyPrefix + "'");
      }
      requirePositive(problems, "connect-timeout", connectTimeout);
      requirePositive(problems, "command-timeout", commandTimeout);
      if (waitReplicas < 0) {
        problems.add("wait-replicas must be >= 0: wait-replicas=" + waitReplicas);
      }
      if (!problems.isEmpty()) {
        throw new InvalidConfigurationException("Redis coordinator configuration", problems);
      }
      return new RedisCoordinator(this, parsed);
    }

    private static RedisUrl withCredentials(RedisUrl url, String user, String password) {
      return new RedisUrl(url.tls(), url.host(), url.port(), url.database(), user, password);
    }

    private static void requirePositive(List<String> problems, String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        problems.add(name + " must be positive: " + name + "=" + value);
      }
    }
  }
}
