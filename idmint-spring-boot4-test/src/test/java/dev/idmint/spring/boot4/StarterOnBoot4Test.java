package dev.idmint.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.IdMintClients;
import dev.idmint.integrations.jackson.PublicId;
import dev.idmint.integrations.jackson.PublicIdModule;
import dev.idmint.integrations.publicid.PublicIdCodecs;
import dev.idmint.server.testing.InJvmNode;
import dev.idmint.server.testing.InJvmNodeExtension;
import dev.idmint.spring.boot.IdMintBoot4HealthIndicator;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * idmint-spring-boot-starter (built against Boot 3.5) in a Spring Boot 4 context, against one real
 * idmint node (embedded H2 in a temporary directory, port 0) in this JVM. The starter's
 * auto-configurations are found the way an application finds them: {@code @EnableAutoConfiguration}
 * reads its {@code AutoConfiguration.imports}, beside Boot 4's own (spring-boot-health's health
 * registry among them).
 */
class StarterOnBoot4Test {
  // Test key only.
  static final String KEY_1 = "2b7e151628aed2a6abf7158809cf4f3c";

  @RegisterExtension
  static final InJvmNodeExtension node = InJvmNodeExtension.withYaml(InJvmNode.ORDER_AND_INVOICE);

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Application.class);

  @Test
  void thisIsABoot4ClassPath() {
    assertThat(SpringBootVersion.getVersion()).startsWith("4.");
    // Boot 3's health type is gone, so the starter's Boot 3 indicator cannot be what is tested.
    assertThatThrownBy(
            () -> Class.forName("org.springframework.boot.actuate.health.HealthIndicator"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theClientMintsIdsFillsIdMintClientsAndIsUp() {
    IdMintClient[] seen = new IdMintClient[1];
    runner
        .withPropertyValues(
            "idmint.client.endpoints[0]=127.0.0.1:" + node.port(),
            // The first call opens the connection; generous on a loaded 2-core CI machine.
            "idmint.client.deadline=10s",
            "idmint.client.attempt-timeout=5s",
            "idmint.client.prefetch-buffer.min-ids=100",
            "idmint.client.prefetch-buffer.max-ids=5000")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              IdMintClient client = context.getBean(IdMintClient.class);
              seen[0] = client;
              Set<Long> ids = new HashSet<>();
              for (int i = 0; i < 20_000; i++) {
                assertThat(ids.add(client.nextId("order"))).isTrue();
              }
              for (long id : client.nextIds("invoice", 5_000)) {
                assertThat(ids.add(id)).isTrue();
              }
              // What @MintedId and the IDMINT key generator call: registered by the starter.
              assertThat(IdMintClients.get()).isSameAs(client);
              for (int i = 0; i < 5_000; i++) {
                assertThat(ids.add(IdMintClients.get().nextId("order"))).isTrue();
              }
              assertThat(ids).hasSize(30_000).allMatch(id -> id > 0);

              // Boot 4's registry holds the starter's indicator under the name "idmint".
              HealthContributor contributor =
                  context.getBean(HealthContributorRegistry.class).getContributor("idmint");
              assertThat(contributor).isInstanceOf(IdMintBoot4HealthIndicator.class);
              assertThat(context).hasSingleBean(IdMintBoot4HealthIndicator.class);
              Health health = ((IdMintBoot4HealthIndicator) contributor).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              @SuppressWarnings("unchecked")
              Map<String, Map<String, Object>> endpoints =
                  (Map<String, Map<String, Object>>) health.getDetails().get("endpoints");
              assertThat(endpoints.get("127.0.0.1:" + node.port()))
                  .containsEntry("state", "AVAILABLE")
                  .containsEntry("consecutiveFailures", 0);
            });
    assertThatThrownBy(() -> seen[0].nextId("order"))
        .as("closed with the context")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(IdMintClients::get)
        .as("unregistered before it was closed")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void downWithTheReasonWhenNoNodeAnswers() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String endpoint = "127.0.0.1:" + closedPort;
    runner
        .withPropertyValues(
            "idmint.client.endpoints[0]=" + endpoint,
            "idmint.client.deadline=300ms",
            "idmint.client.attempt-timeout=100ms",
            "idmint.client.health-check-interval=50ms")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              IdMintClient client = context.getBean(IdMintClient.class);
              assertThatThrownBy(() -> client.nextId("order"))
                  .as("no made-up ID when nothing answers")
                  .isInstanceOf(RuntimeException.class);
              IdMintBoot4HealthIndicator indicator =
                  (IdMintBoot4HealthIndicator)
                      context.getBean(HealthContributorRegistry.class).getContributor("idmint");
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> indicator.health().getStatus().equals(Status.DOWN));
              @SuppressWarnings("unchecked")
              Map<String, Map<String, Object>> endpoints =
                  (Map<String, Map<String, Object>>)
                      indicator.health().getDetails().get("endpoints");
              assertThat(endpoints.get(endpoint).get("state")).isNotEqualTo("AVAILABLE");
              assertThat(endpoints.get(endpoint).get("lastFailure")).asString().isNotBlank();
            });
  }

  @Test
  void withoutEndpointsNoClientAndNoIndicator() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(IdMintClient.class);
          assertThat(context).doesNotHaveBean("idmintHealthIndicator");
          assertThat(context.getBean(HealthContributorRegistry.class).getContributor("idmint"))
              .isNull();
        });
  }

  public record OrderView(@PublicId(namespace = "order") long id, String item) {}

  /**
   * Boot 4 auto-configures a Jackson 3 mapper (not on this class path); the starter's {@code
   * PublicIdModule} is a Jackson 2 module, configured whenever Jackson 2 is present, and works on a
   * Jackson 2 {@code ObjectMapper}.
   */
  @Test
  void publicIdJsonWithJackson2() {
    runner
        .withPropertyValues(
            "idmint.client.public-ids.order.prefix=ord",
            "idmint.client.public-ids.order.current=1",
            "idmint.client.public-ids.order.keys.1=" + KEY_1)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              PublicIdCodecs codecs = context.getBean(PublicIdCodecs.class);
              ObjectMapper mapper =
                  new ObjectMapper().registerModule(context.getBean(PublicIdModule.class));
              OrderView view = new OrderView(4_242_424_242L, "tea");
              String json = mapper.writeValueAsString(view);
              assertThat(json)
                  .isEqualTo(
                      "{\"id\":\"" + codecs.encode("order", view.id()) + "\",\"item\":\"tea\"}")
                  .startsWith("{\"id\":\"ord_1")
                  .doesNotContain("4242424242");
              assertThat(mapper.readValue(json, OrderView.class)).isEqualTo(view);
            });
  }
}
