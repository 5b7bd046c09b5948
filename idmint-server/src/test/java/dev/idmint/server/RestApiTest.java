package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST contract of DESIGN.md, over real HTTP against a started node on embedded H2. */
class RestApiTest {
  @TempDir static Path dir;
  static TestServer node;

  @BeforeAll
  static void start() {
    String yaml =
        """
        namespaces:
          order:
            strategy: snowflake
          invoice:
            strategy: segment
            segment: { step: 1000 }
        limits:
          max-count: 5000
          max-body-bytes: 1024
        """;
    node = TestServer.start(dir, null, yaml, Map.of());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void oneIdByDefaultAsADecimalString() {
    TestServer.Response response = node.post("/v1/namespaces/order/ids");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).startsWith("application/json");
    assertThat(response.json().path("namespace").asText()).isEqualTo("order");
    assertThat(response.ids()).hasSize(1);
    assertThat(response.ids()[0]).isPositive();
    assertThat(response.json().has("publicIds")).as("no public codec configured").isFalse();
  }

  @Test
  void aBatchIsUniqueAndRising() {
    long[] ids = node.post("/v1/namespaces/order/ids?count=5000").ids();
    assertThat(ids).hasSize(5000);
    for (int i = 1; i < ids.length; i++) {
      assertThat(ids[i]).isGreaterThan(ids[i - 1]);
    }
  }

  @Test
  void segmentIdsAreDense() {
    long[] ids = node.post("/v1/namespaces/invoice/ids?count=10").ids();
    assertThat(ids[9] - ids[0]).isEqualTo(9);
    assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(10);
  }

  @ParameterizedTest(name = "count={0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0|count must be between 1 and 5000, was 0",
        "-3|count must be between 1 and 5000, was -3",
        "5001|count must be between 1 and 5000, was 5001",
        "abc|count must be a whole number between 1 and 5000, was \"abc\"",
        "1.5|count must be a whole number between 1 and 5000, was \"1.5\"",
        "99999999999|count must be a whole number between 1 and 5000, was \"99999999999\""
      })
  void aBadCountIs400WithTheExactMessage(String count, String message) {
    TestServer.Response response = node.post("/v1/namespaces/order/ids?count=" + count);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":"
                + TestServer.JSON.valueToTree(message)
                + "}}");
  }

  @Test
  void anUnknownNamespaceIs404AndIsNeverCreated() {
    TestServer.Response response = node.post("/v1/namespaces/nope/ids");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("error").path("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(response.json().path("error").path("message").asText())
        .isEqualTo("unknown namespace: nope");
    assertThat(node.get("/v1/namespaces").body()).doesNotContain("nope");
  }

  @Test
  void anOversizedBodyIs413WithAJsonError() {
    TestServer.Response response =
        node.send(
            HttpRequest.newBuilder(URI.create(node.url + "/v1/namespaces/order/ids"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096)))
                .build());
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void wrongMethodsAndUnknownPathsGetJsonErrors() {
    TestServer.Response wrongMethod = node.get("/v1/namespaces/order/ids");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().path("error").path("code").asText())
        .isEqualTo("METHOD_NOT_ALLOWED");
    TestServer.Response unknown = node.get("/v2/whatever");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").path("message").asText())
        .isEqualTo("no such resource: /v2/whatever");
  }

  @Test
  void inspectTakesARawIdApart() {
    long id = node.post("/v1/namespaces/order/ids").ids()[0];
    JsonNode inspection = node.get("/v1/namespaces/order/ids/" + id).json();
    assertThat(inspection.path("namespace").asText()).isEqualTo("order");
    assertThat(inspection.path("id").asText()).isEqualTo(Long.toString(id));
    assertThat(inspection.path("strategy").asText()).isEqualTo("snowflake");
    assertThat(inspection.path("worker").asInt()).isZero();
    assertThat(inspection.path("timestamp").asText()).matches("20\\d\\d-.*Z");
    assertThat(inspection.path("sequence").isNumber()).isTrue();
  }

  @ParameterizedTest(name = "id={0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "abc|not an ID of namespace order: \"abc\" is not a positive decimal number below 2^63",
        "0|an ID is a positive number: id=0",
        "-5|an ID is a positive number: id=-5",
        "9223372036854775808|not an ID of namespace order: \"9223372036854775808\" is not a"
            + " positive decimal number below 2^63"
      })
  void aMalformedIdToDecodeIs400(String id, String message) {
    TestServer.Response response = node.get("/v1/namespaces/order/ids/" + id);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("error").path("message").asText()).isEqualTo(message);
  }

  @Test
  void namespacesAreListedWithTheirLayoutAndNoSecrets() {
    JsonNode list = node.get("/v1/namespaces").json().path("namespaces");
    assertThat(list).hasSize(2);
    JsonNode order = node.get("/v1/namespaces/order").json();
    assertThat(order.path("snowflake").path("exhaustedAt").asText())
        .isEqualTo("2094-09-07T15:47:35.552Z");
    JsonNode invoice = node.get("/v1/namespaces/invoice").json();
    assertThat(invoice.path("segment").path("step").asLong()).isEqualTo(1000);
  }

  @Test
  void healthAndMetrics() {
    assertThat(node.get("/health/live").status()).isEqualTo(200);
    TestServer.Response ready = node.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().path("ready").asBoolean()).isTrue();
    node.post("/v1/namespaces/order/ids?count=7");
    String metrics = node.get("/metrics").body();
    assertThat(metrics)
        .contains("idmint_ids_issued_total{namespace=\"order\",strategy=\"snowflake\"}")
        .contains("idmint_lease_held 1.0")
        .contains("idmint_request_duration_seconds_bucket")
        .contains("idmint_requests_rejected_total")
        .contains("idmint_segment_buffer_remaining{namespace=\"invoice\"}");
  }
}
