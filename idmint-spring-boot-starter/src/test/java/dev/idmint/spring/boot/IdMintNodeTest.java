package dev.idmint.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.IdMintClients;
import dev.idmint.server.testing.InJvmNode;
import dev.idmint.server.testing.InJvmNodeExtension;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configured client against one real idmint node (embedded H2) in this JVM. */
class IdMintNodeTest {
  @RegisterExtension
  static final InJvmNodeExtension node = InJvmNodeExtension.withYaml(InJvmNode.ORDER_AND_INVOICE);

  @Test
  void theAutoConfiguredClientMintsUniqueIdsAndIsHealthy() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                IdMintAutoConfiguration.class,
                IdMintHealthAutoConfiguration.class,
                IdMintIntegrationsAutoConfiguration.class))
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
              Set<Long> ids = new HashSet<>();
              for (int i = 0; i < 50_000; i++) {
                assertThat(ids.add(client.nextId("order"))).isTrue();
              }
              for (long id : client.nextIds("invoice", 20_000)) {
                assertThat(ids.add(id)).isTrue();
              }
              // What @MintedId and the IDMINT key generator call, with no registration by hand.
              for (int i = 0; i < 10_000; i++) {
                assertThat(ids.add(IdMintClients.get().nextId("order"))).isTrue();
              }
              assertThat(ids).hasSize(80_000).allMatch(id -> id > 0);

              Health health = context.getBean(IdMintHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsKey("endpoints");
              @SuppressWarnings("unchecked")
              Map<String, Map<String, Object>> endpoints =
                  (Map<String, Map<String, Object>>) health.getDetails().get("endpoints");
              assertThat(endpoints.get("127.0.0.1:" + node.port()))
                  .containsEntry("state", "AVAILABLE")
                  .containsEntry("consecutiveFailures", 0);
            });
  }
}
