package dev.idmint.spring.boot;

import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.IdMintClients;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Puts the context's {@link IdMintClient} into {@link IdMintClients} for the generators that
 * Hibernate and ShardingSphere create themselves ({@link IdMintClientsRegistrar}); {@code
 * idmint.client.static-holder=false} turns this off.
 */
@AutoConfiguration(before = IdMintAutoConfiguration.class)
@ConditionalOnClass({IdMintClient.class, IdMintClients.class})
@ConditionalOnProperty(
    prefix = "idmint.client",
    name = "static-holder",
    havingValue = "true",
    matchIfMissing = true)
public class IdMintIntegrationsAutoConfiguration {

  /** Static, so that it exists before any bean it must see, and without this configuration. */
  @Bean
  static BeanPostProcessor idmintClientsRegistrar() {
    return new IdMintClientsRegistrar();
  }
}
