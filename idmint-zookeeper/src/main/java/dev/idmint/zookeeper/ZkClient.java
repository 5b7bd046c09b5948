package dev.idmint.zookeeper;

import dev.idmint.core.Clock;
import dev.idmint.core.CoordinatorException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;

/**
 * One ZooKeeper session, kept by Curator, and the single way this module talks to it: {@link
 * #multi}, one request of ZooKeeper operations answered within the operation timeout.
 *
 * <p>Design notes:
 *
 * <ul>
 *   <li>Curator keeps the connection and replaces an expired session; it never retries an operation
 *       (retry policy: none). A write whose answer does not arrive (connection lost, timeout) is
 *       reported as a {@link CoordinatorException} with an unknown outcome, and the caller decides
 *       what that means (the lease manager retries on its own schedule).
 *   <li>Every call is bounded: it waits for a connection and for the answer for at most the
 *       operation timeout in total, also when packets are silently dropped (ZooKeeper itself would
 *       notice that only after two thirds of the session timeout).
 *   <li>Connection SUSPENDED and LOST are passed to the registered possible-loss listeners at once,
 *       on Curator's event thread.
 *   <li>Paths are absolute (the chroot is part of every path) and nodes are created with one ACL:
 *       {@code CREATOR_ALL_ACL} when digest credentials are configured, open otherwise.
 * </ul>
 */
final class ZkClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ZkClient.class.getName());
  private static final byte[] EMPTY = new byte[0];

  private final ZooKeeperSettings settings;
  private final ZkLayout layout;
  private final Clock clock = Clock.system();
  private final List<Runnable> lossListeners = new CopyOnWriteArrayList<>();
  private final List<ACL> acl;
  private final Object lifecycle = new Object();

  // Written under lifecycle.
  private volatile CuratorFramework curator;
  private volatile boolean closed;

  ZkClient(ZooKeeperSettings settings) {
    this.settings = settings;
    this.layout = new ZkLayout(settings.chroot());
    this.acl =
        settings.hasCredentials() ? ZooDefs.Ids.CREATOR_ALL_ACL : ZooDefs.Ids.OPEN_ACL_UNSAFE;
  }

  ZkLayout layout() {
    return layout;
  }

  List<ACL> acl() {
    return acl;
  }

  /**
   * Connects, creates the chroot and the module's nodes if missing, and checks that this client may
   * write there.
   *
   * @throws CoordinatorException if the ensemble cannot be reached within the connect timeout or
   *     refuses access; everything started is closed again
   * @throws IllegalStateException if already started or closed
   */
  void start() {
    CuratorFramework client;
    synchronized (lifecycle) {
      if (curator != null || closed) {
        throw new IllegalStateException(
            "ZooKeeper coordinator already " + (closed ? "closed" : "started"));
      }
      client = newCurator();
      client
          .getConnectionStateListenable()
          .addListener((source, state) -> connectionStateChanged(state));
      client.start();
      curator = client;
    }
    try {
      boolean connected =
          client.blockUntilConnected(
              (int) settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!connected) {
        throw new CoordinatorException(
            "cannot reach ZooKeeper at "
                + settings.connectString()
                + " within "
                + settings.connectTimeout().toMillis()
                + " ms; check --coordinator (zookeeper://host:port[,host:port][/chroot]) and that"
                + " the ensemble is running and reachable from this host");
      }
      createLayout();
      coordinatorNowMillis("check that ZooKeeper accepts writes under " + layout.chroot());
      int negotiated = sessionTimeoutMillis();
      if (negotiated < settings.sessionTimeout().toMillis()) {
        LOG.log(
            Level.WARNING,
            "ZooKeeper granted a session timeout of {0} ms instead of the {1} ms asked for (the"
                + " server''s maxSessionTimeout); worker leases last at most {0} ms",
            negotiated,
            settings.sessionTimeout().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new CoordinatorException("interrupted while connecting to ZooKeeper", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Closes the session (its ephemeral claims vanish at once) and Curator's threads. Idempotent. */
  @Override
  public void close() {
    CuratorFramework client;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      client = curator;
    }
    if (client != null) {
      client.close();
    }
  }

  /** Registers a listener called, from any thread, when the connection is SUSPENDED or LOST. */
  void onPossibleLoss(Runnable listener) {
    lossListeners.add(listener);
  }

  /** The session timeout the ensemble granted to the current session. */
  int sessionTimeoutMillis() {
    return handle("read the session timeout", deadline()).getSessionTimeout();
  }

  /**
   * ZooKeeper's clock now: the modification time the leader stamps on a write of the clock node.
   * Every lease time in this module is measured on this clock only.
   */
  long coordinatorNowMillis(String what) {
    Outcome outcome = multi(what, List.of(Op.setData(layout.clock(), EMPTY, -1)));
    if (!outcome.ok()) {
      throw outcome.failure(what);
    }
    return outcome.<OpResult.SetDataResult>result(0).getStat().getMtime();
  }

  /**
   * Sends {@code ops} (all reads or all writes) as one request and waits for the answer.
   *
   * <p>Writes are one atomic transaction: either all succeeded ({@link Outcome#ok()}), or none did
   * and {@link Outcome#failedIndex()} names the operation that failed. Reads answer each operation
   * on its own.
   *
   * @throws CoordinatorException if there was no answer within the operation timeout, the
   *     connection or session was lost (the outcome of a write is then unknown), or the request was
   *     refused as a whole
   */
  Outcome multi(String what, List<Op> ops) {
    return multi(what, session -> ops);
  }

  /**
   * Like {@link #multi(String, List)}, with operations built for the session that will carry them:
   * a claim made through a session may be granted for at most its negotiated timeout (when the
   * session expires, its ephemeral claims vanish). {@code ops} may throw to send nothing.
   */
  Outcome multi(String what, Function<Session, List<Op>> ops) {
    long deadline = deadline();
    ZooKeeper zk = handle(what, deadline);
    Session session = new Session(zk.getSessionId(), zk.getSessionTimeout());
    List<Op> request = ops.apply(session);
    CompletableFuture<Outcome> answer = new CompletableFuture<>();
    zk.multi(
        request,
        (rc, path, ctx, results) -> answer.complete(new Outcome(Code.get(rc), results, session)),
        null);
    Outcome outcome;
    try {
      outcome = answer.get(Math.max(0, deadline - clock.monotonicNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new CoordinatorException(
          "ZooKeeper at "
              + settings.connectString()
              + " did not answer within "
              + settings.operationTimeout().toMillis()
              + " ms (operation-timeout) to "
              + what
              + "; its outcome is unknown");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CoordinatorException(
          "interrupted while waiting for ZooKeeper to " + what + "; its outcome is unknown", e);
    } catch (ExecutionException e) {
      throw new CoordinatorException("ZooKeeper failed to " + what, e.getCause());
    }
    if (outcome.results() == null || outcome.results().size() != request.size()) {
      throw outcome.failure(what);
    }
    return outcome;
  }

  /** Creates {@code path} if it is missing; an existing node is left as it is. */
  private void createIfMissing(String path, byte[] data) {
    String what = "create " + path;
    Outcome outcome = multi(what, List.of(Op.create(path, data, acl, CreateMode.PERSISTENT)));
    if (!outcome.ok() && outcome.code() != Code.NODEEXISTS) {
      throw outcome.failure(what);
    }
  }

  private void createLayout() {
    List<String> paths = new ArrayList<>();
    String chroot = layout.chroot();
    for (int slash = chroot.indexOf('/', 1); slash > 0; slash = chroot.indexOf('/', slash + 1)) {
      paths.add(chroot.substring(0, slash));
    }
    paths.add(chroot);
    paths.addAll(layout.fixedNodes());
    for (String path : paths) {
      createIfMissing(path, EMPTY);
    }
  }

  private long deadline() {
    return clock.monotonicNanos() + settings.operationTimeout().toNanos();
  }

  /**
   * The current ZooKeeper handle once it is connected, so that its session id and negotiated
   * timeout are known; waits for a connection until the deadline.
   */
  private ZooKeeper handle(String what, long deadline) {
    CuratorFramework client = curator;
    if (client == null) {
      throw new IllegalStateException("ZooKeeper coordinator not started: call start() first");
    }
    while (true) {
      if (closed) {
        throw new CoordinatorException(
            "the ZooKeeper coordinator is closed (its session and claims with it); cannot " + what);
      }
      ZooKeeper zk;
      try {
        zk = client.getZookeeperClient().getZooKeeper();
      } catch (Exception e) {
        throw new CoordinatorException("no ZooKeeper session to " + what + ": " + e, e);
      }
      if (zk.getState().isConnected() && zk.getSessionId() != 0) {
        return zk;
      }
      long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - clock.monotonicNanos());
      if (waitMillis <= 0) {
        throw new CoordinatorException(
            "not connected to ZooKeeper at "
                + settings.connectString()
                + "; gave up on trying to "
                + what
                + " after "
                + settings.operationTimeout().toMillis()
                + " ms (operation-timeout)");
      }
      try {
        if (client.blockUntilConnected((int) waitMillis, TimeUnit.MILLISECONDS)) {
          // Curator may learn of a connection before the handle does, or the other way round.
          Thread.sleep(Math.min(10, waitMillis));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CoordinatorException("interrupted while waiting for ZooKeeper to " + what, e);
      }
    }
  }

  private void connectionStateChanged(ConnectionState state) {
    switch (state) {
      case SUSPENDED, LOST -> {
        LOG.log(
            Level.WARNING,
            "ZooKeeper connection {0} ({1}); worker claims may be lost, fencing",
            state,
            settings.connectString());
        for (Runnable listener : lossListeners) {
          try {
            listener.run();
          } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "a possible-loss listener failed", e);
          }
        }
      }
      case RECONNECTED ->
          LOG.log(Level.INFO, "ZooKeeper connection restored ({0})", settings.connectString());
      default -> {
        // CONNECTED (the first time) and READ_ONLY need no action.
      }
    }
  }

  private CuratorFramework newCurator() {
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(settings.connectString())
            .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
            .connectionTimeoutMs((int) settings.connectTimeout().toMillis())
            // No retries: an operation whose outcome is unknown is reported, never repeated.
            .retryPolicy(new RetryNTimes(0, 0))
            // The connect string is what the operator configured; never rewrite it from the
            // ensemble's dynamic configuration (it may bypass a proxy or load balancer).
            .ensembleTracker(false)
            // Container nodes vanish when empty; the module's nodes must stay.
            .dontUseContainerParents()
            .threadFactory(new NamedThreads("idmint-zookeeper"));
    if (settings.hasCredentials()) {
      builder.authorization(
          "digest", (settings.user() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  /**
   * The ZooKeeper session a request went through.
   *
   * @param id the session id, as in a node's {@code ephemeralOwner}
   * @param timeoutMillis the session timeout the ensemble negotiated
   */
  record Session(long id, int timeoutMillis) {}

  /** The answer to a {@link #multi} request, and the session that carried it. */
  record Outcome(Code code, List<OpResult> results, Session session) {

    boolean ok() {
      return code == Code.OK;
    }

    /** Index of the first operation that failed, or -1. */
    int failedIndex() {
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) instanceof OpResult.ErrorResult error && error.getErr() != 0) {
          return i;
        }
      }
      return -1;
    }

    /** The error of operation {@code i}, or OK when it succeeded. */
    Code codeOf(int i) {
      return results.get(i) instanceof OpResult.ErrorResult error
          ? Code.get(error.getErr())
          : Code.OK;
    }

    @SuppressWarnings("unchecked")
    <T extends OpResult> T result(int i) {
      return (T) results.get(i);
    }

    /** A readable failure for a code the caller did not expect. */
    CoordinatorException failure(String what) {
      return ZkClient.failure(what, code);
    }
  }

  static CoordinatorException failure(String what, Code code) {
    return switch (code) {
      case CONNECTIONLOSS, OPERATIONTIMEOUT ->
          new CoordinatorException(
              "lost the connection to ZooKeeper while trying to " + what + "; outcome unknown");
      case SESSIONEXPIRED, SESSIONMOVED ->
          new CoordinatorException(
              "the ZooKeeper session expired while trying to "
                  + what
                  + "; its claims are gone and a new session is being opened");
      case NOAUTH, AUTHFAILED, INVALIDACL ->
          new CoordinatorException(
              "ZooKeeper refused to "
                  + what
                  + " ("
                  + code
                  + "): the nodes belong to other credentials; check the user and password"
                  + " options and the ACLs of the chroot");
      default -> new CoordinatorException("ZooKeeper failed to " + what + ": " + code);
    };
  }

  /** Daemon threads named {@code prefix-N}, for Curator's executors. */
  private static final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    NamedThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
