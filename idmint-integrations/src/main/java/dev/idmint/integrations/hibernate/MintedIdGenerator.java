package dev.idmint.integrations.hibernate;

import dev.idmint.client.IdMintStrategyMismatchException;
import dev.idmint.integrations.IdMintClients;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.UUID;
import org.hibernate.MappingException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.AnnotationBasedGenerator;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;
import org.hibernate.generator.GeneratorCreationContext;
import org.hibernate.id.IdentifierGenerationException;

/**
 * Hibernate's generator behind {@link MintedId}: one value of the registered client per inserted
 * entity, chosen by the Java type of the annotated id when Hibernate builds the mapping: {@code
 * long}/{@code Long} → {@code nextId} (snowflake and segment namespaces), {@link UUID} → {@code
 * nextUuid} (uuid7), {@link String} → {@code nextNumber} (pattern). Any other type is refused then,
 * with a {@link MappingException} naming the member. Works with Hibernate 6.6 and 7.x.
 *
 * <p>Whether the namespace's strategy fits the type is known only when a node answers, so a
 * mismatch (a {@code UUID} id on a snowflake namespace) fails the first insert with an {@link
 * IdentifierGenerationException} that names the entity's member, the namespace's strategy and the
 * type that would fit; nothing is inserted and no made-up value is used.
 */
public class MintedIdGenerator
    implements BeforeExecutionGenerator, AnnotationBasedGenerator<MintedId> {
  private static final long serialVersionUID = 1L;

  /** What the annotated id holds, and so which client method fills it. */
  enum Target {
    LONG("long/Long", "a snowflake or segment"),
    UUID("java.util.UUID", "a uuid7"),
    NUMBER("String", "a pattern");

    final String type;
    final String strategy;

    Target(String type, String strategy) {
      this.type = type;
      this.strategy = strategy;
    }
  }

  private String namespace;
  private Target target = Target.LONG;
  private String member = "?";

  /** Called by Hibernate. */
  public MintedIdGenerator() {}

  /**
   * Hibernate 7's form. No {@code @Override}, so that this class also compiles against Hibernate
   * 6.6, which does not have it (nor {@code getMemberDetails}; 6.6 never calls this method).
   */
  public void initialize(MintedId annotation, GeneratorCreationContext context) {
    initialize(annotation, context.getMemberDetails().toJavaMember(), context);
  }

  /** Hibernate 6.6's form (abstract there; deprecated in 7, where the form above calls it). */
  @Override
  @SuppressWarnings("removal")
  public void initialize(MintedId annotation, Member member, GeneratorCreationContext context) {
    this.namespace = annotation.namespace();
    this.member = member.getDeclaringClass().getSimpleName() + "." + member.getName();
    this.target = target(member);
  }

  private Target target(Member m) {
    Class<?> type =
        m instanceof Field f
            ? f.getType()
            : m instanceof Method method ? method.getReturnType() : Object.class;
    if (type == long.class || type == Long.class) {
      return Target.LONG;
    }
    if (type == UUID.class) {
      return Target.UUID;
    }
    if (type == String.class) {
      return Target.NUMBER;
    }
    throw new MappingException(
        "@MintedId(namespace = \""
            + namespace
            + "\") on "
            + member
            + ": an id of type "
            + type.getName()
            + " cannot hold an idmint ID; use long/Long (snowflake or segment namespace),"
            + " java.util.UUID (uuid7) or String (pattern)");
  }

  @Override
  public Object generate(
      SharedSessionContractImplementor session,
      Object owner,
      Object currentValue,
      EventType eventType) {
    try {
      return switch (target) {
        case LONG -> IdMintClients.get().nextId(namespace);
        case UUID -> IdMintClients.get().nextUuid(namespace);
        case NUMBER -> IdMintClients.get().nextNumber(namespace);
      };
    } catch (IdMintStrategyMismatchException e) {
      throw new IdentifierGenerationException(
          "@MintedId(namespace = \""
              + namespace
              + "\") on "
              + member
              + " ("
              + target.type
              + ") needs "
              + target.strategy
              + " namespace, but "
              + namespace
              + " is a "
              + e.strategy()
              + " namespace: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public EnumSet<EventType> getEventTypes() {
    return EnumSet.of(EventType.INSERT);
  }

  /** The namespace from the annotation. */
  public String namespace() {
    return namespace;
  }
}
