package dev.idmint.spring.boot;

import dev.idmint.client.EndpointHealth;
import dev.idmint.client.IdMintClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * UP while the client counts at least one endpoint {@link EndpointHealth.State#AVAILABLE}, DOWN
 * otherwise; details hold each endpoint's state, consecutive failures and last failure as {@link
 * IdMintClient#endpoints()} reports them. It makes no call of its own. Before the client's first
 * call (when no probe has run yet) endpoints count as available.
 */
public class IdMintHealthIndicator implements HealthIndicator {
  private final IdMintClient client;

  public IdMintHealthIndicator(IdMintClient client) {
    this.client = client;
  }

  @Override
  public Health health() {
    List<EndpointHealth> endpoints = client.endpoints();
    Map<String, Object> details = new LinkedHashMap<>();
    boolean anyAvailable = false;
    for (EndpointHealth endpoint : endpoints) {
      anyAvailable |= endpoint.state() == EndpointHealth.State.AVAILABLE;
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("state", endpoint.state().name());
      detail.put("consecutiveFailures", endpoint.consecutiveFailures());
      if (endpoint.lastFailure() != null) {
        detail.put("lastFailure", endpoint.lastFailure());
      }
      details.put(endpoint.endpoint(), detail);
    }
    return (anyAvailable ? Health.up() : Health.down()).withDetail("endpoints", details).build();
  }
}
