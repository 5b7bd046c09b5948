package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.ManualClock;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.server.config.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final ManualClock CLOCK =
      new ManualClock(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
  @TempDir Path dir;

  private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("idmint.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(new ConfigLoader.Flags(null, null, null, file), env, CLOCK);
  }

  private void assertProblems(String yaml, Map<String, String> env, String... problems) {
    assertThatThrownBy(() -> load(yaml, env))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.problems()).containsExactly(problems));
  }

  @Test
  void withoutAFileOneSnowflakeNamespaceNamedDefaultIsServedOnTheEmbeddedDefault() {
    ServerConfig config =
        ConfigLoader.load(new ConfigLoader.Flags(null, null, null, null), Map.of(), CLOCK);
    assertThat(config.port()).isEqualTo(7070);
    assertThat(config.dataDir()).isEqualTo(Path.of("idmint-data"));
    assertThat(config.embedded()).isTrue();
    assertThat(config.effectiveCoordinatorUrl()).startsWith("jdbc:h2:file:").endsWith("idmint");
    assertThat(config.namespaces()).containsOnlyKeys("default");
    assertThat(config.namespaces().get("default").strategy()).isEqualTo(Strategy.SNOWFLAKE);
    assertThat(config.tokens()).isEmpty();
    assertThat(config.maxCount()).isEqualTo(10_000);
  }

  @Test
  void theIssuesExampleLoadsWithTokensFromTheEnvironment() throws IOException {
    ServerConfig config =
        load(
            """
            namespaces:
              order:
                strategy: snowflake            # or: segment
              invoice:
                strategy: segment
                segment: { step: 1000 }
            auth:
              tokens:                          # when present, every ID request needs a token
                - token: ${IDMINT_TOKEN_BILLING}   # ${VAR} is read from the environment
                  namespaces: [invoice]
            limits:
              max-count: 10000
            """,
            Map.of("IDMINT_TOKEN_BILLING", "billing-0123456789abcdef"));
    assertThat(config.namespaces()).containsOnlyKeys("order", "invoice");
    assertThat(config.namespaces().get("invoice").segment().initialStep()).isEqualTo(1000);
    assertThat(config.tokens()).hasSize(1);
    assertThat(config.tokens().get(0).token()).isEqualTo("billing-0123456789abcdef");
    assertThat(config.tokens().get(0).allows("invoice")).isTrue();
    assertThat(config.tokens().get(0).allows("order")).isFalse();
    assertThat(config.tokens().get(0).toString()).doesNotContain("billing-0123456789abcdef");
  }

  @Test
  void layoutsLeasesAndLimitsAreRead() throws IOException {
    ServerConfig config =
        load(
            """
            coordinator:
              url: jdbc:postgresql://db:5432/ids
              options: { user: idmint, password: "${PG_PASSWORD}" }
            node:
              worker: 12
              lease: { ttl: 20s, renew-interval: 1s, horizon-ahead: 5s }
            namespaces:
              order:
                snowflake:
                  timestamp-bits: 39
                  worker-bits: 8
                  sequence-bits: 14
                  epoch: 2026-01-01T00:00:00Z
                  time-unit: 10ms
                  max-borrow: 0ms
                  random-sequence-start: true
            limits: { max-count: 500, max-body-bytes: 2048 }
            server: { worker-threads: 3, shutdown-grace: 5s }
            """,
            Map.of("PG_PASSWORD", "pw"));
    assertThat(config.coordinatorUrl()).isEqualTo("jdbc:postgresql://db:5432/ids");
    assertThat(config.coordinatorOptions()).containsEntry("password", "pw");
    assertThat(config.staticWorker()).hasValue(12);
    assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(20));
    var order = config.namespaces().get("order");
    assertThat(order.layout().timestampBits()).isEqualTo(39);
    assertThat(order.layout().tickUnit().symbol()).isEqualTo("10ms");
    assertThat(order.maxBorrow()).isEqualTo(Duration.ZERO);
    assertThat(order.randomSequenceStart()).isTrue();
    assertThat(config.maxCount()).isEqualTo(500);
    assertThat(config.maxBodyBytes()).isEqualTo(2048);
    assertThat(config.workerThreads()).isEqualTo(3);
  }

  @Test
  void theCoordinatorFlagWinsOverTheFile() throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "coordinator: { url: 'jdbc:postgresql://file/ids' }\n");
    ServerConfig config =
        ConfigLoader.load(
            new ConfigLoader.Flags(7171, dir, "zookeeper://zk:2181/idmint", file), Map.of(), CLOCK);
    assertThat(config.coordinatorUrl()).isEqualTo("zookeeper://zk:2181/idmint");
    assertThat(config.port()).isEqualTo(7171);
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsPath() {
    assertProblems(
        """
        namespaces:
          Order:
            strategy: snowflake
          invoice:
            strategy: sequence
          shortlived:
            snowflake: { timestamp-bits: 30 }
        auth:
          tokens:
            - token: ${MISSING_TOKEN}
              namespaces: [nope]
        limits:
          max-count: 0
          max-body: 10
        """,
        Map.of(),
        "namespace must match [a-z][a-z0-9_-]{0,62}: \"Order\" in namespaces.Order",
        "namespaces.invoice.strategy must be snowflake, segment, uuid7 or pattern: strategy=sequence",
        "namespaces.shortlived.snowflake: timestamp bits run out at 2025-01-13T10:15:41.824Z, less"
            + " than the required margin of 3653 days from now; widen timestamp-bits, coarsen"
            + " time-unit or move the epoch",
        "environment variable MISSING_TOKEN is not set (used in auth.tokens[0].token)",
        "unknown key limits.max-body; known keys here: [client-rate-limit,"
            + " failed-auth-rate-limit, max-body-bytes, max-count]",
        "limits.max-count must be in [1, 100000] (one request must stay cheap; ask several times"
            + " for more): max-count=0");
  }

  @Test
  void shortTokensAndBadDurationsAreNamed() {
    assertProblems(
        """
        node:
          lease: { ttl: soon }
        auth:
          tokens:
            - token: short
              namespaces: ["*"]
        """,
        Map.of(),
        "node.lease.ttl must be a duration such as 2s, 500ms or PT2S: soon",
        "auth.tokens[0].token must have at least 16 characters");
  }

  @Test
  void aMissingOrBrokenFileIsNamed() throws IOException {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    new ConfigLoader.Flags(null, null, null, dir.resolve("absent.yaml")),
                    Map.of(),
                    CLOCK))
        .hasMessageContaining("configuration file not found: ");
    assertThatThrownBy(() -> load("namespaces: [unclosed", Map.of()))
        .hasMessageContaining("is not valid YAML");
  }

  @Test
  void borrowingBeyondTheReservedHorizonIsRefused() {
    assertProblems(
        """
        node:
          lease: { ttl: 4s, renew-interval: 250ms, horizon-ahead: 1500ms }
        namespaces:
          order: { snowflake: { max-borrow: 2s } }
        """,
        Map.of(),
        "namespaces.order.snowflake.max-borrow 2000 ms exceeds node.lease.horizon-ahead"
            + " - renew-interval = 1250 ms: a burst would run into the reserved horizon and be"
            + " refused");
  }

  @Test
  void theAdminTokenComesFromTheEnvironmentOrTheFileAndIsNeverShown() throws IOException {
    String yaml = "auth: { admin-token: '${ADMIN_SECRET}' }\n";
    ServerConfig fromFile = load(yaml, Map.of("ADMIN_SECRET", "file-admin-token-0123456789"));
    assertThat(fromFile.adminToken()).isEqualTo("file-admin-token-0123456789");
    assertThat(fromFile.toString()).doesNotContain("file-admin-token").contains("adminToken=***");
    ServerConfig fromEnv =
        load(
            yaml,
            Map.of(
                "ADMIN_SECRET", "file-admin-token-0123456789",
                "IDMINT_ADMIN_TOKEN", "env-admin-token-0123456789"));
    assertThat(fromEnv.adminToken()).isEqualTo("env-admin-token-0123456789");
    assertThat(load("limits: { max-count: 5 }\n", Map.of()).adminToken()).isNull();
    assertThat(load("limits: { max-count: 5 }\n", Map.of()).registryInterval())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void registryAndAdminSettingsAreChecked() {
    assertProblems(
        """
        node: { address: "no port here" }
        registry: { poll-interval: 40s }
        auth:
          admin-token: short
          tokens: [ { token: same-token-as-admin-0123, namespaces: ["*"] } ]
        """,
        Map.of(),
        "node.address must be host:port: address=no port here",
        "auth.admin-token (or IDMINT_ADMIN_TOKEN) must have at least 16 characters",
        "registry.poll-interval must be at least 100ms and below node.lease.ttl (PT30S):"
            + " poll-interval=PT40S");
    assertProblems(
        """
        auth:
          admin-token: same-token-as-admin-0123
          tokens: [ { token: same-token-as-admin-0123, namespaces: ["*"] } ]
        """,
        Map.of(),
        "auth.admin-token must differ from every token in auth.tokens");
  }
}
