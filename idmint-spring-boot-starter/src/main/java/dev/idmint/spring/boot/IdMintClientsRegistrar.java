package dev.idmint.spring.boot;

import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.IdMintClients;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;

/**
 * Registers the context's {@link IdMintClient} bean in {@link IdMintClients} once it is
 * initialised, and unregisters it just before it is closed, so that generators the frameworks
 * create themselves ({@code @MintedId}, ShardingSphere's {@code IDMINT}) use it with no code in the
 * application. Any {@code IdMintClient} bean counts: the auto-configured one or the application's
 * own.
 *
 * <p>{@link IdMintClients} holds one client per JVM, so a context with two {@code IdMintClient}
 * beans fails to start, saying so; such an application sets {@code
 * idmint.client.static-holder=false} and registers the one it means itself. Of two contexts in one
 * JVM (as cached test contexts are), the one started last is registered; when it closes, the holder
 * is empty again.
 */
final class IdMintClientsRegistrar implements DestructionAwareBeanPostProcessor {
  private String registeredBeanName;

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof IdMintClient client) {
      synchronized (this) {
        if (registeredBeanName != null && !registeredBeanName.equals(beanName)) {
          throw new IllegalStateException(
              "two IdMintClient beans, '"
                  + registeredBeanName
                  + "' and '"
                  + beanName
                  + "', but IdMintClients (used by @MintedId and the IDMINT key generator) holds"
                  + " one: set idmint.client.static-holder=false and call"
                  + " IdMintClients.register(client) with the one they should use");
        }
        registeredBeanName = beanName;
      }
      IdMintClients.register(client);
    }
    return bean;
  }

  @Override
  public void postProcessBeforeDestruction(Object bean, String beanName) {
    if (bean instanceof IdMintClient client) {
      IdMintClients.unregister(client);
    }
  }

  @Override
  public boolean requiresDestruction(Object bean) {
    return bean instanceof IdMintClient;
  }
}
