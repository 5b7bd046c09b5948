package dev.idmint.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idmint.client.IdMintClient;
import dev.idmint.client.IdMintClientBuilder;
import dev.idmint.client.IdMintConfigurationException;
import dev.idmint.client.TlsOptions;
import dev.idmint.integrations.IdMintClients;
import dev.idmint.testkit.TestCertificates;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration without a node: binding, conditions, lifecycle and failures. */
class IdMintAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  IdMintAutoConfiguration.class,
                  IdMintHealthAutoConfiguration.class,
                  IdMintIntegrationsAutoConfiguration.class));

  @Test
  void everyPropertyBinds() {
    runner
        .withPropertyValues(
            "idmint.client.endpoints=idmint-1:7070,idmint-2:7070",
            "idmint.client.token=secret-token",
            "idmint.client.tls=true",
            "idmint.client.deadline=3s",
            "idmint.client.attempt-timeout=250ms",
            "idmint.client.max-batch-size=5000",
            "idmint.client.prefetch=false",
            "idmint.client.prefetch-buffer.min-ids=10",
            "idmint.client.prefetch-buffer.max-ids=20",
            "idmint.client.prefetch-ahead=5s",
            "idmint.client.failure-threshold=7",
            "idmint.client.set-aside.initial=2s",
            "idmint.client.set-aside.max=1m",
            "idmint.client.health-checks=false",
            "idmint.client.health-check-interval=10s",
            "idmint.client.static-holder=false")
        .run(
            context -> {
              IdMintClientProperties p = context.getBean(IdMintClientProperties.class);
              assertThat(p.getEndpoints()).containsExactly("idmint-1:7070", "idmint-2:7070");
              assertThat(p.getToken()).isEqualTo("secret-token");
              assertThat(p.isTls()).isTrue();
              assertThat(p.getDeadline()).isEqualTo(Duration.ofSeconds(3));
              assertThat(p.getAttemptTimeout()).isEqualTo(Duration.ofMillis(250));
              assertThat(p.getMaxBatchSize()).isEqualTo(5000);
              assertThat(p.isPrefetch()).isFalse();
              assertThat(p.getPrefetchBuffer().getMinIds()).isEqualTo(10);
              assertThat(p.getPrefetchBuffer().getMaxIds()).isEqualTo(20);
              assertThat(p.getPrefetchAhead()).isEqualTo(Duration.ofSeconds(5));
              assertThat(p.getFailureThreshold()).isEqualTo(7);
              assertThat(p.getSetAside().getInitial()).isEqualTo(Duration.ofSeconds(2));
              assertThat(p.getSetAside().getMax()).isEqualTo(Duration.ofMinutes(1));
              assertThat(p.isHealthChecks()).isFalse();
              assertThat(p.getHealthCheckInterval()).isEqualTo(Duration.ofSeconds(10));
              assertThat(p.isStaticHolder()).isFalse();
              assertThat(context).hasSingleBean(IdMintClient.class);
            });
  }

  @Test
  void defaultsAreTheClientsOwnAndTheMetadataSaysSo() throws Exception {
    IdMintClientProperties p = new IdMintClientProperties();
    assertThat(p.getDeadline()).isEqualTo(IdMintClientBuilder.DEFAULT_DEADLINE);
    assertThat(p.getAttemptTimeout()).isEqualTo(IdMintClientBuilder.DEFAULT_ATTEMPT_TIMEOUT);
    assertThat(p.getPrefetchAhead()).isEqualTo(IdMintClientBuilder.DEFAULT_PREFETCH_AHEAD);
    assertThat(p.getHealthCheckInterval())
        .isEqualTo(IdMintClientBuilder.DEFAULT_HEALTH_CHECK_INTERVAL);

    Map<String, Object> expected = new HashMap<>();
    expected.put("idmint.client.tls", false);
    expected.put("idmint.client.deadline", IdMintClientBuilder.DEFAULT_DEADLINE);
    expected.put("idmint.client.attempt-timeout", IdMintClientBuilder.DEFAULT_ATTEMPT_TIMEOUT);
    expected.put("idmint.client.max-batch-size", IdMintClientBuilder.DEFAULT_MAX_BATCH_SIZE);
    expected.put("idmint.client.prefetch", true);
    expected.put(
        "idmint.client.prefetch-buffer.min-ids", IdMintClientBuilder.DEFAULT_PREFETCH_MIN_IDS);
    expected.put(
        "idmint.client.prefetch-buffer.max-ids", IdMintClientBuilder.DEFAULT_PREFETCH_MAX_IDS);
    expected.put("idmint.client.prefetch-ahead", IdMintClientBuilder.DEFAULT_PREFETCH_AHEAD);
    expected.put("idmint.client.failure-threshold", IdMintClientBuilder.DEFAULT_FAILURE_THRESHOLD);
    expected.put("idmint.client.set-aside.initial", IdMintClientBuilder.DEFAULT_SET_ASIDE);
    expected.put("idmint.client.set-aside.max", IdMintClientBuilder.DEFAULT_SET_ASIDE_MAX);
    expected.put("idmint.client.health-checks", true);
    expected.put(
        "idmint.client.health-check-interval", IdMintClientBuilder.DEFAULT_HEALTH_CHECK_INTERVAL);
    expected.put("idmint.client.static-holder", true);

    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated configuration metadata").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, JsonNode> byName = new HashMap<>();
    metadata.path("properties").forEach(node -> byName.put(node.path("name").asText(), node));
    assertThat(byName).containsKeys("idmint.client.endpoints", "idmint.client.token");
    assertThat(byName.get("idmint.client.endpoints").path("description").asText()).isNotBlank();
    expected.forEach(
        (name, value) -> {
          JsonNode node = byName.get(name);
          assertThat(node).as(name).isNotNull();
          assertThat(node.path("description").asText()).as(name + " description").isNotBlank();
          JsonNode defaultValue = node.path("defaultValue");
          if (value instanceof Duration duration) {
            assertThat(
                    org.springframework.boot.convert.DurationStyle.detectAndParse(
                        defaultValue.asText()))
                .as(name)
                .isEqualTo(duration);
          } else if (value instanceof Boolean bool) {
            assertThat(defaultValue.asBoolean()).as(name).isEqualTo(bool);
          } else {
            assertThat(defaultValue.asInt()).as(name).isEqualTo(value);
          }
        });
  }

  @Test
  void theClientIsCreatedAndClosedWithTheContext() {
    IdMintClient[] seen = new IdMintClient[1];
    runner
        .withPropertyValues("idmint.client.endpoints[0]=127.0.0.1:1")
        .run(
            context -> {
              assertThat(context).hasSingleBean(IdMintClient.class);
              assertThat(context).hasSingleBean(IdMintHealthIndicator.class);
              assertThat(context).hasBean("idmintHealthIndicator");
              seen[0] = context.getBean(IdMintClient.class);
            });
    assertThatThrownBy(() -> seen[0].nextId("order"))
        .as("closed with the context")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onBoot35TheBoot4IndicatorBacksOffAndBoot3sIsTheOne() {
    // This module's tests run without spring-boot-health (surefire excludes it), as Boot 3.5 does.
    assertThatThrownBy(
            () -> Class.forName("org.springframework.boot.health.contributor.HealthIndicator"))
        .isInstanceOf(ClassNotFoundException.class);
    runner
        .withConfiguration(AutoConfigurations.of(IdMintBoot4HealthAutoConfiguration.class))
        .withPropertyValues("idmint.client.endpoints[0]=127.0.0.1:1")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean("idmintHealthIndicator"))
                  .isExactlyInstanceOf(IdMintHealthIndicator.class);
              assertThat(context.getBeanNamesForType(HealthIndicator.class))
                  .containsExactly("idmintHealthIndicator");
            });
  }

  @Test
  void theClientIsInTheStaticHolderWhileTheContextRuns() {
    IdMintClient[] seen = new IdMintClient[1];
    runner
        .withPropertyValues("idmint.client.endpoints=127.0.0.1:1")
        .run(
            context -> {
              seen[0] = context.getBean(IdMintClient.class);
              assertThat(IdMintClients.get()).isSameAs(seen[0]);
            });
    assertThatThrownBy(IdMintClients::get)
        .as("unregistered when the context closes")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no IdMintClient registered");
  }

  @Test
  void theUsersOwnClientGoesIntoTheStaticHolderToo() {
    runner
        .withUserConfiguration(UserClient.class)
        .run(context -> assertThat(IdMintClients.get()).isSameAs(context.getBean("myClient")));
    assertThatThrownBy(IdMintClients::get).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theStaticHolderCanBeLeftAlone() {
    runner
        .withPropertyValues(
            "idmint.client.endpoints=127.0.0.1:1", "idmint.client.static-holder=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(IdMintClient.class);
              assertThatThrownBy(IdMintClients::get).isInstanceOf(IllegalStateException.class);
            });
  }

  @Test
  void twoClientsAndTheStaticHolderFailStartupSayingWhy() {
    runner
        .withUserConfiguration(UserClient.class, SecondClient.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining("two IdMintClient beans, 'myClient' and 'otherClient'")
                  .hasStackTraceContaining("idmint.client.static-holder=false");
            });
    assertThatThrownBy(IdMintClients::get).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theUsersOwnClientWins() {
    runner
        .withPropertyValues("idmint.client.endpoints=127.0.0.1:1")
        .withUserConfiguration(UserClient.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(IdMintClient.class);
              assertThat(context.getBean(IdMintClient.class)).isSameAs(context.getBean("myClient"));
              assertThat(context).hasSingleBean(IdMintHealthIndicator.class);
            });
  }

  @Test
  void noEndpointsNoClient() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(IdMintClient.class);
          assertThat(context).doesNotHaveBean(IdMintHealthIndicator.class);
        });
    runner
        .withPropertyValues("idmint.client.endpoints=")
        .run(context -> assertThat(context).doesNotHaveBean(IdMintClient.class));
  }

  @Test
  void withoutActuatorNoHealthIndicator() {
    runner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .withPropertyValues("idmint.client.endpoints=127.0.0.1:1")
        .run(
            context -> {
              assertThat(context).hasSingleBean(IdMintClient.class);
              assertThat(context).doesNotHaveBean(IdMintHealthIndicator.class);
            });
  }

  @Test
  void badValuesFailStartupWithTheClientsMessage() {
    runner
        .withPropertyValues(
            "idmint.client.endpoints=no-port,127.0.0.1:7070",
            "idmint.client.deadline=100ms",
            "idmint.client.attempt-timeout=1s",
            "idmint.client.prefetch-buffer.min-ids=0")
        .run(
            context -> {
              IdMintConfigurationException e = configurationFailure(context.getStartupFailure());
              assertThat(e.problems())
                  .containsExactlyInAnyOrder(
                      "endpoints[0] must be host:port with a port in [1, 65535]: \"no-port\"",
                      "attemptTimeout must not exceed deadline: attemptTimeout=1000ms,"
                          + " deadline=100ms",
                      "prefetchBuffer minIds must be in [1, 100000000]: minIds=0");
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining("invalid idmint client configuration (3 problems)");
            });
  }

  @Test
  void theTlsFilesMapOntoTlsOptionsAndTurnTlsOn(@org.junit.jupiter.api.io.TempDir Path dir) {
    IdMintClientProperties defaults = new IdMintClientProperties();
    assertThat(defaults.tlsOptions()).isNull();
    defaults.setTls(true);
    assertThat(defaults.tlsOptions()).isSameAs(TlsOptions.jvmTrustStore());

    TestCertificates.Authority ca = TestCertificates.authority("starter CA");
    Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    TestCertificates.Issued app = ca.client(dir, "app", "order-service");
    runner
        .withPropertyValues(
            "idmint.client.endpoints=127.0.0.1:7070",
            "idmint.client.tls-trusted-certificates=" + caFile,
            "idmint.client.tls-client-certificate=" + app.certFile(),
            "idmint.client.tls-client-key=" + app.keyFile())
        .run(
            context -> {
              IdMintClientProperties p = context.getBean(IdMintClientProperties.class);
              assertThat(p.isTls()).isFalse();
              TlsOptions tls = p.tlsOptions();
              assertThat(tls.trustedCertificates()).isEqualTo(caFile);
              assertThat(tls.clientCertificate()).isEqualTo(app.certFile());
              assertThat(tls.clientKey()).isEqualTo(app.keyFile());
              assertThat(context).hasSingleBean(IdMintClient.class);
              assertThat(context.getBean(IdMintClient.class).toString())
                  .contains("tls=TlsOptions[trust=" + caFile);
            });
  }

  @Test
  void tlsFilesThatDoNotLoadFailStartupNamingTheFile() {
    runner
        .withPropertyValues(
            "idmint.client.endpoints=127.0.0.1:7070",
            "idmint.client.tls-trusted-certificates=/nonexistent/idmint-ca.pem",
            "idmint.client.tls-client-certificate=/nonexistent/app.crt")
        .run(
            context -> {
              assertThat(configurationFailure(context.getStartupFailure()).problems())
                  .containsExactly(
                      "tls trustedCertificates file not found: /nonexistent/idmint-ca.pem",
                      "tls clientCertificate needs both a certificate file and a key file");
            });
  }

  /** The client's own exception inside a failed context's startup failure. */
  private static IdMintConfigurationException configurationFailure(Throwable failure) {
    assertThat(failure).as("the context should have failed").isNotNull();
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof IdMintConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).isInstanceOf(IdMintConfigurationException.class);
    return (IdMintConfigurationException) cause;
  }

  @Configuration(proxyBeanMethods = false)
  static class SecondClient {
    @Bean(destroyMethod = "close")
    IdMintClient otherClient() {
      return IdMintClient.builder().endpoints("127.0.0.1:3").build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserClient {
    @Bean(destroyMethod = "close")
    IdMintClient myClient() {
      return IdMintClient.builder().endpoints("127.0.0.1:2").build();
    }
  }
}
