package dev.idmint.integrations.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * What {@link PublicId} names for Jackson by itself: a serializer and a deserializer that fail,
 * saying to register {@link PublicIdModule}, whose own (de)serializers take precedence. So a
 * missing module never writes the raw ID where a public one was meant.
 */
final class Unregistered {
  static final String MESSAGE =
      "@PublicId needs dev.idmint.integrations.jackson.PublicIdModule registered on the"
          + " ObjectMapper (the idmint Spring Boot starter registers it)";

  private Unregistered() {}

  /** Jackson instantiates it through {@code @JsonSerialize(using = ...)}. */
  static final class Serializer extends StdSerializer<Object> {
    private static final long serialVersionUID = 1L;

    Serializer() {
      super(Object.class);
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      throw JsonMappingException.from(gen, MESSAGE);
    }
  }

  /** Jackson instantiates it through {@code @JsonDeserialize(using = ...)}. */
  static final class Deserializer extends StdDeserializer<Object> {
    private static final long serialVersionUID = 1L;

    Deserializer() {
      super(Object.class);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return ctxt.reportInputMismatch(this, MESSAGE);
    }
  }
}
