package dev.idmint.integrations.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.idmint.core.IdMintException;
import dev.idmint.core.publicid.PublicIdCodec;
import java.io.IOException;

/**
 * Writes a raw ID as its public ID. A raw ID outside [1, 2^63 - 1] (such as the 0 of an entity that
 * was never saved) has no public form and fails the write, naming the value.
 */
final class PublicIdSerializer extends StdSerializer<Long> {
  private static final long serialVersionUID = 1L;

  private final transient PublicIdCodec codec;

  PublicIdSerializer(PublicIdCodec codec) {
    super(Long.class);
    this.codec = codec;
  }

  @Override
  public void serialize(Long rawId, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    String publicId;
    try {
      publicId = codec.encode(rawId);
    } catch (IdMintException e) {
      throw JsonMappingException.from(
          gen,
          "raw ID "
              + rawId
              + " of namespace '"
              + codec.namespace()
              + "' has no public ID: "
              + e.getMessage(),
          e);
    }
    gen.writeString(publicId);
  }
}
