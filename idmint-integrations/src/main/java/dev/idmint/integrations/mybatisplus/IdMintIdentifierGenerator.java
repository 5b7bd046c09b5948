package dev.idmint.integrations.mybatisplus;

import com.baomidou.mybatisplus.core.incrementer.IdentifierGenerator;
import dev.idmint.client.IdMintClient;
import java.util.Objects;
import java.util.function.Function;

/**
 * MyBatis-Plus {@link IdentifierGenerator} backed by idmint: entities whose id is {@code
 * IdType.ASSIGN_ID} get {@code nextId(namespace)}. Register it in MyBatis-Plus's {@code
 * GlobalConfig.setIdentifierGenerator(...)} (with the Spring Boot starter: expose it as a bean).
 */
public final class IdMintIdentifierGenerator implements IdentifierGenerator {
  private final IdMintClient client;
  private final Function<Object, String> namespaceOf;

  /** All entities take their IDs from {@code namespace}. */
  public IdMintIdentifierGenerator(IdMintClient client, String namespace) {
    this(client, constant(namespace));
  }

  /** Each entity takes its ID from the namespace {@code namespaceOf} returns for it. */
  public IdMintIdentifierGenerator(IdMintClient client, Function<Object, String> namespaceOf) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespaceOf = Objects.requireNonNull(namespaceOf, "namespaceOf");
  }

  private static Function<Object, String> constant(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return entity -> namespace;
  }

  @Override
  public Long nextId(Object entity) {
    return client.nextId(namespaceOf.apply(entity));
  }
}
