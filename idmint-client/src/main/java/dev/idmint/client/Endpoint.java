package dev.idmint.client;

import dev.idmint.api.v1.IdServiceGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One node as the client sees it: a lazily created channel and a circuit breaker.
 *
 * <p>Breaker states. {@code CLOSED}: in use; {@code failureThreshold} consecutive failures (calls
 * or probes) open it. {@code OPEN}: set aside for a back-off that starts at {@code setAside} and
 * doubles on every further trip up to {@code setAsideMax}; when the back-off is over, a passing
 * health probe (or, with probes off, the time alone) makes it {@code HALF_OPEN}. {@code HALF_OPEN}:
 * exactly one call at a time may try it; success closes the breaker, failure opens it again for a
 * longer back-off; with no call to try it, the next passing probe closes it. An open endpoint is
 * still tried as a last resort when nothing else served, and a success there closes it at once.
 *
 * <p>Independently of the breaker, an endpoint is "not ready" when its last probe answered 503 or
 * it answered {@code UNAVAILABLE} with {@code retry-after} (until that time): it is then ranked
 * behind ready endpoints, not excluded.
 */
final class Endpoint {
  enum Mode {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** How {@link Endpoints#pick} ranks an endpoint; lower goes first. */
  static final int RANK_TRIAL = 0;

  static final int RANK_READY = 1;
  static final int RANK_NOT_READY = 2;
  static final int RANK_LAST_RESORT = 3;

  final ClientConfig.HostAndPort address;
  final String name;
  private final ClientConfig config;
  private final Ticker ticker;
  private final Function<ClientConfig.HostAndPort, ManagedChannel> channels;

  // Written under this; read without it on the call path.
  private volatile ManagedChannel channel;
  private volatile IdServiceGrpc.IdServiceStub stub;
  private boolean shutDown;

  // Guarded by this.
  private Mode mode = Mode.CLOSED;
  private int consecutiveFailures;
  private int trips;
  private long openUntilNanos;
  private boolean trialInFlight;
  private boolean probeSaysReady = true;
  private long notBeforeNanos;
  private boolean notBeforeSet;
  private String lastFailure;

  Endpoint(
      ClientConfig.HostAndPort address,
      ClientConfig config,
      Ticker ticker,
      Function<ClientConfig.HostAndPort, ManagedChannel> channels) {
    this.address = address;
    this.name = address.toString();
    this.config = config;
    this.ticker = ticker;
    this.channels = channels;
  }

  /** The stub, creating the channel on first use; null once shut down. */
  IdServiceGrpc.IdServiceStub stub() {
    IdServiceGrpc.IdServiceStub s = stub;
    if (s != null) {
      return s;
    }
    synchronized (this) {
      if (shutDown) {
        return null;
      }
      if (stub == null) {
        channel = channels.apply(address);
        stub = IdServiceGrpc.newStub(channel);
      }
      return stub;
    }
  }

  /**
   * gRPC backs off reconnecting for up to two minutes; the breaker paces this endpoint instead, so
   * a restarted node is used as soon as a probe or a last-resort call finds it.
   */
  void skipReconnectBackoff() {
    ManagedChannel c = channel;
    if (c != null && c.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      c.resetConnectBackoff();
    }
  }

  /**
   * This endpoint's rank for a new attempt; {@code RANK_TRIAL} also reserves the one trial call of
   * a half-open breaker, which the caller must then make.
   */
  synchronized int rankAndReserve(long now) {
    if (mode == Mode.OPEN && !config.healthChecks() && now - openUntilNanos >= 0) {
      mode = Mode.HALF_OPEN;
      trialInFlight = false;
    }
    switch (mode) {
      case HALF_OPEN:
        if (!trialInFlight) {
          trialInFlight = true;
          return RANK_TRIAL;
        }
        return RANK_LAST_RESORT;
      case OPEN:
        return RANK_LAST_RESORT;
      default:
        boolean waiting = notBeforeSet && now - notBeforeNanos < 0;
        return probeSaysReady && !waiting ? RANK_READY : RANK_NOT_READY;
    }
  }

  /** The node answered (with IDs, or with an error that is the request's fault, not the node's). */
  synchronized void onAnswer() {
    mode = Mode.CLOSED;
    consecutiveFailures = 0;
    trips = 0;
    trialInFlight = false;
    notBeforeSet = false;
  }

  /**
   * An attempt failed.
   *
   * @param counts whether the failure says something about the node (a rate limit or a deadline cut
   *     short by the call's own deadline does not)
   * @param retryAfterNanos how long the node asked to be left alone, or {@code -1}
   */
  synchronized void onFailure(String reason, boolean counts, long retryAfterNanos) {
    long now = ticker.nanos();
    lastFailure = reason;
    if (retryAfterNanos >= 0) {
      notBeforeNanos = now + Math.min(retryAfterNanos, config.setAsideMax().toNanos());
      notBeforeSet = true;
    }
    if (mode == Mode.HALF_OPEN) {
      open(now);
      return;
    }
    if (counts) {
      consecutiveFailures++;
      if (mode == Mode.CLOSED && consecutiveFailures >= config.failureThreshold()) {
        open(now);
      }
    }
  }

  /** Whether the health checker should probe now: always, except while set aside. */
  synchronized boolean probeDue(long now) {
    return mode != Mode.OPEN || now - openUntilNanos >= 0;
  }

  synchronized void onProbe(HealthProbe.Result result) {
    long now = ticker.nanos();
    switch (result.outcome()) {
      case READY:
      case NO_HEALTH_ENDPOINT:
        probeSaysReady = true;
        if (mode == Mode.OPEN) {
          mode = Mode.HALF_OPEN;
          trialInFlight = false;
        } else if (mode == Mode.HALF_OPEN && !trialInFlight) {
          // Two passing probes and no call to judge by (little traffic): back in use.
          mode = Mode.CLOSED;
          consecutiveFailures = 0;
        }
        break;
      case NOT_READY:
        probeSaysReady = false;
        lastFailure = result.detail();
        if (mode == Mode.OPEN) {
          openUntilNanos = now + backoffNanos();
        }
        break;
      default:
        lastFailure = result.detail();
        if (mode == Mode.OPEN) {
          trips++;
          openUntilNanos = now + backoffNanos();
        } else {
          consecutiveFailures++;
          if (consecutiveFailures >= config.failureThreshold()) {
            open(now);
          }
        }
    }
  }

  private void open(long now) {
    mode = Mode.OPEN;
    trialInFlight = false;
    trips++;
    openUntilNanos = now + backoffNanos();
    retireChannel();
  }

  /**
   * A connection that stopped answering may never say so (no RST, no FIN): the next use of this
   * endpoint gets a new channel. Calls still in flight on the old one finish or time out.
   */
  private void retireChannel() {
    ManagedChannel c = channel;
    if (c != null) {
      channel = null;
      stub = null;
      c.shutdown();
    }
  }

  private long backoffNanos() {
    long initial = config.setAside().toNanos();
    long max = config.setAsideMax().toNanos();
    int doublings = Math.min(Math.max(trips - 1, 0), 30);
    long backoff = initial;
    for (int i = 0; i < doublings && backoff < max; i++) {
      backoff *= 2;
    }
    return Math.min(backoff, max);
  }

  synchronized String describe() {
    return switch (mode) {
      case OPEN -> "set aside after " + consecutiveFailures + " failures, last " + lastFailure;
      case HALF_OPEN -> "probe passed, trial call in flight";
      default -> probeSaysReady ? "available" : "not ready: " + lastFailure;
    };
  }

  synchronized EndpointHealth health() {
    long now = ticker.nanos();
    EndpointHealth.State state =
        switch (mode) {
          case OPEN -> EndpointHealth.State.SET_ASIDE;
          case HALF_OPEN -> EndpointHealth.State.PROBING;
          default ->
              probeSaysReady && !(notBeforeSet && now - notBeforeNanos < 0)
                  ? EndpointHealth.State.AVAILABLE
                  : EndpointHealth.State.NOT_READY;
        };
    return new EndpointHealth(name, state, consecutiveFailures, lastFailure);
  }

  synchronized Mode mode() {
    return mode;
  }

  /** Stops new calls and cancels those in flight; returns the channel to await, or null. */
  ManagedChannel shutdownNow() {
    ManagedChannel c;
    synchronized (this) {
      shutDown = true;
      stub = null;
      c = channel;
    }
    if (c != null) {
      c.shutdownNow();
    }
    return c;
  }

  static void await(ManagedChannel channel, long deadlineNanos) {
    try {
      channel.awaitTermination(
          Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
