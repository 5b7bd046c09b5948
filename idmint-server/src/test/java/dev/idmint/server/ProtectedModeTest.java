package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.Clock;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protected mode on a real node: without ID tokens it listens on loopback only, and serving other
 * hosts without tokens takes {@code --insecure-no-auth}, which warns. Every request here goes to
 * 127.0.0.1.
 */
class ProtectedModeTest {
  @TempDir Path dir;

  @Test
  void withoutTokensTheNodeListensOnLoopbackOnlyAndSaysSo() {
    try (TestServer node = TestServer.start(dir, null, null, Map.of())) {
      List<InetSocketAddress> listening = node.server.listeningAddresses();
      assertThat(listening).isNotEmpty();
      assertThat(listening)
          .allSatisfy(
              address -> {
                assertThat(address.getAddress().isLoopbackAddress())
                    .as("listening on %s", address)
                    .isTrue();
                assertThat(address.getPort()).isEqualTo(node.server.port());
              });
      assertThat(listening)
          .anySatisfy(a -> assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1"));
      assertThat(node.server.startupLine())
          .startsWith("idmint listening on port " + node.server.port())
          .contains("auth off: listening on loopback only; set auth tokens to serve other hosts");
      assertThat(node.post("/v1/namespaces/default/ids").status()).isEqualTo(200);
      assertThat(node.get("/health").json().has("warning")).isFalse();
    }
  }

  @Test
  void withTokensTheNodeListensOnEveryInterfaceOrTheBoundAddress() {
    String yaml = "auth:\n  tokens:\n    - { token: a1f0c9d83b7e46a2b1, namespaces: ['*'] }\n";
    try (TestServer node = TestServer.start(dir.resolve("all"), null, yaml, Map.of())) {
      assertThat(node.server.listeningAddresses())
          .allSatisfy(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
      assertThat(node.server.startupLine()).contains("auth on (1 tokens");
    }
    try (TestServer node =
        TestServer.start(
            dir.resolve("bound"), null, yaml, Map.of(), Clock.system(), "127.0.0.1", false)) {
      assertThat(node.server.listeningAddresses())
          .singleElement()
          .satisfies(a -> assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1"));
      assertThat(node.server.startupLine()).contains("bound to 127.0.0.1");
    }
  }

  @Test
  void insecureNoAuthServesEveryInterfaceAndWarnsAtStartOnHealthAndInTheStartLine() {
    List<String> warnings = new ArrayList<>();
    Logger log = Logger.getLogger(IdMintServer.class.getName());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
              warnings.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(handler);
    try (TestServer node =
        TestServer.start(dir, null, null, Map.of(), Clock.system(), null, true)) {
      assertThat(node.server.listeningAddresses())
          .allSatisfy(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
      assertThat(node.server.startupLine())
          .contains("auth off: INSECURE, serving every host without authentication");
      assertThat(warnings).containsExactly(IdMintServer.INSECURE_WARNING);
      for (String path : List.of("/health", "/health/ready", "/health/live")) {
        assertThat(node.get(path).json().path("warning").asText())
            .as(path)
            .isEqualTo(IdMintServer.INSECURE_WARNING);
      }
      assertThat(node.post("/v1/namespaces/default/ids").status()).isEqualTo(200);
    } finally {
      log.removeHandler(handler);
    }
  }
}
