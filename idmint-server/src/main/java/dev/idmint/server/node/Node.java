package dev.idmint.server.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idmint.core.Clock;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.internal.BackgroundThread;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.core.registry.NamespaceExistsException;
import dev.idmint.core.registry.Registry;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.NamespaceDefinition;
import dev.idmint.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The ID engine of one server process: the coordinator, the worker lease, one generator per
 * namespace, and this node's place in the registry. Explicit lifecycle: nothing connects before
 * {@link #start()}; {@link #startRegistry(String)} starts heartbeats once the node is reachable;
 * {@link #close()} deregisters and releases the lease. Has no knowledge of HTTP or gRPC.
 *
 * <p>Design notes. The registry, not the local YAML, decides what a namespace is (DESIGN.md rule
 * 7). At start the node seeds the registry with its local definitions (create-if-absent: the first
 * node to start wins, the others compare), then serves every definition in the registry that its
 * local one (if any) agrees with on the unsafe fields. Every {@code registry.poll-interval} one
 * background thread heartbeats, learns of drain requests and applies changed definitions: safe
 * changes in place, unsafe ones (possible only while the namespace never issued) by a new
 * generator. Before the first ID of a namespace the node records in the registry that it issued;
 * the registry refuses unsafe changes from then on.
 *
 * <p>The parts: {@link Reconciliation} decides, as a pure function, what to do with each registry
 * entry (serve, retune, replace, refuse); the node carries the action out on {@link
 * NamespaceGenerator}s, which know their own lifecycle; {@link HeartbeatRecord} writes what the
 * node list shows. All changes happen under one private lock (see {@code lock}).
 *
 * <p>The kinds: snowflake and uuid7 namespaces share the node's one worker lease (its worker number
 * must fit the narrowest of them, e.g. below 64 with a js-safe layout); segment and pattern
 * namespaces draw ranges of counters in the coordinator. Pattern namespaces take their period from
 * {@link CoordinatorClock}, the node's monotonic estimate of the coordinator's clock, started with
 * the first of them. A pattern namespace's period counters ({@code name--period}) must not meet
 * another namespace's name: {@link #collision} is checked before the node seeds the registry and by
 * the admin API (two admins creating such a pair at the same instant on different nodes are not
 * caught; the registry has no cross-entry check).
 */
public final class Node implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Node.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a node is doing, as shown in the node list. */
  public enum State {
    LIVE,
    DRAINING,
    DRAINED
  }

  private final ServerConfig config;
  private final Clock clock;
  private final SnowflakeFactory snowflakes;
  private final String owner;
  private final Instant startedAt;

  /**
   * Guards every change of the node's lifecycle and of what it serves: {@code closed}, {@code
   * state} (written only under it), {@code coordinator}, {@code registry}, {@code leases}, {@code
   * registryThread}, and the contents of {@code namespaces} and {@code refusals} (changed only
   * under it). Request threads never take it: they read the volatile fields and the concurrent
   * maps, which always hold a consistent published value.
   */
  private final Object lock = new Object();

  private final Map<String, Namespace> namespaces = new ConcurrentSkipListMap<>();
  private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
  private final Map<String, Namespace.IssueState> issueStates = new ConcurrentHashMap<>();
  private volatile Coordinator coordinator;
  private volatile Registry registry;
  private volatile LeaseManager leases;
  private volatile CoordinatorClock coordinatorClock;
  private volatile State state = State.LIVE;
  private volatile String address;
  private volatile ScheduledExecutorService registryThread;
  private volatile Throwable lastRegistryFailure; // only the registry thread writes it
  private boolean closed;

  public Node(ServerConfig config, Clock clock) {
    this(config, clock, SnowflakeFactory.STANDARD);
  }

  /**
   * A node whose snowflake generators come from {@code snowflakes} (see {@link SnowflakeFactory}).
   */
  public Node(ServerConfig config, Clock clock, SnowflakeFactory snowflakes) {
    this.config = config;
    this.clock = clock;
    this.snowflakes = Objects.requireNonNull(snowflakes, "snowflakes");
    this.owner = ownerName();
    this.startedAt = Instant.ofEpochMilli(clock.wallMillis());
  }

  /**
   * Connects to the coordinator, seeds the registry with the local definitions, claims a worker (if
   * any namespace served is snowflake) and starts the generators.
   *
   * @throws dev.idmint.core.IdMintException with a readable message if any of it fails
   */
  public void start() {
    synchronized (lock) {
      startLocked();
    }
  }

  private void startLocked() {
    if (config.embedded()) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create the data directory " + config.dataDir().toAbsolutePath(), e);
      }
    }
    coordinator = Coordinators.open(config.effectiveCoordinatorUrl(), config.coordinatorOptions());
    try {
      registry = coordinator.registry();
      for (NamespaceConfig local : config.namespaces().values()) {
        try {
          String collision = collision(local.definition(), registry.namespaces());
          if (collision != null) {
            throw new InvalidConfigurationException(
                "namespace " + local.name(), List.of(collision + " (in the registry)"));
          }
          registry.create(local.name(), Definition.text(local.definition()));
          LOG.log(
              Level.INFO,
              "namespace {0}: seeded the registry from this node''s configuration",
              local.name());
        } catch (NamespaceExistsException e) {
          reconcile(local, e.existing());
        }
      }
      List<NamespaceEntry> entries = registry.namespaces();
      Map<String, Reconciliation.Action> planned = new java.util.LinkedHashMap<>();
      for (NamespaceEntry entry : entries) {
        planned.put(entry.name(), decide(entry));
      }
      // One lease for every snowflake and uuid7 namespace: its worker number must fit the
      // narrowest.
      int maxWorker =
          planned.values().stream()
              .filter(Reconciliation.Serve.class::isInstance)
              .map(action -> ((Reconciliation.Serve) action).config())
              .filter(ns -> ns.strategy().leased())
              .mapToInt(ns -> ns.layout().maxWorker())
              .min()
              .orElse(-1);
      if (maxWorker >= 0) {
        startLeases(maxWorker);
      }
      for (NamespaceEntry entry : entries) {
        carryOut(entry, planned.get(entry.name()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * A local definition that differs from the registry's. On the embedded coordinator this node is
   * the only one, so its file stays the way to change a namespace: the file's definition replaces
   * the registry's unless that would be an unsafe change of a namespace that issued IDs (then
   * {@link #plan} refuses it). On a shared coordinator the registry wins and differences in safe
   * fields are only logged; unsafe ones make the node refuse the namespace.
   */
  private void reconcile(NamespaceConfig local, NamespaceEntry existing) {
    NamespaceDefinition mine = local.definition();
    NamespaceDefinition theirs;
    try {
      theirs = Definition.read(local.name(), existing.definition());
    } catch (InvalidConfigurationException e) {
      theirs = null; // unreadable: the file's definition may replace it; else decide() reports it
    }
    if (mine.equals(theirs)) {
      return;
    }
    boolean unsafe = theirs == null || !theirs.unsafeChangesTo(mine).isEmpty();
    if (config.embedded() && !(unsafe && existing.issued())) {
      try {
        registry.update(local.name(), existing.revision(), Definition.text(mine));
        LOG.log(
            Level.INFO,
            "namespace {0}: the configuration file changed it; registry updated",
            local.name());
      } catch (dev.idmint.core.registry.RevisionConflictException e) {
        // changed meanwhile; judged by decide() like any other difference
      }
      return;
    }
    if (!unsafe) {
      LOG.log(
          Level.WARNING,
          "namespace {0}: this node''s configuration differs from the registry''s revision {1} in"
              + " settings that are safe to change, and the registry''s definition applies; change"
              + " it with `idmint namespaces update` or PUT /v1/admin/namespaces/{0}",
          local.name(),
          existing.revision());
    }
  }

  /**
   * Registers this node under {@code boundAddress} (unless {@code node.address} says otherwise) and
   * starts the heartbeat and registry poll.
   */
  public void startRegistry(String boundAddress) {
    synchronized (lock) {
      this.address = config.advertisedAddress() != null ? config.advertisedAddress() : boundAddress;
      registry.heartbeat(owner, info(), config.leaseTtl());
      ScheduledExecutorService thread = BackgroundThread.start("idmint-registry");
      long interval = config.registryInterval().toMillis();
      thread.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
      registryThread = thread;
    }
  }

  /** The namespace, if this node serves it now. */
  public Optional<Namespace> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  /** Why this node does not serve {@code name} although the registry defines it, or null. */
  public String refusal(String name) {
    Refusal refusal = refusals.get(name);
    return refusal == null ? null : refusal.reason();
  }

  /** Every namespace the registry defines but this node does not serve, with the reason. */
  public Map<String, String> refusals() {
    Map<String, String> out = new java.util.TreeMap<>();
    refusals.forEach((name, refusal) -> out.put(name, refusal.reason()));
    return out;
  }

  /** Why a namespace is not served, for the registry revision that was judged. */
  private record Refusal(long revision, String reason) {}

  /** The namespaces served, those of the configuration file first in its order, then by name. */
  public Collection<Namespace> namespaces() {
    List<String> order = new ArrayList<>(config.namespaces().keySet());
    return namespaces.values().stream()
        .sorted(
            java.util.Comparator.comparingInt(
                    (Namespace ns) -> {
                      int index = order.indexOf(ns.name());
                      return index < 0 ? Integer.MAX_VALUE : index;
                    })
                .thenComparing(Namespace::name))
        .toList();
  }

  public String owner() {
    return owner;
  }

  public State state() {
    return state;
  }

  /** The registry of the coordinator. */
  public Registry registry() {
    return registry;
  }

  public ServerConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public String coordinatorDescription() {
    return coordinator == null ? "not connected" : coordinator.description();
  }

  /** The lease held now, or null (no snowflake namespace, not held, or drained). */
  public WorkerLease lease() {
    LeaseManager manager = leases;
    return manager == null || state != State.LIVE ? null : manager.current();
  }

  /** The lease manager's last measured clock skew (DESIGN.md rule 8), or null without one. */
  public Long clockSkewMillis() {
    LeaseManager manager = leases;
    return manager == null ? null : manager.clockSkewMillis();
  }

  /** Remaining local validity of the lease, or zero when none is held. */
  public Duration leaseRemaining() {
    WorkerLease lease = lease();
    if (lease == null) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, lease.validUntilNanos() - clock.monotonicNanos()));
  }

  /**
   * Null when every namespace could issue now; otherwise the first reason one cannot (the node is
   * then not ready).
   */
  public IdUnavailableException unavailableReason() {
    if (state != State.LIVE) {
      return new LeaseNotHeldException(
          "this node is " + state.name().toLowerCase(java.util.Locale.ROOT) + " (drain requested)",
          Duration.ofSeconds(60));
    }
    if (leases != null && lease() == null) {
      return new LeaseNotHeldException(
          "no worker lease is held; waiting to claim one", Duration.ofSeconds(1));
    }
    for (Namespace ns : namespaces.values()) {
      IdUnavailableException reason = ns.probe();
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  /**
   * Why {@code definition} cannot join the namespaces of {@code entries}: a pattern namespace's
   * period counters would meet another namespace ({@link NamespaceDefinition#collision}). Null when
   * it can. Entries that cannot be read are judged by name, as pattern namespaces if they say so.
   */
  public static String collision(NamespaceDefinition definition, List<NamespaceEntry> entries) {
    for (NamespaceEntry entry : entries) {
      if (entry.name().equals(definition.name())) {
        continue;
      }
      NamespaceDefinition other;
      try {
        other = Definition.read(entry.name(), entry.definition());
      } catch (InvalidConfigurationException e) {
        continue; // unreadable: refused to serve elsewhere, and fixed by its own update
      }
      String collision = NamespaceDefinition.collision(definition, other);
      if (collision != null) {
        return collision;
      }
    }
    return null;
  }

  /** The node's estimate of the coordinator's clock, or null before a pattern namespace runs. */
  CoordinatorClock coordinatorClock() {
    return coordinatorClock;
  }

  /** The earliest date at which a snowflake or uuid7 namespace's timestamp bits run out, if any. */
  public Optional<Instant> earliestExhaustion() {
    return namespaces.values().stream()
        .filter(ns -> ns.strategy().leased())
        .map(ns -> ns.config().layout().exhaustedAt())
        .min(Instant::compareTo);
  }

  /**
   * Records in the registry, before the first ID of {@code ns} leaves this node, that the namespace
   * issued IDs; from then on the registry refuses changes that could repeat them. Blocks on the
   * coordinator once per namespace; later calls return at once.
   *
   * @throws dev.idmint.core.CoordinatorException if the registry cannot record it (then no ID may
   *     be issued)
   */
  public void recordIssue(Namespace ns) {
    Namespace.IssueState issue = ns.issueState();
    if (issue.recorded) {
      return;
    }
    synchronized (issue) {
      if (issue.recorded) {
        return;
      }
      NamespaceEntry entry = registry.markIssued(ns.name());
      // An unsafe change may have landed between this node's last poll and the mark: then the
      // definition now marked is not the one this generator runs, and nothing may be issued
      // with it. The next poll applies the registry's definition.
      List<NamespaceDefinition.Difference> changed =
          ns.config().definition().unsafeChangesTo(Definition.read(ns.name(), entry.definition()));
      if (!changed.isEmpty()) {
        ScheduledExecutorService thread = registryThread;
        if (thread != null) {
          thread.execute(this::refreshQuietly);
        }
        throw new DefinitionChangedException(
            "namespace "
                + ns.name()
                + " changed in the registry (revision "
                + entry.revision()
                + "): "
                + changed.stream()
                    .map(d -> d.field() + " " + d.from() + " is now " + d.to())
                    .collect(Collectors.joining(", "))
                + "; this node applies it within a moment, retry");
      }
      issue.recorded = true;
    }
  }

  /** The registry changed a namespace's definition under a request; retrying is safe. */
  public static final class DefinitionChangedException extends RuntimeException {
    DefinitionChangedException(String message) {
      super(message, null, false, false);
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "registry refresh failed: " + e.getMessage());
    }
  }

  /** Stops issuing, releases the worker; the registry shows DRAINING, then DRAINED. */
  public void drain() {
    synchronized (lock) {
      if (state != State.LIVE || closed) {
        return;
      }
      state = State.DRAINING;
      LOG.log(Level.WARNING, "drain requested: this node stops issuing and releases its worker");
      heartbeatQuietly();
      namespaces.values().forEach(ns -> ns.lifecycle().close());
      LeaseManager manager = leases;
      if (manager != null) {
        manager.close();
      }
      CoordinatorClock time = coordinatorClock;
      if (time != null) {
        time.close();
      }
      state = State.DRAINED;
    }
    heartbeatQuietly();
  }

  /** Deregisters, stops the generators, releases the worker and closes the coordinator. */
  @Override
  public void close() {
    ScheduledExecutorService thread;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      thread = registryThread;
    }
    // The registry thread may be inside refresh(), waiting for the lock: stop it outside the lock.
    BackgroundThread.stop(thread);
    synchronized (lock) {
      closeLocked();
    }
  }

  private void closeLocked() {
    Registry registry = this.registry;
    if (registry != null && address != null) {
      try {
        registry.deregister(owner);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not deregister from the registry: " + e.getMessage());
      }
    }
    namespaces.values().forEach(ns -> ns.lifecycle().close());
    CoordinatorClock time = coordinatorClock;
    if (time != null) {
      time.close();
    }
    LeaseManager manager = leases;
    if (manager != null) {
      manager.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }

  /** This node's heartbeat record: what the node list shows about it. */
  public String info() {
    return HeartbeatRecord.of(
        address,
        version(),
        coordinatorDescription(),
        lease(),
        clockSkewMillis(),
        clock,
        startedAt,
        state,
        namespaces.values());
  }

  /** The version of this build, or {@code development build}. */
  public static String version() {
    String version = Node.class.getPackage().getImplementationVersion();
    return version == null ? "development build" : version;
  }

  private void poll() {
    try {
      boolean drainRequested = registry.heartbeat(owner, info(), config.leaseTtl());
      if (drainRequested && state == State.LIVE) {
        drain();
      }
      if (state == State.LIVE) {
        refresh();
      }
      if (lastRegistryFailure != null) {
        LOG.log(Level.INFO, "registry reachable again");
        lastRegistryFailure = null;
      }
    } catch (RuntimeException e) {
      if (lastRegistryFailure == null) {
        LOG.log(Level.WARNING, "registry poll failed (keeps serving, retries): " + e.getMessage());
      }
      lastRegistryFailure = e;
    }
  }

  private void heartbeatQuietly() {
    if (address == null) {
      return;
    }
    try {
      registry.heartbeat(owner, info(), config.leaseTtl());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "heartbeat failed: " + e.getMessage());
    }
  }

  /** Applies the registry's current definitions: new namespaces, changes, removals. */
  void refresh() {
    synchronized (lock) {
      if (closed || state != State.LIVE) {
        return;
      }
      List<NamespaceEntry> entries = registry.namespaces();
      Set<String> seen = new HashSet<>();
      for (NamespaceEntry entry : entries) {
        seen.add(entry.name());
        Namespace current = namespaces.get(entry.name());
        if (current != null && current.revision() == entry.revision()) {
          continue;
        }
        Refusal refused = refusals.get(entry.name());
        if (current == null && refused != null && refused.revision() == entry.revision()) {
          continue;
        }
        try {
          carryOut(entry, decide(entry));
        } catch (RuntimeException e) {
          refuse(entry, "namespace " + entry.name() + ": " + e.getMessage());
        }
      }
      for (String name : new ArrayList<>(namespaces.keySet())) {
        if (!seen.contains(name)) {
          refuse(
              name,
              0,
              "namespace " + name + " is no longer in the registry; this node does not serve it");
        }
      }
    }
  }

  /** What to do with {@code entry}, judged by {@link Reconciliation}. */
  private Reconciliation.Action decide(NamespaceEntry entry) {
    Namespace current = namespaces.get(entry.name());
    LeaseManager manager = leases;
    return Reconciliation.decide(
        config.namespaces().get(entry.name()),
        entry,
        current == null ? null : current.config(),
        new Reconciliation.Limits(
            NamespaceConfig.borrowRoom(config.horizonAhead(), config.renewInterval()),
            manager == null ? -1 : manager.config().maxWorker()),
        clock);
  }

  /** Carries out {@code action} for {@code entry}: starts, retunes, replaces or refuses. */
  private void carryOut(NamespaceEntry entry, Reconciliation.Action action) {
    String name = entry.name();
    if (action instanceof Reconciliation.Refuse refuse) {
      refuse(entry, refuse.reason());
      return;
    }
    Namespace.IssueState issue = issueStates.computeIfAbsent(name, n -> new Namespace.IssueState());
    if (entry.issued()) {
      issue.recorded = true;
    }
    Namespace current = namespaces.get(name);
    Namespace next;
    if (action instanceof Reconciliation.Retune retune) {
      current.lifecycle().retune(retune.config());
      next = new Namespace(retune.config(), current.lifecycle(), entry.revision(), issue);
    } else {
      // Serve, or Replace: an unsafe change is accepted by the registry only while the namespace
      // never issued, and every node records the first issue before it issues, so the old
      // generator issued nothing; a segment's new generator takes fresh ranges of one counter.
      NamespaceConfig planned =
          action instanceof Reconciliation.Replace replace
              ? replace.config()
              : ((Reconciliation.Serve) action).config();
      next = new Namespace(planned, newGenerator(planned), entry.revision(), issue);
      if (current != null) {
        current.lifecycle().close();
      }
    }
    namespaces.put(name, next);
    if (refusals.remove(name) != null) {
      LOG.log(Level.INFO, "namespace {0}: now served (revision {1})", name, entry.revision());
    } else if (current != null) {
      LOG.log(
          Level.INFO,
          "namespace {0}: applied revision {1} of the registry",
          name,
          entry.revision());
    }
  }

  private NamespaceGenerator newGenerator(NamespaceConfig ns) {
    NamespaceGenerator generator;
    if (ns.strategy().leased() && leases == null) {
      startLeases(ns.layout().maxWorker());
    }
    switch (ns.strategy()) {
      case SNOWFLAKE ->
          generator = NamespaceGenerator.snowflake(snowflakes.create(ns, leases, clock));
      case UUID7 -> generator = NamespaceGenerator.uuid7(ns, leases, clock);
      case PATTERN ->
          generator =
              NamespaceGenerator.pattern(
                  ns, coordinator.segments(), startCoordinatorClock(), clock);
      default -> generator = NamespaceGenerator.segment(ns, coordinator.segments(), clock);
    }
    generator.start();
    return generator;
  }

  /**
   * The node's estimate of the coordinator's clock (see {@link CoordinatorClock}), started with the
   * first pattern namespace: measured every second, refused once its last reading is older than the
   * lease time, drift allowed at the lease's rate.
   */
  private CoordinatorClock startCoordinatorClock() {
    CoordinatorClock time = coordinatorClock;
    if (time == null) {
      time =
          new CoordinatorClock(
              coordinator.workerLeases(),
              clock,
              Duration.ofSeconds(1),
              Duration.ofMillis(250),
              config.leaseTtl(),
              config.leaseConfig(owner, 0).clockDriftRate());
      time.start();
      coordinatorClock = time;
    }
    return time;
  }

  private void startLeases(int maxWorker) {
    LeaseManager manager =
        new LeaseManager(coordinator.workerLeases(), config.leaseConfig(owner, maxWorker), clock);
    manager.start();
    leases = manager;
  }

  private void stop(String name) {
    Namespace removed = namespaces.remove(name);
    if (removed != null) {
      removed.lifecycle().close();
    }
  }

  private void refuse(NamespaceEntry entry, String reason) {
    refuse(entry.name(), entry.revision(), reason);
  }

  private void refuse(String name, long revision, String reason) {
    stop(name);
    Refusal previous = refusals.put(name, new Refusal(revision, reason));
    if (previous == null || !previous.reason().equals(reason)) {
      LOG.log(Level.WARNING, reason);
    }
  }

  private static String ownerName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
    return host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8);
  }
}
