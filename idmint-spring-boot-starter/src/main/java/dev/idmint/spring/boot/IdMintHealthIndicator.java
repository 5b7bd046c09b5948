package dev.idmint.spring.boot;

import dev.idmint.client.EndpointHealth;
import dev.idmint.client.IdMintClient;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Spring Boot 3's indicator: UP while the client counts at least one endpoint {@link
 * EndpointHealth.State#AVAILABLE}, DOWN otherwise; details hold each endpoint's state, consecutive
 * failures and last failure as {@link IdMintClient#endpoints()} reports them. It makes no call of
 * its own. Before the client's first call (when no probe has run yet) endpoints count as available.
 * Boot 4 uses {@link IdMintBoot4HealthIndicator}, which reports the same.
 */
public class IdMintHealthIndicator implements HealthIndicator {
  private final IdMintClient client;

  public IdMintHealthIndicator(IdMintClient client) {
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
