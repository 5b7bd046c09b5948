package dev.idmint.zookeeper;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.CoordinatorOptions;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.segment.SegmentStore;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A ZooKeeper ensemble as idmint's coordinator: worker leases and segments under one chroot,
 * through one Curator-managed session. See the module's README for the guarantees and the exact
 * failure behaviour.
 *
 * <pre>{@code
 * try (ZooKeeperCoordinator zk =
 *     ZooKeeperCoordinator.builder("zookeeper://zk1:2181,zk2:2181,zk3:2181/idmint").build().start()) {
 *   LeaseManager leases = new LeaseManager(zk.workerLeases(), leaseConfig, Clock.system());
 *   ...
 * }
 * }</pre>
 *
 * No I/O and no threads until {@link #start()}; {@link #close()} closes the session, so the worker
 * claims made through it vanish at once.
 */
public final class ZooKeeperCoordinator implements Coordinator {
  /** Asked of the ensemble; also the longest a worker lease is granted for. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);

  /** Bound on the first connection in {@link #start()}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Bound on each store call, waiting for a connection included. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(ZooKeeperCoordinator.class.getName());

  private final ZooKeeperSettings settings;
  private final ZkClient client;
  private final ZooKeeperWorkerLeaseStore workerLeases;
  private final ZooKeeperSegmentStore segments;
  private final ZooKeeperRegistry registry;

  private ZooKeeperCoordinator(ZooKeeperSettings settings) {
    this.settings = settings;
    this.client = new ZkClient(settings);
    this.workerLeases = new ZooKeeperWorkerLeaseStore(client);
    this.segments = new ZooKeeperSegmentStore(client);
    this.registry = new ZooKeeperRegistry(client);
  }

  /** The validated configuration, for tests of option reading. */
  ZooKeeperSettings settings() {
    return settings;
  }

  /**
   * A builder for the ensemble at {@code url}: {@code zookeeper://host:port[,host:port][/chroot]}
   * (port 2181 and chroot {@code /idmint} when omitted).
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * Connects, creates the chroot and this module's nodes below it if missing, and checks that this
   * client may write there. Blocks for at most about the connect timeout plus a few operation
   * timeouts.
   *
   * @return this coordinator
   * @throws CoordinatorException naming what to fix if the ensemble cannot be reached or refuses
   *     access; everything started is closed again
   * @throws IllegalStateException if already started or closed
   */
  public ZooKeeperCoordinator start() {
    client.start();
    LOG.log(
        Level.INFO,
        "connected to {0} (session timeout {1} ms)",
        description(),
        client.sessionTimeoutMillis());
    return this;
  }

  @Override
  public String description() {
    return settings.toString();
  }

  /**
   * Worker claims: an EPHEMERAL node per claimed worker, expiry by ZooKeeper's clock, the reserved
   * horizon in a PERSISTENT node per worker. Calls fail with {@link IllegalStateException} before
   * {@link #start()}.
   */
  @Override
  public WorkerLeaseStore workerLeases() {
    return workerLeases;
  }

  /**
   * Segment ranges: a PERSISTENT node per namespace advanced by compare-and-set. Calls fail with
   * {@link IllegalStateException} before {@link #start()}.
   */
  @Override
  public SegmentStore segments() {
    return segments;
  }

  /**
   * The registry: a PERSISTENT node per namespace definition (its version is the revision) and per
   * node record (its mtime is the last heartbeat, by ZooKeeper's clock).
   */
  @Override
  public Registry registry() {
    return registry;
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return description();
  }

  /** Configures a {@link ZooKeeperCoordinator}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    /** The options {@link #options(Map)} accepts, with what they mean. */
    static final Map<String, String> OPTIONS = options();

    /** The duration options also accepted, deprecated, as {@code <key>-ms} in milliseconds. */
    private static final Set<String> TIMEOUTS =
        Set.of("session-timeout", "connect-timeout", "operation-timeout");

    private final String url;
    private final List<String> optionProblems = new ArrayList<>();
    private final Map<String, String> timeoutNames = new LinkedHashMap<>();
    private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
    private String user;
    private String password;

    private Builder(String url) {
      this.url = url;
    }

    /**
     * Session timeout asked of the ensemble (default 30 s); the ensemble grants at most its {@code
     * maxSessionTimeout} (20 × tickTime, 40 s with ZooKeeper's defaults). Worker leases are granted
     * for at most the negotiated value.
     */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = sessionTimeout;
      return this;
    }

    /** Bound on the first connection in {@link #start()} (default 5 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Bound on each store call, waiting for a connection included (default 5 s). A write that times
     * out is reported as a failure with an unknown outcome.
     */
    public Builder operationTimeout(Duration operationTimeout) {
      this.operationTimeout = operationTimeout;
      return this;
    }

    /**
     * Authenticates with ZooKeeper's {@code digest} scheme and creates every node with {@code
     * CREATOR_ALL_ACL}, so only clients with the same credentials can read or change them.
     */
    public Builder credentials(String user, String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * Applies coordinator options as {@link ZooKeeperCoordinatorProvider} receives them: {@code
     * session-timeout}, {@code connect-timeout}, {@code operation-timeout} (durations such as
     * {@code 2s} or {@code 500ms}; the deprecated {@code *-ms} twins with whole milliseconds still
     * work for one release), {@code user}, {@code password}. Unknown options and unreadable values
     * are reported by {@link #build()}.
     */
    public Builder options(Map<String, String> options) {
      Objects.requireNonNull(options, "options");
      CoordinatorOptions read =
          CoordinatorOptions.read(options, List.copyOf(OPTIONS.keySet()), TIMEOUTS);
      sessionTimeout = read.duration("session-timeout", sessionTimeout);
      connectTimeout = read.duration("connect-timeout", connectTimeout);
      operationTimeout = read.duration("operation-timeout", operationTimeout);
      user = read.text("user", user);
      password = read.text("password", password);
      for (String timeout : TIMEOUTS) {
        timeoutNames.put(timeout, read.writtenAs(timeout));
      }
      optionProblems.addAll(read.problems());
      return this;
    }

    /**
     * Checks the configuration; connects to nothing.
     *
     * @throws InvalidConfigurationException listing every problem: a malformed URL, unknown
     *     options, unreadable or non-positive timeouts, a user without a password
     */
    public ZooKeeperCoordinator build() {
      List<String> problems = new ArrayList<>(optionProblems);
      ZooKeeperUrl parsed = null;
      try {
        parsed = ZooKeeperUrl.parse(url);
      } catch (IllegalArgumentException e) {
        problems.add(
            "malformed ZooKeeper URL '"
                + (url == null ? null : Coordinators.redact(url))
                + "': "
                + e.getMessage()
                + "; "
                + ZooKeeperUrl.EXPECTED);
      }
      requireMillis(problems, timeoutName("session-timeout"), sessionTimeout);
      requireMillis(problems, timeoutName("connect-timeout"), connectTimeout);
      requireMillis(problems, timeoutName("operation-timeout"), operationTimeout);
      if ((user == null) != (password == null)) {
        problems.add("user and password must be given together (digest authentication)");
      }
      if (user != null && (user.isEmpty() || user.contains(":"))) {
        problems.add("user must be non-empty and contain no ':': user='" + user + "'");
      }
      if (!problems.isEmpty()) {
        throw new InvalidConfigurationException("ZooKeeper coordinator configuration", problems);
      }
      return new ZooKeeperCoordinator(
          new ZooKeeperSettings(
              parsed.connectString(),
              parsed.chroot(),
              sessionTimeout,
              connectTimeout,
              operationTimeout,
              user,
              password));
    }

    private String timeoutName(String key) {
      return timeoutNames.getOrDefault(key, key);
    }

    private static void requireMillis(List<String> problems, String name, Duration value) {
      if (value == null) {
        return; // already reported as unreadable
      }
      if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
        problems.add(
            name
                + " must be in [1, "
                + Integer.MAX_VALUE
                + "] ms: "
                + name
                + "="
                + value.toMillis());
      }
    }

    private static Map<String, String> options() {
      Map<String, String> options = new LinkedHashMap<>();
      options.put("session-timeout", "session timeout asked of the ensemble, default 30s");
      options.put("connect-timeout", "bound on the first connection, default 5s");
      options.put("operation-timeout", "bound on each call, default 5s");
      options.put("user", "digest user (with password)");
      options.put("password", "digest password (with user)");
      return Collections.unmodifiableMap(options);
    }
  }
}
