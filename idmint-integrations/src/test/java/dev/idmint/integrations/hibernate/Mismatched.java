package dev.idmint.integrations.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** Entities whose id type does not fit the namespace, or any namespace. */
final class Mismatched {
  private Mismatched() {}

  /** A UUID id on a snowflake namespace. */
  @Entity(name = "UuidOnSnowflake")
  @Table(name = "uuid_on_snowflake")
  public static class UuidOnSnowflake {
    @Id
    @MintedId(namespace = "ticket")
    private UUID id;
  }

  /** A Long id on a uuid7 namespace. */
  @Entity(name = "LongOnUuid7")
  @Table(name = "long_on_uuid7")
  public static class LongOnUuid7 {
    @Id
    @MintedId(namespace = "evt")
    private Long id;
  }

  /** An id type no idmint ID fits. */
  @Entity(name = "IntegerId")
  @Table(name = "integer_id")
  public static class IntegerId {
    @Id
    @MintedId(namespace = "order")
    private Integer id;
  }
}
