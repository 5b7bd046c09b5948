package dev.idmint.spring.boot;

import dev.idmint.client.IdMintClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 4's health indicator named {@code idmint}: {@link IdMintBoot4HealthIndicator}, when
 * Boot 4's {@code spring-boot-health} is on the class path (actuator brings it) and there is an
 * {@link IdMintClient} bean. The class names are strings so that Boot 3.5, where these types do not
 * exist, skips this configuration without loading it; there {@link IdMintHealthAutoConfiguration}
 * applies instead, and on Boot 4 that one does not match.
 */
@AutoConfiguration(after = IdMintAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "dev.idmint.client.IdMintClient",
      "org.springframework.boot.health.contributor.HealthIndicator",
      "org.springframework.boot.health.contributor.Health"
    })
@ConditionalOnBean(IdMintClient.class)
public class IdMintBoot4HealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "idmintHealthIndicator")
  public IdMintBoot4HealthIndicator idmintHealthIndicator(IdMintClient client) {
    return new IdMintBoot4HealthIndicator(client);
  }
}
