package dev.idmint.integrations.hibernate;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.hibernate.annotations.IdGeneratorType;

/**
 * The annotated {@code @Id} (a {@code long}/{@code Long} field or getter) gets a new ID of {@link
 * #namespace()} from idmint when the entity is persisted, through the client registered with {@link
 * dev.idmint.integrations.IdMintClients#register}.
 *
 * <pre>{@code
 * @Entity
 * class Order {
 *   @Id @MintedId(namespace = "order") Long id;
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
