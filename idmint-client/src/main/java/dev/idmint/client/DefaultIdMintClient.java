package dev.idmint.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The client: namespaces map to their prefetch buffers; everything remote goes through {@link
 * RemoteCall}.
 *
 * <p>Design notes. {@link #nextId(String)} is the hot path: a null check, the namespace's state
 * ({@link #hot} when the name is that object, else one {@code ConcurrentHashMap.get}) and {@link
 * PrefetchBuffer#take()} (plain reads and writes of the caller's lane). Everything else (first use
 * of a namespace, an empty buffer, prefetch off, errors) goes to the slow path, which is written
 * once, asynchronously; the blocking methods wait on it with a timed {@code get}. A waiting call
 * always ends by its deadline: a buffer waiter has its own timer, a {@link RemoteCall} never
 * outlives its deadline, and {@link #close()} fails whatever is still pending.
 */
final class DefaultIdMintClient implements IdMintClient {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long WAIT_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ClientConfig config;
  private final Ticker ticker;
  private final ClientThreads threads;
  private final Endpoints endpoints;
  private final Remote remote;
  private final ConcurrentHashMap<String, NamespaceState> namespaces = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * The first namespace this client served, found on the hot path by identity of the name without
   * the map lookup (callers mostly pass the same constant). A plain field: it is written rarely,
   * and a reader that sees a stale value reads only its {@code final} fields; a state removed from
   * the map is unset here too, and one closed meanwhile hands out nothing.
   */
  private NamespaceState hot = NamespaceState.NONE;

  /** The buffers of one namespace; {@code raw} is null when prefetch is off for it. */
  private static final class NamespaceState {
    /** Stands for "no namespace": no caller's name is the same object as its null name. */
    static final NamespaceState NONE = new NamespaceState(null, false, null);

    final String name;
    final PrefetchBuffer raw;
    private final boolean prefetch;
    private volatile PrefetchBuffer publicIds;

    /**
     * The kind the namespace's answers carry, learnt when a call of another kind was refused; null
     * until then. Kept for the client's life: a namespace's strategy cannot change once it has
     * issued (the registry refuses that change), and an answer of any kind means it has issued.
     */
    private volatile Learnt learnt;

    /** One immutable value, so a reader never sees a kind with another answer's endpoint. */
    private record Learnt(Kind answered, String endpoint) {}

    NamespaceState(String name, boolean prefetch, Remote remote) {
      this.name = name;
      this.prefetch = prefetch;
      this.raw = prefetch ? new PrefetchBuffer(name, false, remote) : null;
    }

    PrefetchBuffer publicIds(Remote remote) {
      PrefetchBuffer b = publicIds;
      if (b != null || !prefetch) {
        return b;
      }
      synchronized (this) {
        if (publicIds == null) {
          publicIds = new PrefetchBuffer(name, true, remote);
        }
        return publicIds;
      }
    }

    /** Remembers that the namespace answers in kind {@code answered}; see {@link #refuses}. */
    void rememberMismatch(Kind answered, String endpoint) {
      learnt = new Learnt(answered, endpoint);
    }

    /**
     * The mismatch a call of kind {@code want} would run into again, or null: such calls fail fast
     * without asking a node, so a misconfigured caller spends no batch of IDs per call (which for a
     * pattern namespace would eat the period's sequence).
     */
    IdMintStrategyMismatchException refuses(Kind want) {
      Learnt l = learnt;
      return l == null || want.servedBy(l.answered())
          ? null
          : new IdMintStrategyMismatchException(name, l.answered(), want, l.endpoint());
    }

    void close() {
      if (raw != null) {
        raw.close();
      }
      PrefetchBuffer b;
      synchronized (this) {
        b = publicIds;
      }
      if (b != null) {
        b.close();
      }
    }
  }

  DefaultIdMintClient(ClientConfig config) {
    this(config, Ticker.SYSTEM);
  }

  DefaultIdMintClient(ClientConfig config, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
    this.threads = new ClientThreads(config);
    List<Endpoint> list = new ArrayList<>();
    for (ClientConfig.HostAndPort address : config.endpoints()) {
      list.add(new Endpoint(address, config, ticker, this::newChannel));
    }
    this.endpoints = new Endpoints(list);
    this.remote = new Remote(config, endpoints, ticker, threads);
    threads.healthTask(this::probeAll);
  }

  /** Called on an endpoint's first use; gRPC connects on the first call, not here. */
  private ManagedChannel newChannel(ClientConfig.HostAndPort address) {
    NettyChannelBuilder builder =
        config.tlsEnabled()
            ? NettyChannelBuilder.forAddress(
                address.host(), address.port(), config.tls().channelCredentials())
            : NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext();
    // An ID is at most 10 bytes on the wire, a public ID some 20-40; leave room for both.
    long maxMessage = Math.max(4L << 20, (long) config.maxBatchSize() * 64 + (64 << 10));
    builder
        .executor(threads.io())
        .offloadExecutor(threads.blocking())
        .userAgent("idmint-client")
        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, maxMessage));
    if (config.token() != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + config.token());
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return builder.build();
  }

  // ---- raw IDs

  @Override
  public long nextId(String namespace) {
    if (namespace == null) {
      throw new NullPointerException("namespace");
    }
    NamespaceState s = hot;
    if (s.name != namespace) {
      s = namespaces.get(namespace);
    }
    if (s != null) {
      PrefetchBuffer b = s.raw;
      if (b != null) {
        long id = b.take();
        if (id != 0) {
          return id;
        }
      }
    }
    long deadline = deadline();
    return await(nextIdAsync(state(namespace), deadline), deadline);
  }

  @Override
  public CompletableFuture<Long> nextIdAsync(String namespace) {
    NamespaceState s = state(namespace);
    return nextIdAsync(s, deadline());
  }

  private CompletableFuture<Long> nextIdAsync(NamespaceState s, long deadline) {
    CompletableFuture<Long> refused = refused(s, Kind.RAW);
    if (refused != null) {
      return refused;
    }
    PrefetchBuffer b = s.raw;
    if (b == null) {
      return forget(s, direct(s.name, 1, deadline, Kind.RAW).thenApply(batch -> batch.ids()[0]));
    }
    long id = b.takeOrSwap();
    if (id != 0) {
      return CompletableFuture.completedFuture(id);
    }
    return forget(
        s,
        fromBuffer(
            b,
            () -> {
              long taken = b.takeOrSwap();
              return taken == 0 ? null : taken;
            },
            deadline));
  }

  @Override
  public long[] nextIds(String namespace, int count) {
    NamespaceState s = state(namespace);
    Namespaces.checkCount(count);
    long deadline = deadline();
    return await(nextIdsAsync(s, count, deadline), deadline);
  }

  @Override
  public CompletableFuture<long[]> nextIdsAsync(String namespace, int count) {
    NamespaceState s = state(namespace);
    Namespaces.checkCount(count);
    return nextIdsAsync(s, count, deadline());
  }

  private CompletableFuture<long[]> nextIdsAsync(NamespaceState s, int count, long deadline) {
    CompletableFuture<long[]> refused = refused(s, Kind.RAW);
    if (refused != null) {
      return refused;
    }
    long[] out = new long[count];
    int filled = 0;
    PrefetchBuffer b = s.raw;
    if (b != null) {
      filled = b.takeInto(out, 0, count);
      if (filled == count) {
        return CompletableFuture.completedFuture(out);
      }
      b.requestRefill();
    }
    return forget(s, fetchInto(s.name, out, filled, deadline));
  }

  /** Fills {@code out} from {@code filled} on with batches straight from the nodes. */
  private CompletableFuture<long[]> fetchInto(
      String namespace, long[] out, int filled, long deadline) {
    int count = Math.min(config.maxBatchSize(), out.length - filled);
    return direct(namespace, count, deadline, Kind.RAW)
        .thenCompose(
            batch -> {
              long[] ids = batch.ids();
              System.arraycopy(ids, 0, out, filled, ids.length);
              int now = filled + ids.length;
              return now == out.length
                  ? CompletableFuture.completedFuture(out)
                  : fetchInto(namespace, out, now, deadline);
            });
  }

  // ---- public IDs

  @Override
  public String nextPublicId(String namespace) {
    NamespaceState s = state(namespace);
    long deadline = deadline();
    return await(nextPublicIdAsync(s, deadline), deadline);
  }

  @Override
  public CompletableFuture<String> nextPublicIdAsync(String namespace) {
    return nextPublicIdAsync(state(namespace), deadline());
  }

  private CompletableFuture<String> nextPublicIdAsync(NamespaceState s, long deadline) {
    CompletableFuture<String> refused = refused(s, Kind.PUBLIC);
    if (refused != null) {
      return refused;
    }
    PrefetchBuffer b = s.publicIds(remote);
    if (b == null) {
      return forget(
          s, direct(s.name, 1, deadline, Kind.PUBLIC).thenApply(batch -> batch.publicIds()[0]));
    }
    String id = b.takePublicOrSwap();
    if (id != null) {
      return CompletableFuture.completedFuture(id);
    }
    return forget(s, fromBuffer(b, b::takePublicOrSwap, deadline));
  }

  // ---- UUIDs and business numbers: never buffered (see IdMintClient#nextUuid, #nextNumber)

  @Override
  public UUID nextUuid(String namespace) {
    NamespaceState s = state(namespace);
    long deadline = deadline();
    return await(this.<UUID>texts(s, 1, deadline, Kind.UUID), deadline).get(0);
  }

  @Override
  public List<UUID> nextUuids(String namespace, int count) {
    NamespaceState s = state(namespace);
    Namespaces.checkCount(count);
    long deadline = deadline();
    return await(texts(s, count, deadline, Kind.UUID), deadline);
  }

  @Override
  public CompletableFuture<UUID> nextUuidAsync(String namespace) {
    return this.<UUID>texts(state(namespace), 1, deadline(), Kind.UUID)
        .thenApply(list -> list.get(0));
  }

  @Override
  public String nextNumber(String namespace) {
    NamespaceState s = state(namespace);
    long deadline = deadline();
    return await(this.<String>texts(s, 1, deadline, Kind.NUMBER), deadline).get(0);
  }

  @Override
  public List<String> nextNumbers(String namespace, int count) {
    NamespaceState s = state(namespace);
    Namespaces.checkCount(count);
    long deadline = deadline();
    return await(texts(s, count, deadline, Kind.NUMBER), deadline);
  }

  @Override
  public CompletableFuture<String> nextNumberAsync(String namespace) {
    return this.<String>texts(state(namespace), 1, deadline(), Kind.NUMBER)
        .thenApply(list -> list.get(0));
  }

  /**
   * {@code count} UUIDs ({@code want} UUID) or numbers (NUMBER) straight from the nodes, in batches
   * of at most {@code maxBatchSize}, in the order the nodes issued them.
   */
  private <T> CompletableFuture<List<T>> texts(
      NamespaceState s, int count, long deadline, Kind want) {
    CompletableFuture<List<T>> refused = refused(s, want);
    if (refused != null) {
      return refused;
    }
    Object[] out = new Object[count];
    return forget(s, this.<T>textsInto(s.name, out, 0, deadline, want));
  }

  private <T> CompletableFuture<List<T>> textsInto(
      String namespace, Object[] out, int filled, long deadline, Kind want) {
    int count = Math.min(config.maxBatchSize(), out.length - filled);
    return direct(namespace, count, deadline, want)
        .thenCompose(
            batch -> {
              String[] texts = batch.texts();
              for (int i = 0; i < texts.length; i++) {
                // Checked canonical by RemoteCall, so fromString reads it exactly.
                out[filled + i] = want == Kind.UUID ? UUID.fromString(texts[i]) : texts[i];
              }
              int now = filled + texts.length;
              if (now < out.length) {
                return textsInto(namespace, out, now, deadline, want);
              }
              @SuppressWarnings("unchecked")
              List<T> list = (List<T>) List.of(out);
              return CompletableFuture.completedFuture(list);
            });
  }

  // ---- the slow path

  private CompletableFuture<RemoteCall.Batch> direct(
      String namespace, int count, long deadline, Kind want) {
    return remote.call(namespace, count, deadline, want).result();
  }

  /**
   * Takes from {@code buffer}, waiting for refills while it is empty, until {@code deadline}. A
   * failed refill is not the end while time is left: the next round starts another one.
   */
  private <T> CompletableFuture<T> fromBuffer(
      PrefetchBuffer buffer, Supplier<T> take, long deadline) {
    CompletableFuture<T> result = remote.track(new CompletableFuture<>());
    remote.failAfter(result, deadline - ticker.nanos(), () -> buffer.timedOut(config.deadline()));
    waitFor(buffer, take, deadline, result);
    return result;
  }

  private <T> void waitFor(
      PrefetchBuffer buffer, Supplier<T> take, long deadline, CompletableFuture<T> result) {
    for (; ; ) {
      if (result.isDone()) {
        return;
      }
      T value = take.get();
      if (value != null) {
        // If the deadline won the race, this one ID is dropped: a gap, never a duplicate.
        result.complete(value);
        return;
      }
      CompletableFuture<Void> arrived = buffer.awaitChunk();
      if (arrived.isDone() && !arrived.isCompletedExceptionally()) {
        continue;
      }
      arrived.whenComplete(
          (v, error) -> {
            if (error == null) {
              waitFor(buffer, take, deadline, result);
              return;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof IdMintUnavailableException && ticker.nanos() - deadline < 0) {
              waitFor(buffer, take, deadline, result);
            } else {
              result.completeExceptionally(cause);
            }
          });
      return;
    }
  }

  /**
   * A namespace the server does not know is not kept (its buffers would stay empty anyway); a
   * strategy mismatch is remembered ({@link NamespaceState#rememberMismatch}).
   */
  private <T> CompletableFuture<T> forget(NamespaceState s, CompletableFuture<T> future) {
    // The caller gets the dependent stage, which completes only after this ran: a caller that saw
    // the mismatch and calls again is refused without asking a node.
    return future.whenComplete(
        (v, error) -> {
          if (error == null) {
            return;
          }
          Throwable cause = unwrap(error);
          if (cause instanceof IdMintNamespaceNotFoundException) {
            if (namespaces.remove(s.name, s)) {
              forgetHot(s);
              s.close();
            }
          } else if (cause instanceof IdMintStrategyMismatchException m) {
            s.rememberMismatch(answeredKind(m), m.endpoint());
          }
        });
  }

  private void forgetHot(NamespaceState s) {
    synchronized (namespaces) {
      if (hot == s) {
        hot = NamespaceState.NONE;
      }
    }
  }

  private static Kind answeredKind(IdMintStrategyMismatchException m) {
    for (Kind k : new Kind[] {Kind.RAW, Kind.UUID, Kind.NUMBER}) {
      if (k.strategy.equals(m.strategy())) {
        return k;
      }
    }
    throw new IllegalStateException("no kind for strategy " + m.strategy());
  }

  /** A failed future if {@code s} is remembered to answer in another kind than {@code want}. */
  private <T> CompletableFuture<T> refused(NamespaceState s, Kind want) {
    IdMintStrategyMismatchException e = s.refuses(want);
    return e == null ? null : CompletableFuture.failedFuture(e);
  }

  private NamespaceState state(String namespace) {
    if (namespace == null) {
      throw new NullPointerException("namespace");
    }
    NamespaceState s = namespaces.get(namespace);
    if (s == null) {
      Namespaces.check(namespace);
      s =
          namespaces.computeIfAbsent(
              namespace, n -> new NamespaceState(n, config.prefetch(n), remote));
      synchronized (namespaces) {
        if (hot == NamespaceState.NONE && namespaces.get(namespace) == s) {
          hot = s;
        }
      }
    }
    if (closed.get()) {
      throw Remote.closedException();
    }
    return s;
  }

  private long deadline() {
    return ticker.nanos() + config.deadline().toNanos();
  }

  private <T> T await(CompletableFuture<T> future, long deadline) {
    try {
      return future.get(
          Math.max(0, deadline - ticker.nanos()) + WAIT_SLACK_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (TimeoutException e) {
      // Not expected: every pending future ends by its deadline. Kept as a safety net.
      future.cancel(false);
      throw new IdMintException("no answer within the deadline of " + config.deadline(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdMintException("interrupted while waiting for IDs", e);
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IdMintException(String.valueOf(cause), cause);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  // ---- the rest

  @Override
  public long bufferedIds(String namespace) {
    if (namespace == null) {
      throw new NullPointerException("namespace");
    }
    NamespaceState s = namespaces.get(namespace);
    return s == null || s.raw == null ? 0 : s.raw.bufferedIds();
  }

  /** The target size of the raw buffer, for tests. */
  long bufferTarget(String namespace) {
    NamespaceState s = namespaces.get(namespace);
    return s == null || s.raw == null ? 0 : s.raw.target();
  }

  @Override
  public List<EndpointHealth> endpoints() {
    return endpoints.health();
  }

  /** One round of health probes; runs on the health thread. */
  private void probeAll() {
    int timeoutMillis = (int) Math.max(100, Math.min(1_000, config.attemptTimeout().toMillis()));
    for (Endpoint endpoint : endpoints.all()) {
      if (closed.get()) {
        return;
      }
      if (!endpoint.probeDue(ticker.nanos())) {
        continue;
      }
      HealthProbe.Result result = HealthProbe.probe(endpoint.address, config.tls(), timeoutMillis);
      endpoint.onProbe(result);
      if (result.outcome() == HealthProbe.Outcome.READY) {
        endpoint.skipReconnectBackoff();
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    remote.markClosed();
    for (NamespaceState s : namespaces.values()) {
      s.close();
    }
    remote.failPending();
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
    List<ManagedChannel> channels = new ArrayList<>();
    for (Endpoint endpoint : endpoints.all()) {
      ManagedChannel channel = endpoint.shutdownNow();
      if (channel != null) {
        channels.add(channel);
      }
    }
    for (ManagedChannel channel : channels) {
      Endpoint.await(channel, deadline);
    }
    threads.shutdown(deadline);
  }

  @Override
  public String toString() {
    return "IdMintClient[" + threads.prefix() + ", " + config + "]";
  }
}
