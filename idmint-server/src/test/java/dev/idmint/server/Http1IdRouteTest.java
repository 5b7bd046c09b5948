package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.IdGenerator;
import dev.idmint.server.node.SnowflakeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-ID REST route answered at the head of the connection ({@code Http1IdRoute}): the same
 * answers as Armeria's route, in request order, handing every other request to Armeria, and the
 * idle timeout it keeps in Armeria's place.
 */
class Http1IdRouteTest {
  static final String ALL = "all-namespaces-token-0123";
  static final String INVOICES = "invoice-only-token-01234";
  static final String LIMITED = "limited-token-0123456789";
  static final String SCRAPER = "scraper-token-0123456789";

  @TempDir static Path dir;
  static TestServer node;

  @BeforeAll
  static void start() {
    String yaml =
        """
        namespaces:
          order: { strategy: snowflake }
          invoice: { strategy: segment }
        auth:
          tokens:
            - token: ${T_ALL}
              namespaces: ["*"]
            - token: ${T_INVOICES}
              namespaces: [invoice]
            - token: ${T_LIMITED}
              namespaces: [order]
              rate-limit: 2
            - token: ${T_SCRAPER}
              scopes: [metrics]
              namespaces: ["*"]
        """;
    node =
        TestServer.start(
            dir.resolve("main"),
            null,
            yaml,
            Map.of(
                "T_ALL", ALL, "T_INVOICES", INVOICES, "T_LIMITED", LIMITED, "T_SCRAPER", SCRAPER));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndTheFirstOtherRequestHandsTheConnectionToArmeria()
      throws Exception {
    double before = direct();
    try (Raw raw = new Raw(node.server.port())) {
      raw.send(
          mint("order", "", ALL)
              + mint("order", "?count=3", ALL)
              + "GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n"
              + mint("order", "?count=2", ALL));
      List<Answer> answers = List.of(raw.read(), raw.read(), raw.read(), raw.read());
      assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 200, 200);
      assertThat(answers.get(0).ids()).hasSize(1);
      assertThat(answers.get(1).ids()).hasSize(3);
      assertThat(answers.get(2).body()).contains("\"live\":true");
      assertThat(answers.get(3).ids()).hasSize(2);
      Set<Long> ids = new HashSet<>();
      answers.stream()
          .filter(a -> a.body().contains("\"ids\""))
          .forEach(a -> a.ids().forEach(ids::add));
      assertThat(ids).hasSize(6);
      assertThat(answers.get(0).headers())
          .containsEntry("content-type", "application/json; charset=utf-8")
          .containsKey("date")
          .doesNotContainKey("server");
    }
    // The two before the health check; the one after it went to Armeria with the connection.
    assertThat(direct() - before).isEqualTo(2);
  }

  @Test
  void everyRefusalIsTheSameAnswerOnBothCarriers() throws Exception {
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("no token", new String[] {"order", "", null});
    cases.put("wrong token", new String[] {"order", "", "not-a-token-at-all-000000"});
    cases.put("count 0", new String[] {"order", "?count=0", ALL});
    cases.put("count above max-count", new String[] {"order", "?count=10001", ALL});
    cases.put("count beyond an int", new String[] {"order", "?count=9999999999", ALL});
    cases.put("unknown namespace", new String[] {"nothing-here", "", ALL});
    cases.put("another token's namespace", new String[] {"order", "", INVOICES});
    cases.put("metrics-only token", new String[] {"order", "", SCRAPER});
    HttpClient armeria = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      String[] r = c.getValue();
      double before = direct();
      Answer direct;
      try (Raw raw = new Raw(node.server.port())) {
        raw.send(mint(r[0], r[1], r[2]));
        direct = raw.read();
      }
      assertThat(direct() - before).as(c.getKey() + ": answered at the head").isEqualTo(1);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(node.url + "/v1/namespaces/" + r[0] + "/ids" + r[1]))
              .POST(HttpRequest.BodyPublishers.noBody());
      if (r[2] != null) {
        request.header("Authorization", "Bearer " + r[2]);
      }
      HttpResponse<String> viaArmeria =
          armeria.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(direct.status()).as(c.getKey()).isBetween(400, 499);
      assertThat(direct.status()).as(c.getKey()).isEqualTo(viaArmeria.statusCode());
      assertThat(direct.body()).as(c.getKey()).isEqualTo(viaArmeria.body());
      assertThat(direct.headers().get("content-type"))
          .isEqualTo(viaArmeria.headers().firstValue("content-type").orElse(null));
    }
  }

  @Test
  void aRateLimitedTokenGets429WithRetryAfterHereToo() throws Exception {
    try (Raw raw = new Raw(node.server.port())) {
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        burst.append(mint("order", "", LIMITED));
      }
      raw.send(burst.toString());
      List<Answer> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(raw.read());
      }
      Answer refused =
          answers.stream()
              .filter(a -> a.status() == 429)
              .findFirst()
              .orElseThrow(AssertionError::new);
      assertThat(refused.headers()).containsKey("retry-after");
      assertThat(Integer.parseInt(refused.headers().get("retry-after"))).isPositive();
      assertThat(refused.body()).contains("\"code\":\"RESOURCE_EXHAUSTED\"");
      assertThat(answers.get(0).status()).isEqualTo(200);
    }
  }

  @Test
  void requestsTheRouteDoesNotTakeAreArmeriasAndAnsweredAsBefore() throws Exception {
    String auth = "Authorization: Bearer " + ALL + "\r\n";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(
        "a body",
        "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost: t\r\n"
            + auth
            + "Content-Length: 2\r\n\r\n{}");
    cases.put(
        "chunked",
        "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost: t\r\n"
            + auth
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    cases.put(
        "percent-encoded namespace",
        "POST /v1/namespaces/%6Frder/ids HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n");
    cases.put(
        "another query parameter",
        "POST /v1/namespaces/order/ids?count=2&x=1 HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n");
    cases.put(
        "Connection: close",
        "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost: t\r\n"
            + auth
            + "Connection: close\r\n\r\n");
    cases.put("HTTP/1.0", "POST /v1/namespaces/order/ids HTTP/1.0\r\nHost: t\r\n" + auth + "\r\n");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      double before = direct();
      try (Raw raw = new Raw(node.server.port())) {
        raw.send(c.getValue());
        Answer answer = raw.read();
        assertThat(answer.status()).as(c.getKey() + ": " + answer.body()).isEqualTo(200);
        assertThat(answer.ids()).as(c.getKey()).isNotEmpty();
      }
      assertThat(direct() - before).as(c.getKey() + ": not answered at the head").isZero();
    }
  }

  @Test
  void headsThatCouldBeReadTwoWaysAreLeftToArmeriasParser() throws Exception {
    String auth = "Authorization: Bearer " + ALL + "\r\n";
    List<String> cases =
        List.of(
            // A length of 0 beside chunked: Armeria decides, once.
            "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost: t\r\n"
                + auth
                + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            // obs-fold
            "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost: t\r\n" + auth + "X-A: 1\r\n b\r\n\r\n",
            // a space before the colon
            "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost : t\r\n" + auth + "\r\n",
            // a bare LF
            "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost: t\n" + auth + "\r\n",
            // two hosts
            "POST /v1/namespaces/order/ids HTTP/1.1\r\nHost: t\r\nHost: u\r\n" + auth + "\r\n",
            // no host
            "POST /v1/namespaces/order/ids HTTP/1.1\r\n" + auth + "\r\n");
    for (String head : cases) {
      double before = direct();
      try (Raw raw = new Raw(node.server.port())) {
        raw.send(head);
        Answer answer = raw.read();
        assertThat(answer.status()).as(head).isPositive();
      } catch (IOException closed) {
        // Armeria may also close a connection it will not read: still not answered here.
      }
      assertThat(direct() - before).as(head).isZero();
    }
  }

  @Test
  void aHeadArrivingByteByByteIsStillAnsweredHere() throws Exception {
    double before = direct();
    try (Raw raw = new Raw(node.server.port())) {
      for (byte b : mint("order", "?count=2", ALL).getBytes(StandardCharsets.US_ASCII)) {
        raw.out.write(b);
        raw.out.flush();
      }
      Answer answer = raw.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.ids()).hasSize(2);
    }
    assertThat(direct() - before).isEqualTo(1);
  }

  @Test
  void anAnswerThatMayWaitOnTheStoreStillComesBeforeTheNextOne() throws Exception {
    try (Raw raw = new Raw(node.server.port())) {
      // More than the segment holds: issuing waits on the store, off the event loop.
      raw.send(mint("invoice", "?count=5000", ALL) + mint("invoice", "?count=7", ALL));
      Answer first = raw.read();
      Answer second = raw.read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.ids()).hasSize(5000);
      assertThat(second.ids()).hasSize(7);
      Set<Long> ids = new HashSet<>(first.ids());
      second.ids().forEach(id -> assertThat(ids.add(id)).isTrue());
    }
  }

  @Test
  void idleConnectionsAreClosedHereAndAfterTheHandOverButBusyOnesStayOpen() throws Exception {
    try (TestServer quick =
        TestServer.start(
            dir.resolve("idle"),
            null,
            "server: { idle-timeout: 1s, request-timeout: 1s }\n",
            Map.of())) {
      int port = quick.server.port();
      try (Raw direct = new Raw(port);
          Raw armeria = new Raw(port);
          Raw busy = new Raw(port)) {
        direct.send(mint("default", "", null));
        assertThat(direct.read().status()).isEqualTo(200);
        armeria.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(armeria.read().status()).isEqualTo(200);
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
          Thread.sleep(300);
          busy.send(mint("default", "", null));
          assertThat(busy.read().status())
              .as("request %d on the busy connection", i)
              .isEqualTo(200);
        }
        assertThat(direct.closedWithin(3_000)).as("served here, then idle").isTrue();
        assertThat(armeria.closedWithin(3_000)).as("served by Armeria, then idle").isTrue();
        assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(2_000));
      }
    }
  }

  @Test
  void anAnswerPastTheRequestTimeoutIs503AndTheConnectionGoesOn() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    SnowflakeFactory stalling =
        (ns, leases, clock) -> {
          IdGenerator real = SnowflakeFactory.STANDARD.create(ns, leases, clock);
          return new IdGenerator() {
            @Override
            public long nextId() {
              if (first.getAndSet(false)) {
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return real.nextId();
            }

            @Override
            public void nextIds(long[] ids, int offset, int count) {
              real.nextIds(ids, offset, count);
            }
          };
        };
    IdMintServer server =
        dev.idmint.server.testing.InJvmNode.in(dir.resolve("stall"))
            .yaml("server: { request-timeout: 1s }\n")
            .snowflakes(stalling)
            .start()
            .server();
    try (Raw raw = new Raw(server.port())) {
      // The namespace's first issue may wait on the registry: computed off the event loop, where
      // this generator stalls.
      long start = System.nanoTime();
      raw.send(mint("default", "", null) + mint("default", "?count=2", null));
      Answer late = raw.read();
      assertThat(late.status()).isEqualTo(503);
      assertThat(late.body())
          .contains("\"code\":\"UNAVAILABLE\"")
          .contains("server.request-timeout (1000 ms)");
      assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
      Answer next = raw.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.ids()).hasSize(2);
    } finally {
      release.countDown();
      server.close();
    }
  }

  /** How many requests the route answered at the head of the connection, from /metrics. */
  private static double direct() {
    TestServer.Response metrics =
        node.send(
            HttpRequest.newBuilder(URI.create(node.url + "/metrics"))
                .header("Authorization", "Bearer " + SCRAPER)
                .GET()
                .build());
    return metrics
        .body()
        .lines()
        .filter(l -> l.startsWith("idmint_rest_direct_requests_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no direct-request counter: " + metrics.body()));
  }

  private static String mint(String namespace, String query, String token) {
    return "POST /v1/namespaces/"
        + namespace
        + "/ids"
        + query
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
        + "\r\n";
  }

  /** One HTTP/1.1 answer. */
  record Answer(int status, Map<String, String> headers, String body) {
    List<Long> ids() {
      try {
        List<Long> out = new ArrayList<>();
        TestServer.JSON
            .readTree(body)
            .path("ids")
            .forEach(id -> out.add(Long.parseLong(id.asText())));
        return out;
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** A plain socket speaking HTTP/1.1 as written, to control every byte of a request. */
  static final class Raw implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    Raw(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }

    void send(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    Answer read() throws IOException {
      String statusLine = line();
      Map<String, String> headers = new LinkedHashMap<>();
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        headers.put(
            h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      if (body.length < length) {
        throw new IOException("connection closed inside a body");
      }
      return new Answer(
          Integer.parseInt(statusLine.split(" ")[1]),
          headers,
          new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server closes the connection within {@code millis}, sending nothing more. */
    boolean closedWithin(int millis) throws IOException {
      socket.setSoTimeout(millis);
      try {
        return in.read() < 0;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException reset) {
        return true;
      }
    }

    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new IOException("connection closed after: " + line);
        }
        line.write(b);
      }
      String text = line.toString(StandardCharsets.US_ASCII);
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
