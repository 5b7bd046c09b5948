package dev.idmint.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idmint.client.IdMintClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** DOWN when no endpoint is available, with the reason per endpoint. */
class IdMintHealthIndicatorTest {
  @Test
  void downWhenNoEndpointServes() {
    try (IdMintClient client =
        IdMintClient.builder()
            .endpoints("127.0.0.1:1")
            .deadline(Duration.ofMillis(300))
            .attemptTimeout(Duration.ofMillis(100))
            .healthCheckInterval(Duration.ofMillis(50))
            .build()) {
      IdMintHealthIndicator indicator = new IdMintHealthIndicator(client);
      try {
        client.nextId("order");
      } catch (RuntimeException expected) {
        // nothing listens on port 1: the call fails and the endpoint's state follows
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> indicator.health().getStatus().equals(Status.DOWN));
      Health health = indicator.health();
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> endpoints =
          (Map<String, Map<String, Object>>) health.getDetails().get("endpoints");
      assertThat(endpoints.get("127.0.0.1:1")).containsKey("lastFailure");
      assertThat(endpoints.get("127.0.0.1:1").get("state")).isNotEqualTo("AVAILABLE");
    }
  }
}
