package dev.idmint.integrations.hibernate;

import dev.idmint.integrations.IdMintClients;
import java.lang.reflect.Member;
import java.util.EnumSet;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.AnnotationBasedGenerator;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;
import org.hibernate.generator.GeneratorCreationContext;

/**
 * Hibernate's generator behind {@link MintedId}: one {@code nextId(namespace)} of the registered
 * client per inserted entity. Works with Hibernate 6.6 and 7.x.
 */
public class MintedIdGenerator
    implements BeforeExecutionGenerator, AnnotationBasedGenerator<MintedId> {
  private static final long serialVersionUID = 1L;

  private String namespace;

  /** Called by Hibernate. */
  public MintedIdGenerator() {}

  /**
   * Hibernate 7's form. No {@code @Override}, so that this class also compiles against Hibernate
   * 6.6, which does not have it.
   */
  public void initialize(MintedId annotation, GeneratorCreationContext context) {
    this.namespace = annotation.namespace();
  }

  /** Hibernate 6.6's form (abstract there; deprecated in 7, which calls it and lands above). */
  @Override
  @SuppressWarnings("removal")
  public void initialize(MintedId annotation, Member member, GeneratorCreationContext context) {
    initialize(annotation, context);
  }

  @Override
  public Object generate(
      SharedSessionContractImplementor session,
      Object owner,
      Object currentValue,
      EventType eventType) {
    return IdMintClients.get().nextId(namespace);
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
