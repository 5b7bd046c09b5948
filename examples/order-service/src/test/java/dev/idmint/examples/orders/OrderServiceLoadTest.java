package dev.idmint.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.server.testing.InJvmNode;
import dev.idmint.testkit.Engines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example end to end: a real idmint node (embedded H2, port 0) and the order service (port 0)
 * in this JVM, a real PostgreSQL behind ShardingSphere-JDBC. 100,000 orders created through HTTP
 * from 16 threads land in the 4 shards exactly once each, each under the id its public ID stands
 * for, routed by {@code id % 4}. The load runs first, on empty tables, so the shards hold exactly
 * its rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderServiceLoadTest {
  static final String PG_HOST = Engines.env("IDMINT_PG_HOST", "127.0.0.1");
  static final int PG_PORT = Integer.parseInt(Engines.env("IDMINT_PG_PORT", "5432"));
  static final String DATABASE = "client_order_service_it";

  /** 100,000; a smaller count (-Dorders.load.count=1000) only while working on this test. */
  static final int ORDERS = Integer.getInteger("orders.load.count", 100_000);

  static final int THREADS = 16;

  @TempDir static Path dir;
  static InJvmNode node;
  static ConfigurableApplicationContext service;
  static URI base;
  static PublicIdCodec codec;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() throws Exception {
    Engines.require(
        "PostgreSQL",
        PG_HOST,
        PG_PORT,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }

    node = InJvmNode.in(dir).yaml("namespaces:\n  order: { strategy: snowflake }\n").start();

    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    String hexKey = HexFormat.of().formatHex(key);
    codec =
        PublicIdCodec.builder()
            .namespace("order")
            .prefix("ord")
            .current("1")
            .key("1", hexKey)
            .build();
    service =
        new SpringApplicationBuilder(OrderServiceApplication.class)
            .run(
                "--server.port=0",
                "--idmint.client.endpoints=127.0.0.1:" + node.port(),
                "--idmint.client.deadline=10s",
                "--idmint.client.attempt-timeout=5s",
                "--idmint.client.public-ids.order.keys.1=" + hexKey,
                "--orders.database.host=" + PG_HOST,
                "--orders.database.port=" + PG_PORT,
                "--orders.database.name=" + DATABASE,
                "--orders.database.synchronous-commit=false");
    int port = ((WebServerApplicationContext) service).getWebServer().getPort();
    base = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void oneHundredThousandConcurrentOrdersLandOnceEachAcrossFourShards() throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<long[]> returnedIds = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      workers.add(
          pool.submit(
              () -> {
                int count = ORDERS / THREADS + (thread < ORDERS % THREADS ? 1 : 0);
                long[] ids = new long[count];
                for (int i = 0; i < count; i++) {
                  try {
                    HttpResponse<String> response =
                        post(
                            "{\"item\":\"item-"
                                + thread
                                + "-"
                                + i
                                + "\",\"quantity\":"
                                + (i % 9 + 1)
                                + "}");
                    if (response.statusCode() != 201) {
                      failures.add(response.statusCode() + " " + response.body());
                      return;
                    }
                    ids[i] = codec.decode(JSON.readTree(response.body()).get("id").asText());
                  } catch (Exception e) {
                    failures.add(e.toString());
                    return;
                  }
                }
                returnedIds.add(ids);
              }));
    }
    for (Future<?> worker : workers) {
      worker.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(failures).as("every POST /orders answered 201").isEmpty();

    Set<Long> returned = new HashSet<>(ORDERS * 2);
    returnedIds.forEach(
        ids -> {
          for (long id : ids) {
            returned.add(id);
          }
        });
    assertThat(returned).as("distinct ids handed back").hasSize(ORDERS);

    Set<Long> stored = new HashSet<>(ORDERS * 2);
    long rows = 0;
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + DATABASE, "postgres", "");
        Statement statement = connection.createStatement()) {
      for (int shard = 0; shard < ShardingConfiguration.SHARDS; shard++) {
        long inShard = 0;
        try (ResultSet rs = statement.executeQuery("SELECT id FROM orders_" + shard)) {
          while (rs.next()) {
            long id = rs.getLong(1);
            assertThat(Math.floorMod(id, ShardingConfiguration.SHARDS))
                .as("row %d routed by id %% 4", id)
                .isEqualTo(shard);
            assertThat(stored.add(id)).as("id %d stored once across all shards", id).isTrue();
            inShard++;
          }
        }
        assertThat(inShard).as("rows in orders_" + shard).isPositive();
        rows += inShard;
      }
    }
    assertThat(rows).isEqualTo(ORDERS);
    assertThat(stored).isEqualTo(returned);
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void anOrderReadsBackByItsPublicIdAndBadIdsAreRejected() throws Exception {
    HttpResponse<String> created = post("{\"item\":\"tea\",\"quantity\":3}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = JSON.readTree(created.body());
    String publicId = body.get("id").asText();
    assertThat(publicId).startsWith("ord_1").hasSize(16);
    assertThat(created.headers().firstValue("Location")).hasValue("/orders/" + publicId);

    HttpResponse<String> read = get("/orders/" + publicId);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(JSON.readTree(read.body()))
        .isEqualTo(JSON.readTree("{\"id\":\"" + publicId + "\",\"item\":\"tea\",\"quantity\":3}"));

    HttpResponse<String> badPrefix = get("/orders/inv_" + publicId.substring(4));
    assertThat(badPrefix.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badPrefix.body()).at("/error/code").asText())
        .isEqualTo("INVALID_ARGUMENT");
    assertThat(JSON.readTree(badPrefix.body()).at("/error/message").asText()).contains("prefix");

    HttpResponse<String> badLength = get("/orders/" + publicId.substring(0, 10));
    assertThat(badLength.statusCode()).isEqualTo(400);
    assertThat(badLength.body()).contains("characters");

    long unused = Long.MAX_VALUE - 7;
    HttpResponse<String> missing = get("/orders/" + codec.encode(unused));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).at("/error/code").asText()).isEqualTo("NOT_FOUND");

    HttpResponse<String> badBody = post("{\"item\":\"\",\"quantity\":3}");
    assertThat(badBody.statusCode()).isEqualTo(400);
    assertThat(badBody.body()).contains("item must be a non-blank string");
  }

  static HttpResponse<String> post(String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve("/orders"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
