package dev.idmint.spring.boot;

import dev.idmint.client.IdMintClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Spring Boot 4's indicator ({@code org.springframework.boot.health.contributor}, module {@code
 * spring-boot-health}): the same report as Boot 3's {@link IdMintHealthIndicator}, UP while the
 * client counts at least one endpoint available, DOWN otherwise, with every endpoint's state,
 * consecutive failures and last failure in the details.
 */
public class IdMintBoot4HealthIndicator implements HealthIndicator {
  private final IdMintClient client;

  public IdMintBoot4HealthIndicator(IdMintClient client) {
    this.client = client;
  }

  @Override
  public Health health() {
    EndpointsReport report = EndpointsReport.of(client);
    return (report.up() ? Health.up() : Health.down())
        .withDetail("endpoints", report.endpoints())
        .build();
  }
}
