package dev.idmint.integrations.jackson;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.Module;
import dev.idmint.integrations.publicid.PublicIdCodecs;
import java.util.Objects;

/**
 * Jackson support for {@link PublicId}: properties so annotated are written as public IDs and read
 * back to raw IDs with the codecs given here, locally (no idmint node is called).
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper().registerModule(new PublicIdModule(codecs));
 * }</pre>
 *
 * <p>A {@code @PublicId} on a property that is not {@code long}/{@code Long}, or naming a namespace
 * without a codec, fails the first time Jackson builds that type's (de)serializer, with an {@code
 * InvalidDefinitionException} that names the property and says what to configure.
 */
public final class PublicIdModule extends Module {
  private final PublicIdCodecs codecs;

  public PublicIdModule(PublicIdCodecs codecs) {
    this.codecs = Objects.requireNonNull(codecs, "codecs");
  }

  /** The codecs this module uses. */
  public PublicIdCodecs codecs() {
    return codecs;
  }

  @Override
  public String getModuleName() {
    return "idmint-public-id";
  }

  @Override
  public Version version() {
    return Version.unknownVersion();
  }

  @Override
  public Object getTypeId() {
    return PublicIdModule.class.getName();
  }

  @Override
  public void setupModule(SetupContext context) {
    context.insertAnnotationIntrospector(new PublicIdIntrospector(codecs));
  }
}
