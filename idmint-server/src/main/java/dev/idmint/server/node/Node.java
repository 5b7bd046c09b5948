package dev.idmint.server.node;

import dev.idmint.core.Clock;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.LeaseNotHeldException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.segment.SegmentGenerator;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.server.config.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The ID engine of one server process: the coordinator, the worker lease and one generator per
 * namespace. Explicit lifecycle: nothing connects before {@link #start()}; {@link #close()}
 * releases the lease. Has no knowledge of HTTP or gRPC.
 */
public final class Node implements AutoCloseable {
  private final ServerConfig config;
  private final Clock clock;
  private final String owner;
  private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  private final List<SegmentGenerator> segmentGenerators = new ArrayList<>();
  private Coordinator coordinator;
  private LeaseManager leases;

  public Node(ServerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.owner = ownerName();
  }

  /**
   * Connects to the coordinator, claims a worker (if any namespace is snowflake) and starts the
   * generators.
   *
   * @throws dev.idmint.core.IdMintException with a readable message if any of it fails
   */
  public synchronized void start() {
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
      int maxWorker =
          config.namespaces().values().stream()
              .filter(ns -> ns.strategy() == Strategy.SNOWFLAKE)
              .mapToInt(ns -> ns.layout().maxWorker())
              .min()
              .orElse(-1);
      if (maxWorker >= 0) {
        leases =
            new LeaseManager(
                coordinator.workerLeases(), config.leaseConfig(owner, maxWorker), clock);
        leases.start();
      }
      for (NamespaceConfig ns : config.namespaces().values()) {
        if (ns.strategy() == Strategy.SNOWFLAKE) {
          SnowflakeGenerator generator =
              SnowflakeGenerator.builder(ns.layout(), leases)
                  .clock(clock)
                  .maxBorrow(ns.maxBorrow())
                  .maxBackward(ns.maxBackward())
                  .randomSequenceStart(ns.randomSequenceStart())
                  .build();
          namespaces.put(ns.name(), new Namespace(ns, generator));
        } else {
          SegmentGenerator generator =
              new SegmentGenerator(ns.name(), coordinator.segments(), ns.segment(), clock);
          generator.start();
          segmentGenerators.add(generator);
          namespaces.put(ns.name(), new Namespace(ns, generator));
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The namespace, if this node serves it. */
  public Optional<Namespace> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  public Collection<Namespace> namespaces() {
    return namespaces.values();
  }

  public String owner() {
    return owner;
  }

  public String coordinatorDescription() {
    return coordinator == null ? "not connected" : coordinator.description();
  }

  /** The lease held now, or null (no snowflake namespace, or not held). */
  public WorkerLease lease() {
    return leases == null ? null : leases.current();
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

  /** The earliest date at which a snowflake namespace's timestamp bits run out, if any. */
  public Optional<Instant> earliestExhaustion() {
    return namespaces.values().stream()
        .filter(ns -> ns.strategy() == Strategy.SNOWFLAKE)
        .map(ns -> ns.config().layout().exhaustedAt())
        .min(Instant::compareTo);
  }

  /** Stops the generators, releases the worker and closes the coordinator. Idempotent. */
  @Override
  public synchronized void close() {
    segmentGenerators.forEach(SegmentGenerator::close);
    segmentGenerators.clear();
    if (leases != null) {
      leases.close();
    }
    if (coordinator != null) {
      coordinator.close();
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
