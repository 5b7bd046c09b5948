package dev.idmint.integrations.jackson;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.integrations.publicid.PublicIdCodecs;

/**
 * Gives every {@link PublicId} member the (de)serializer of its namespace's codec. Inserted ahead
 * of Jackson's own introspector, so these take precedence over {@link Unregistered}'s.
 *
 * <p>Failures are {@link IllegalArgumentException}s, which Jackson turns into an {@code
 * InvalidDefinitionException} naming the type.
 */
final class PublicIdIntrospector extends NopAnnotationIntrospector {
  private static final long serialVersionUID = 1L;

  private final transient PublicIdCodecs codecs;

  PublicIdIntrospector(PublicIdCodecs codecs) {
    this.codecs = codecs;
  }

  @Override
  public Version version() {
    return Version.unknownVersion();
  }

  @Override
  public Object findSerializer(Annotated annotated) {
    PublicId publicId = _findAnnotation(annotated, PublicId.class);
    if (publicId == null) {
      return null;
    }
    Class<?> type = annotated.getRawType();
    return new PublicIdSerializer(codecFor(publicId, annotated, type));
  }

  @Override
  public Object findDeserializer(Annotated annotated) {
    PublicId publicId = _findAnnotation(annotated, PublicId.class);
    if (publicId == null) {
      return null;
    }
    Class<?> type = annotated.getRawType();
    if (annotated instanceof AnnotatedMethod method && method.getParameterCount() == 1) {
      type = method.getRawParameterType(0); // a setter
    }
    return new PublicIdDeserializer(codecFor(publicId, annotated, type), type == long.class);
  }

  private PublicIdCodec codecFor(PublicId publicId, Annotated annotated, Class<?> type) {
    String where = describe(annotated);
    if (type != long.class && type != Long.class) {
      throw new IllegalArgumentException(
          "@PublicId on "
              + where
              + " needs a long or Long, not "
              + type.getName()
              + " (public IDs stand for raw 63-bit IDs)");
    }
    try {
      return codecs.codec(publicId.namespace());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "@PublicId(namespace = \""
              + publicId.namespace()
              + "\") on "
              + where
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static String describe(Annotated annotated) {
    if (annotated instanceof AnnotatedMember member) {
      return member.getDeclaringClass().getName() + "." + member.getName();
    }
    return annotated.getName();
  }
}
