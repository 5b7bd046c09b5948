package dev.idmint.chaos;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import dev.idmint.client.IdMintClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The callers: threads that take IDs through the Java client (prefetch on, failover across all
 * nodes) and threads that call one node at a time over REST or gRPC, without any retry. Every
 * acknowledged ID goes into the {@link Ledger}.
 */
final class Load implements AutoCloseable {
  static final String[] NAMESPACES = {"flake", "seg"};
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  private final List<NodeProcess> slots;
  private final IdMintClient client;
  private final Ledger ledger;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * @param clientThreads threads using the Java client
   * @param rawThreads threads each for REST and for gRPC
   * @param rawCount IDs per raw call
   * @param pace the least time between two calls of one thread
   */
  Load(
      List<NodeProcess> slots,
      IdMintClient client,
      Ledger ledger,
      long seed,
      int clientThreads,
      int rawThreads,
      int rawCount,
      Duration pace) {
    this.slots = slots;
    this.client = client;
    this.ledger = ledger;
    for (int i = 0; i < clientThreads; i++) {
      Ledger.Book book = ledger.newBook();
      threads.add(new Thread(() -> clientLoop(book, pace), "chaos-load-client-" + i));
    }
    for (int i = 0; i < rawThreads; i++) {
      Random rest = new Random(seed * 31 + i);
      Random grpc = new Random(seed * 37 + i);
      Ledger.Book restBook = ledger.newBook();
      Ledger.Book grpcBook = ledger.newBook();
      threads.add(
          new Thread(() -> restLoop(restBook, rest, rawCount, pace), "chaos-load-rest-" + i));
      threads.add(
          new Thread(() -> grpcLoop(grpcBook, grpc, rawCount, pace), "chaos-load-grpc-" + i));
    }
  }

  Load start() {
    threads.forEach(Thread::start);
    return this;
  }

  Ledger ledger() {
    return ledger;
  }

  private void pace(long startedNanos, Duration pace) {
    long rest = pace.toNanos() - (System.nanoTime() - startedNanos);
    if (rest > 0) {
      LockSupport.parkNanos(rest);
    }
  }

  private void clientLoop(Ledger.Book book, Duration pace) {
    int n = 0;
    while (running) {
      int ns = n++ & 1;
      long sendMillis = System.currentTimeMillis();
      long t0 = System.nanoTime();
      String error = null;
      long[] ids = null;
      try {
        ids = client.nextIds(NAMESPACES[ns], 5);
      } catch (RuntimeException e) {
        error = e.getClass().getSimpleName();
      }
      long latency = (System.nanoTime() - t0) / 1_000;
      long ackMillis = System.currentTimeMillis();
      int first = ids == null ? book.idCount() : book.addIds(ids, ids.length);
      book.calls.add(
          new Ledger.Call(
              Ledger.Via.CLIENT,
              ns,
              -1,
              -1,
              -1,
              sendMillis,
              ackMillis,
              latency,
              error,
              first,
              ids == null ? 0 : ids.length));
      pace(t0, pace);
    }
  }

  private void restLoop(Ledger.Book book, Random random, int count, Duration pace) {
    JsonFactory json = new JsonFactory();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    long[] buffer = new long[count];
    int n = 0;
    while (running) {
      int ns = n++ & 1;
      NodeProcess slot = slots.get(random.nextInt(slots.size()));
      int incarnation = slot.incarnation();
      long sendMillis = System.currentTimeMillis();
      long t0 = System.nanoTime();
      String error = null;
      int got = 0;
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + slot.port
                                + "/v1/namespaces/"
                                + NAMESPACES[ns]
                                + "/ids?count="
                                + count))
                    .timeout(CALL_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          got = parseIds(json, response.body(), buffer);
          if (got != count) {
            error = "HTTP 200 with " + got + " IDs";
          }
        } else {
          error = "HTTP " + response.statusCode();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        error = e.getClass().getSimpleName();
      }
      record(book, Ledger.Via.REST, ns, slot, incarnation, sendMillis, t0, error, buffer, got);
      pace(t0, pace);
    }
  }

  /**
   * Reads the IDs of {@code {"ids":["1","2",…]}} into {@code buffer} with a streaming parser (no
   * tree of a thousand nodes per call); returns how many it read.
   *
   * @throws IOException for a body that is not such an object, or holds more IDs than asked for
   */
  static int parseIds(JsonFactory json, String body, long[] buffer) throws IOException {
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object: " + body);
      }
      int got = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        if (parser.nextToken() == JsonToken.START_ARRAY && "ids".equals(field)) {
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (got == buffer.length) {
              throw new IOException("more IDs than the " + buffer.length + " asked for");
            }
            buffer[got++] = Long.parseLong(parser.getText());
          }
        } else {
          parser.skipChildren();
        }
      }
      return got;
    }
  }

  private void grpcLoop(Ledger.Book book, Random random, int count, Duration pace) {
    Map<Integer, ManagedChannel> channels = new HashMap<>();
    Map<Integer, Integer> channelIncarnation = new HashMap<>();
    long[] buffer = new long[count];
    int n = 0;
    try {
      while (running) {
        int ns = n++ & 1;
        NodeProcess slot = slots.get(random.nextInt(slots.size()));
        int incarnation = slot.incarnation();
        // A new process gets a new channel: the old one may sit in gRPC's reconnect back-off.
        if (!Integer.valueOf(incarnation).equals(channelIncarnation.get(slot.slot))) {
          ManagedChannel old = channels.remove(slot.slot);
          if (old != null) {
            old.shutdownNow();
          }
          channels.put(
              slot.slot,
              ManagedChannelBuilder.forAddress("127.0.0.1", slot.port).usePlaintext().build());
          channelIncarnation.put(slot.slot, incarnation);
        }
        long sendMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String error = null;
        int got = 0;
        try {
          NextIdsResponse response =
              IdServiceGrpc.newBlockingStub(channels.get(slot.slot))
                  .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .nextIds(
                      NextIdsRequest.newBuilder()
                          .setNamespace(NAMESPACES[ns])
                          .setCount(count)
                          .build());
          for (int i = 0; i < response.getIdsCount() && got < count; i++) {
            buffer[got++] = response.getIds(i);
          }
          if (got != count) {
            error = "OK with " + got + " IDs";
          }
        } catch (StatusRuntimeException e) {
          error = e.getStatus().getCode().name();
        } catch (RuntimeException e) {
          error = e.getClass().getSimpleName();
        }
        record(book, Ledger.Via.GRPC, ns, slot, incarnation, sendMillis, t0, error, buffer, got);
        pace(t0, pace);
      }
    } finally {
      channels.values().forEach(ManagedChannel::shutdownNow);
    }
  }

  private static void record(
      Ledger.Book book,
      Ledger.Via via,
      int ns,
      NodeProcess slot,
      int incarnationAtSend,
      long sendMillis,
      long t0,
      String error,
      long[] buffer,
      int got) {
    long latency = (System.nanoTime() - t0) / 1_000;
    long ackMillis = System.currentTimeMillis();
    int first = book.addIds(buffer, got);
    book.calls.add(
        new Ledger.Call(
            via,
            ns,
            slot.slot,
            incarnationAtSend,
            slot.incarnation(),
            sendMillis,
            ackMillis,
            latency,
            error,
            first,
            got));
  }

  @Override
  public void close() {
    running = false;
    for (Thread thread : threads) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
