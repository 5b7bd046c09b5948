package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.InspectRequest;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import dev.idmint.core.InvalidConfigurationException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Public IDs through the service: minted beside raw IDs, decoded by inspect, keys rotated. */
class PublicIdsTest {
  static final String KEY_1 = "2B7E151628AED2A6ABF7158809CF4F3C";
  static final String KEY_2 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
  static final Map<String, String> ENV = Map.of("ORDER_KEY_1", KEY_1, "ORDER_KEY_2", KEY_2);

  @TempDir Path dir;

  static String config(int current, String keys) {
    return """
        namespaces:
          order:
            strategy: snowflake
            public-id:
              prefix: ord
              alphabet: base62
              current: %d
              keys:
        %s
          invoice:
            strategy: segment
            public-id: { prefix: inv, alphabet: crockford32, current: 1, keys: { "1": "${ORDER_KEY_1}" } }
        """
        .formatted(current, keys);
  }

  static final String KEYS_1 = "        \"1\": ${ORDER_KEY_1}";
  static final String KEYS_1_2 = KEYS_1 + "\n        \"2\": ${ORDER_KEY_2}";

  @Test
  void publicIdsComeBesideRawIdsAndDecodeBackThroughInspect() {
    try (TestServer node = TestServer.start(dir, null, config(1, KEYS_1), ENV)) {
      JsonNode minted = node.post("/v1/namespaces/order/ids?count=3").json();
      assertThat(minted.path("publicIds")).hasSize(3);
      String publicId = minted.path("publicIds").get(0).asText();
      assertThat(publicId).matches("ord_1[0-9A-Za-z]{11}");
      JsonNode inspected = node.get("/v1/namespaces/order/ids/" + publicId).json();
      assertThat(inspected.path("id").asText()).isEqualTo(minted.path("ids").get(0).asText());
      assertThat(inspected.path("publicId").asText()).isEqualTo(publicId);
      JsonNode byRaw =
          node.get("/v1/namespaces/order/ids/" + minted.path("ids").get(0).asText()).json();
      assertThat(byRaw.path("publicId").asText()).isEqualTo(publicId);

      JsonNode invoice = node.post("/v1/namespaces/invoice/ids").json();
      assertThat(invoice.path("publicIds").get(0).asText()).matches("inv_1[0-9a-z]{13}");
    }
  }

  @Test
  void malformedPublicIdsGetTheirSpecificError() {
    try (TestServer node = TestServer.start(dir, null, config(1, KEYS_1), ENV)) {
      TestServer.Response wrongPrefix = node.get("/v1/namespaces/order/ids/usr_1AAAAAAAAAAA");
      assertThat(wrongPrefix.status()).isEqualTo(400);
      assertThat(wrongPrefix.json().path("error").path("message").asText())
          .contains("has prefix 'usr', expected 'ord'");
      TestServer.Response wrongVersion = node.get("/v1/namespaces/order/ids/ord_9AAAAAAAAAAA");
      assertThat(wrongVersion.status()).isEqualTo(400);
      assertThat(wrongVersion.json().path("error").path("message").asText()).contains("version");
      TestServer.Response tooShort = node.get("/v1/namespaces/order/ids/ord_1AAA");
      assertThat(tooShort.status()).isEqualTo(400);
      assertThat(tooShort.json().path("error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
    }
  }

  @Test
  void afterRotationOldPublicIdsStillDecodeAndNewOnesUseTheNewVersion() {
    String old;
    long raw;
    try (TestServer node = TestServer.start(dir, null, config(1, KEYS_1), ENV)) {
      JsonNode minted = node.post("/v1/namespaces/order/ids").json();
      old = minted.path("publicIds").get(0).asText();
      raw = Long.parseLong(minted.path("ids").get(0).asText());
    }
    try (TestServer rotated = TestServer.start(dir, null, config(2, KEYS_1_2), ENV)) {
      assertThat(rotated.get("/v1/namespaces/order/ids/" + old).json().path("id").asLong())
          .isEqualTo(raw);
      String fresh =
          rotated.post("/v1/namespaces/order/ids").json().path("publicIds").get(0).asText();
      assertThat(fresh).startsWith("ord_2");
      String namespaces = rotated.get("/v1/namespaces").body();
      assertThat(namespaces)
          .contains("\"prefix\":\"ord\"")
          .doesNotContain(KEY_1)
          .doesNotContain(KEY_2);
    }
  }

  @Test
  void grpcCarriesPublicIdsToo() {
    try (TestServer node = TestServer.start(dir, null, config(1, KEYS_1), ENV)) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", node.server.port()).usePlaintext().build();
      try {
        var stub = IdServiceGrpc.newBlockingStub(channel);
        NextIdsResponse response =
            stub.nextIds(NextIdsRequest.newBuilder().setNamespace("order").setCount(2).build());
        assertThat(response.getPublicIdsList()).hasSize(2);
        var inspection =
            stub.inspect(
                InspectRequest.newBuilder()
                    .setNamespace("order")
                    .setId(response.getPublicIds(1))
                    .build());
        assertThat(inspection.getId()).isEqualTo(response.getIds(1));
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aMissingKeyFailsAtStartWithoutShowingAnyKey() {
    assertThatThrownBy(() -> TestServer.start(dir, null, config(2, KEYS_1), ENV))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("namespaces.order.public-id")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY_1));
    assertThatThrownBy(() -> TestServer.start(dir, null, config(1, KEYS_1), Map.of()))
        .hasMessageContaining("environment variable ORDER_KEY_1 is not set");
  }
}
