package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idmint.server.node.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bugs of the untyped definitions (issue 12), each through running nodes: a sub-second buffer
 * duration, a check-characters change on an issued namespace, and a warning between two nodes of
 * one configuration.
 */
class DefinitionBugsTest {
  static final String KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
  @TempDir Path dir;

  private static String coordinator() {
    return "jdbc:h2:mem:definition-bugs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  private TestServer node(String coordinator, String yaml) {
    return TestServer.start(
        dir.resolve(UUID.randomUUID().toString()), coordinator, yaml, RegistryServerTest.ENV);
  }

  @Test
  void aSubSecondBufferDurationIsAcceptedKeptAndServed() {
    String yaml =
        RegistryServerTest.BASE
            + """
            namespaces:
              invoice: { strategy: segment, segment: { step: 100, buffer-duration: 500ms } }
            """;
    try (TestServer node = node(coordinator(), yaml)) {
      assertThat(node.server.node().refusals()).isEmpty();
      assertThat(node.post("/v1/namespaces/invoice/ids?count=3").ids()).hasSize(3);
      JsonNode stored =
          RegistryServerTest.admin(node, "GET", "/v1/admin/namespaces/invoice", null).json();
      assertThat(stored.path("segment").path("bufferDurationSeconds").decimalValue())
          .isEqualByComparingTo("0.5");
      assertThat(node.server.node().namespace("invoice").orElseThrow().config().segment())
          .satisfies(s -> assertThat(s.bufferDuration()).hasMillis(500));
    }
  }

  @Test
  void changingCheckCharactersOfAnIssuedNamespaceIsRefusedAsUnsafe() {
    String yaml =
        RegistryServerTest.BASE
            + """
            namespaces:
              order:
                strategy: snowflake
                public-id: { prefix: ord, current: 1, keys: { "1": "%s" } }
            """
                .formatted(KEY);
    try (TestServer node = node(coordinator(), yaml)) {
      assertThat(node.post("/v1/namespaces/order/ids").status()).isEqualTo(200);
      ObjectNode definition =
          (ObjectNode)
              RegistryServerTest.admin(node, "GET", "/v1/admin/namespaces/order", null).json();
      assertThat(definition.path("issued").asBoolean()).isTrue();
      ((ObjectNode) definition.path("publicId")).put("checkCharacters", 1);
      TestServer.Response refused =
          RegistryServerTest.admin(
              node, "PUT", "/v1/admin/namespaces/order", definition.toString());
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(refused.json().path("error").path("code").asText())
          .isEqualTo("FAILED_PRECONDITION");
      assertThat(refused.json().path("error").path("message").asText())
          .contains("its public-ID check characters cannot change from 0 to 1");
    }
  }

  @Test
  void aNodeWhoseCheckCharactersDifferFromTheRegistryDoesNotServeTheNamespace() {
    String coordinator = coordinator();
    String yaml =
        RegistryServerTest.BASE
            + """
            namespaces:
              order:
                strategy: snowflake
                public-id: { prefix: ord, current: 1, check-characters: %d, keys: { "1": "%s" } }
            """;
    try (TestServer first = node(coordinator, yaml.formatted(0, KEY));
        TestServer second = node(coordinator, yaml.formatted(2, KEY))) {
      assertThat(first.server.node().refusals()).isEmpty();
      assertThat(second.server.node().refusal("order"))
          .contains("local public-ID check characters 2 differs from the registry's 0");
    }
  }

  @Test
  void twoNodesWithTheSameDefaultConfigurationStartWithoutAWarning() {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
              warnings.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(Node.class.getName());
    logger.addHandler(handler);
    String coordinator = coordinator();
    try (TestServer first = node(coordinator, null);
        TestServer second = node(coordinator, null)) {
      assertThat(second.server.node().namespace("default")).isPresent();
      assertThat(first.server.node().namespace("default")).isPresent();
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(warnings)
        .extracting(LogRecord::getMessage)
        .noneMatch(message -> message.contains("differs from the registry"));
  }
}
