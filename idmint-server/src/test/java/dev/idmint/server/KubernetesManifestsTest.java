package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example manifests ship no usable token: no Secret at all, and the values an operator might
 * copy from old docs are refused at start with the reason.
 */
class KubernetesManifestsTest {
  static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");
  @TempDir Path dir;

  @Test
  void noSecretIsShippedAndTheDeploymentReadsTheOperatorsOne() throws IOException {
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      for (Path file : files.toList()) {
        String text = Files.readString(file);
        assertThat(text).as(file.toString()).doesNotContainPattern("(?m)^kind:\\s*Secret");
      }
    }
    assertThat(Files.readString(MANIFESTS.resolve("deployment.yaml")))
        .contains("name: idmint-secrets");
  }

  @Test
  void theConfigMapRefusesPlaceholderTokensAndAcceptsGeneratedOnes() throws IOException {
    JsonNode configMap =
        new ObjectMapper(new YAMLFactory()).readTree(MANIFESTS.resolve("configmap.yaml").toFile());
    Path config = dir.resolve("idmint.yaml");
    Files.writeString(config, configMap.path("data").path("idmint.yaml").asText());
    ConfigLoader.Flags flags = new ConfigLoader.Flags(null, dir, null, config);

    Map<String, String> placeholders =
        Map.of(
            "IDMINT_DB_PASSWORD", "change-me",
            "IDMINT_TOKEN_ORDERS", "change-me-orders-token-0000",
            "IDMINT_TOKEN_BILLING", "change-me-billing-token-000",
            "IDMINT_TOKEN_METRICS", "<metrics token>");
    assertThatThrownBy(() -> ConfigLoader.load(flags, placeholders, Clock.system()))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "auth.tokens[0].token looks like a placeholder (it contains"
                            + " \"change-me\"); generate one, e.g. openssl rand -hex 24",
                        "auth.tokens[1].token looks like a placeholder (it contains"
                            + " \"change-me\"); generate one, e.g. openssl rand -hex 24",
                        "auth.tokens[2].token must have at least 16 characters"));

    Map<String, String> generated =
        Map.of(
            "IDMINT_DB_PASSWORD", "a-real-password",
            "IDMINT_TOKEN_ORDERS", "3f9c2b7a1e0d4c6b8a5f2e1d0c9b8a7f",
            "IDMINT_TOKEN_BILLING", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
            "IDMINT_TOKEN_METRICS", "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    ServerConfig loaded = ConfigLoader.load(flags, generated, Clock.system());
    assertThat(loaded.tokens()).hasSize(3);
    assertThat(loaded.loopbackOnly()).as("with tokens the Services can reach the pods").isFalse();
    assertThat(List.copyOf(loaded.namespaces().keySet())).containsExactly("order", "invoice");
  }
}
