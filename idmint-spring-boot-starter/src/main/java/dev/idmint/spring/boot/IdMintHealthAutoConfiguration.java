package dev.idmint.spring.boot;

import dev.idmint.client.IdMintClient;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With actuator on the class path and an {@link IdMintClient} bean (auto-configured or the
 * application's own), a health indicator named {@code idmint}: {@link IdMintHealthIndicator}.
 */
@AutoConfiguration(after = IdMintAutoConfiguration.class)
@ConditionalOnClass({IdMintClient.class, HealthIndicator.class})
@ConditionalOnBean(IdMintClient.class)
public class IdMintHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "idmintHealthIndicator")
  public IdMintHealthIndicator idmintHealthIndicator(IdMintClient client) {
    return new IdMintHealthIndicator(client);
  }
}
