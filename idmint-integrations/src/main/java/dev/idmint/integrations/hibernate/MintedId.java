package dev.idmint.integrations.hibernate;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.hibernate.annotations.IdGeneratorType;

/**
 * The annotated {@code @Id} (a field or getter) gets a new ID of {@link #namespace()} from idmint
 * when the entity is persisted, through the client registered with {@link
 * dev.idmint.integrations.IdMintClients#register}. The id's type says which kind: {@code
 * long}/{@code Long} for a snowflake or segment namespace, {@link java.util.UUID} for a uuid7
 * namespace (a {@code uuid} column on PostgreSQL), {@link String} for a pattern namespace's
 * business numbers. Another type fails when Hibernate builds the mapping; a namespace of the wrong
 * strategy fails the first insert (see {@link MintedIdGenerator}).
 *
 * <pre>{@code
 * @Entity
 * class Order {
 *   @Id @MintedId(namespace = "order") Long id;
 * }
 *
 * @Entity
 * class Event {
 *   @Id @MintedId(namespace = "evt") UUID id;     // strategy: uuid7
 * }
 *
 * @Entity
 * class Invoice {
 *   @Id @MintedId(namespace = "inv") String number; // strategy: pattern
 * }
 * }</pre>
 */
@IdGeneratorType(MintedIdGenerator.class)
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface MintedId {
  /** The idmint namespace the IDs come from, e.g. {@code "order"}. */
  String namespace();
}
