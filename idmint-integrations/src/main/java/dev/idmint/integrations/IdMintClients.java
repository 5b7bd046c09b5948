package dev.idmint.integrations;

import dev.idmint.client.IdMintClient;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link IdMintClient} that framework-instantiated generators use. Hibernate and ShardingSphere
 * create their generators themselves (no constructor arguments), so the application registers its
 * one shared client here at startup, before the first entity is saved, and unregisters it when it
 * closes the client.
 */
public final class IdMintClients {
  private static final AtomicReference<IdMintClient> CLIENT = new AtomicReference<>();

  private IdMintClients() {}

  /**
   * Makes {@code client} the one generators use, replacing any registered before.
   *
   * @return the client registered before, or null
   */
  public static IdMintClient register(IdMintClient client) {
    return CLIENT.getAndSet(Objects.requireNonNull(client, "client"));
  }

  /** Forgets {@code client} if it is the registered one; returns whether it was. */
  public static boolean unregister(IdMintClient client) {
    return CLIENT.compareAndSet(client, null);
  }

  /**
   * The registered client.
   *
   * @throws IllegalStateException if none is registered
   */
  public static IdMintClient get() {
    IdMintClient client = CLIENT.get();
    if (client == null) {
      throw new IllegalStateException(
          "no IdMintClient registered: call dev.idmint.integrations.IdMintClients.register(client)"
              + " at startup, before the first ID is needed");
    }
    return client;
  }
}
