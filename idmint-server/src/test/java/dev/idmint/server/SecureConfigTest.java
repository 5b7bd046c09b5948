package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.Scope;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.server.config.TokenConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the loader refuses so that a node is safe before anyone configures it (issue 13). */
class SecureConfigTest {
  static final Clock CLOCK = Clock.system();
  static final String TOKEN = "a1f0c9d83b7e46a2";
  @TempDir Path dir;

  private ServerConfig load(String yaml, String bind, boolean insecure) {
    try {
      Path file = Files.createTempFile(dir, "idmint", ".yaml");
      Files.writeString(file, yaml);
      return ConfigLoader.load(
          new ConfigLoader.Flags(null, null, null, file, null, null, null, bind, insecure),
          Map.of("T", TOKEN),
          CLOCK);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void refused(String yaml, String bind, boolean insecure, String... problems) {
    assertThatThrownBy(() -> load(yaml, bind, insecure))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.problems()).containsExactly(problems));
  }

  private static String token(String entry) {
    return "namespaces: { order: {}, invoice: { strategy: segment } }\nauth:\n  tokens:\n    - "
        + entry
        + "\n";
  }

  @Test
  void aTokenWithoutScopesMayOnlyMintAndStarMeansEveryNamespace() {
    TokenConfig token =
        load(token("{ token: '${T}', namespaces: ['*'] }"), null, false).tokens().get(0);
    assertThat(token.scopes()).containsExactly(Scope.MINT);
    assertThat(token.allows("order")).isTrue();
    assertThat(token.allows("invoice")).isTrue();
    TokenConfig scoped =
        load(
                token("{ token: '${T}', scopes: [decode, metrics], namespaces: [invoice] }"),
                null,
                false)
            .tokens()
            .get(0);
    assertThat(scoped.scopes()).containsExactlyInAnyOrder(Scope.DECODE, Scope.METRICS);
    assertThat(scoped.allows("order")).isFalse();
  }

  @Test
  void anEmptyOrAbsentNamespaceListAndAnUnknownScopeAreRefused() {
    refused(
        token("{ token: '${T}', namespaces: [] }"),
        null,
        false,
        "auth.tokens[0].namespaces must be a non-empty list; write [\"*\"] to allow every"
            + " namespace");
    refused(
        token("{ token: '${T}' }"),
        null,
        false,
        "auth.tokens[0].namespaces must list the namespaces this token may use, or [\"*\"] for"
            + " all (an absent list no longer means all)");
    refused(
        token("{ token: '${T}', scopes: [mint, admin], namespaces: ['*'] }"),
        null,
        false,
        "auth.tokens[0].scopes names an unknown scope: admin (known: mint, decode, metrics)");
    refused(
        token("{ token: '${T}', scopes: [], namespaces: ['*'] }"),
        null,
        false,
        "auth.tokens[0].scopes must be a non-empty list of mint, decode, metrics");
  }

  @Test
  void placeholderTokensAreRefusedWithTheReasonAndWithoutEchoingThem() {
    refused(
        token("{ token: change-me-orders-token-0000, namespaces: ['*'] }"),
        null,
        false,
        "auth.tokens[0].token looks like a placeholder (it contains \"change-me\"); generate one,"
            + " e.g. openssl rand -hex 24");
    refused(
        token("{ token: '<your orders token here>', namespaces: ['*'] }"),
        null,
        false,
        "auth.tokens[0].token looks like a placeholder (it contains <...>); generate one, e.g."
            + " openssl rand -hex 24");
    refused(
        token("{ token: xxxxxxxxxxxxxxxxxxxxxxxx, namespaces: ['*'] }"),
        null,
        false,
        "auth.tokens[0].token looks like a placeholder (one character repeated); generate one,"
            + " e.g. openssl rand -hex 24");
    refused(
        "auth: { admin-token: MyExampleAdminToken123 }\n",
        null,
        false,
        "auth.admin-token (or IDMINT_ADMIN_TOKEN) looks like a placeholder (it contains"
            + " \"example\"); generate one, e.g. openssl rand -hex 24");
  }

  @Test
  void maxCountHasAHardCeiling() {
    assertThat(load("limits: { max-count: 100000 }\n", null, false).maxCount()).isEqualTo(100_000);
    refused(
        "limits: { max-count: 100001 }\n",
        null,
        false,
        "limits.max-count must be in [1, 100000] (one request must stay cheap; ask several times"
            + " for more): max-count=100001");
  }

  @Test
  void withoutTokensOnlyLoopbackMayBeBoundUnlessInsecureIsSaidOutLoud() {
    ServerConfig plain = load("limits: { max-count: 5 }\n", null, false);
    assertThat(plain.loopbackOnly()).isTrue();
    assertThat(load("limits: { max-count: 5 }\n", "127.0.0.1", false).bindAddress())
        .isEqualTo("127.0.0.1");
    refused(
        "limits: { max-count: 5 }\n",
        "0.0.0.0",
        false,
        "--bind 0.0.0.0 serves other hosts, but no ID token is configured: set auth.tokens, or"
            + " pass --insecure-no-auth to serve them without authentication");
    ServerConfig insecure = load("limits: { max-count: 5 }\n", "0.0.0.0", true);
    assertThat(insecure.loopbackOnly()).isFalse();
    assertThat(insecure.authOn()).isFalse();
    refused(
        token("{ token: '${T}', namespaces: ['*'] }"),
        null,
        true,
        "--insecure-no-auth (IDMINT_INSECURE_NO_AUTH) turns authentication off, but auth.tokens"
            + " are configured: remove one of the two");
    ServerConfig withTokens = load(token("{ token: '${T}', namespaces: ['*'] }"), null, false);
    assertThat(withTokens.loopbackOnly()).isFalse();
  }

  @Test
  void twoNamespacesMayNotShareAPublicIdPrefix() {
    String key = "2B7E151628AED2A6ABF7158809CF4F3C";
    refused(
        """
        namespaces:
          order: { public-id: { prefix: ord, current: 1, keys: { "1": "%s" } } }
          ordinal: { public-id: { prefix: ord, current: 1, keys: { "1": "%s" } } }
        """
            .formatted(key, key),
        null,
        false,
        "namespaces.ordinal.public-id.prefix \"ord\" is already the prefix of namespace order; a"
            + " public ID of one would decode under the other");
  }

  @Test
  void connectionBoundsHaveDefaultsAndAreChecked() {
    ServerConfig.Connections defaults =
        load("limits: { max-count: 5 }\n", null, false).connections();
    assertThat(defaults).isEqualTo(ServerConfig.Connections.defaults());
    refused(
        "server: { max-connections: 0, request-timeout: 0s }\nlimits: { client-rate-limit: -1 }\n",
        null,
        false,
        "limits.client-rate-limit must be a number >= 0 (0: unlimited) per second: -1",
        "server.max-connections must be >= 1: max-connections=0",
        "server.request-timeout must be a positive duration: PT0S");
  }
}
