package dev.idmint.server.api;

import dev.idmint.core.lease.WorkerLease;
import dev.idmint.server.node.Namespace;
import dev.idmint.server.node.Node;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The node's Prometheus metrics. Counters are looked up once per namespace, not per request. */
public final class Metrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> issued = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Counter clockBackwards;
  private final Node node;

  public Metrics(MeterRegistry registry, Node node) {
    this.registry = registry;
    this.node = node;
    for (Namespace ns : node.namespaces()) {
      register(ns);
    }
    clockBackwards =
        Counter.builder("idmint.clock.backwards")
            .description("requests refused because the wall clock stepped back")
            .register(registry);
    Gauge.builder("idmint.lease.held", node, n -> n.lease() == null ? 0 : 1)
        .description("1 while a worker lease is held")
        .register(registry);
    Gauge.builder("idmint.lease.remaining.seconds", node, n -> n.leaseRemaining().toMillis() / 1e3)
        .description("local validity left on the worker lease")
        .register(registry);
    Gauge.builder(
            "idmint.lease.reserved.horizon.seconds",
            node,
            n -> {
              WorkerLease lease = n.lease();
              return lease == null ? 0 : lease.reservedUntilMillis() / 1e3;
            })
        .description("reserved horizon of the worker, Unix seconds")
        .register(registry);
    Gauge.builder(
            "idmint.clock.skew.seconds",
            node,
            n -> {
              Long skew = n.clockSkewMillis();
              return skew == null ? 0 : skew / 1e3;
            })
        .description(
            "how far the wall clock was ahead of the coordinator's at the last lease claim or"
                + " renewal (negative: behind it or the highest horizon of any worker)")
        .register(registry);
    Gauge.builder("idmint.ready", node, n -> n.unavailableReason() == null ? 1 : 0)
        .description("1 while the node can issue IDs safely")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  void issued(String namespace, int count) {
    Counter counter = issued.get(namespace);
    if (counter == null) {
      // A namespace that appeared in the registry after the start.
      counter = node.namespace(namespace).map(this::register).orElse(null);
    }
    if (counter != null) {
      counter.increment(count);
    }
  }

  /**
   * Meters of one namespace, looked up by name: the registry may replace a namespace's instance
   * while it runs.
   */
  private synchronized Counter register(Namespace ns) {
    Counter existing = issued.get(ns.name());
    if (existing != null) {
      return existing;
    }
    String name = ns.name();
    Counter counter =
        Counter.builder("idmint.ids.issued")
            .description("IDs issued")
            .tag("namespace", name)
            .tag("strategy", ns.strategy().id())
            .register(registry);
    if (ns.segmentRemaining() >= 0) {
      Gauge.builder(
              "idmint.segment.buffer.remaining",
              node,
              n -> n.namespace(name).map(Namespace::segmentRemaining).orElse(-1L))
          .description("IDs left in the current segment buffer")
          .tag("namespace", name)
          .register(registry);
    }
    issued.put(name, counter);
    return counter;
  }

  void rejected(String reason) {
    rejected
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("idmint.requests.rejected")
                    .description("requests refused, by reason")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  void clockBackwards() {
    clockBackwards.increment();
  }

  /**
   * {@code idmint.rest.direct.requests}: the single-ID REST requests answered before Armeria's
   * request machinery ({@code Http1IdRoute}), one counter for the node.
   */
  public Counter directRequests() {
    return Counter.builder("idmint.rest.direct.requests")
        .description(
            "REST mint requests over plaintext HTTP/1.1 answered at the head of the connection")
        .register(registry);
  }

  public void latency(String api, String method, long nanos) {
    latencyTimer(api, method).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The timer of {@code idmint.request.duration} for one API method, registered at the first call:
   * a hot path keeps it instead of looking it up (and building its key) per request.
   */
  public Timer latencyTimer(String api, String method) {
    return latency.computeIfAbsent(
        api + "/" + method,
        k ->
            Timer.builder("idmint.request.duration")
                .description("time to answer a request inside the node")
                .tag("api", api)
                .tag("method", method)
                .publishPercentileHistogram()
                .register(registry));
  }
}
