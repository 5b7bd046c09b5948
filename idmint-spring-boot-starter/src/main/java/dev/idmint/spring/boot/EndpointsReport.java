package dev.idmint.spring.boot;

import dev.idmint.client.EndpointHealth;
import dev.idmint.client.IdMintClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What both health indicators report (Boot 3's {@link IdMintHealthIndicator}, Boot 4's {@link
 * IdMintBoot4HealthIndicator}): whether the client counts at least one endpoint {@link
 * EndpointHealth.State#AVAILABLE}, and per endpoint its state, consecutive failures and last
 * failure, as {@link IdMintClient#endpoints()} reports them. It makes no call of its own.
 */
record EndpointsReport(boolean up, Map<String, Object> endpoints) {

  static EndpointsReport of(IdMintClient client) {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean anyAvailable = false;
    for (EndpointHealth endpoint : client.endpoints()) {
      anyAvailable |= endpoint.state() == EndpointHealth.State.AVAILABLE;
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("state", endpoint.state().name());
      detail.put("consecutiveFailures", endpoint.consecutiveFailures());
      if (endpoint.lastFailure() != null) {
        detail.put("lastFailure", endpoint.lastFailure());
      }
      details.put(endpoint.endpoint(), detail);
    }
    return new EndpointsReport(anyAvailable, details);
  }
}
