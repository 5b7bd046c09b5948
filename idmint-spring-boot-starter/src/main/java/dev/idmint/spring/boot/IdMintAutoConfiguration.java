package dev.idmint.spring.boot;

import dev.idmint.client.IdMintClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * An {@link IdMintClient} built from {@code idmint.client.*} when {@code idmint.client.endpoints}
 * is set and the application defines no client of its own, closed with the context ({@link
 * IdMintHealthAutoConfiguration} adds the health indicator). An invalid property fails startup with
 * the client's {@code IdMintConfigurationException}, which lists every problem.
 */
@AutoConfiguration
@ConditionalOnClass(IdMintClient.class)
@EnableConfigurationProperties(IdMintClientProperties.class)
public class IdMintAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @Conditional(OnEndpointsCondition.class)
  public IdMintClient idMintClient(IdMintClientProperties properties) {
    return properties.applyTo(IdMintClient.builder()).build();
  }
}
