package dev.idmint.integrations.jackson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.idmint.core.publicid.InvalidPublicIdException;
import dev.idmint.core.publicid.PublicIdCodec;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a public ID of one namespace back to its raw ID. Anything else fails: a number or other
 * non-string token with a {@code MismatchedInputException}, a malformed string with an {@link
 * InvalidFormatException} whose message names the failed check and whose cause is the codec's
 * {@link InvalidPublicIdException} (with its {@link InvalidPublicIdException#reason()}); JSON null
 * is null for a {@code Long} and an error for a {@code long}.
 */
final class PublicIdDeserializer extends StdDeserializer<Long> {
  private static final long serialVersionUID = 1L;

  private final transient PublicIdCodec codec;
  private final boolean primitive;

  PublicIdDeserializer(PublicIdCodec codec, boolean primitive) {
    super(Long.class);
    this.codec = codec;
    this.primitive = primitive;
  }

  @Override
  public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.hasToken(JsonToken.VALUE_STRING)) {
      return (Long)
          ctxt.reportInputMismatch(
              this,
              "expected a public ID of namespace '%s' (a string like %s_...), got %s",
              codec.namespace(),
              codec.prefix(),
              p.currentToken());
    }
    String text = p.getText();
    try {
      return codec.decode(text);
    } catch (InvalidPublicIdException e) {
      InvalidFormatException failure =
          InvalidFormatException.from(
              p,
              "not a public ID of namespace '"
                  + codec.namespace()
                  + "' ("
                  + e.reason().name().toLowerCase(Locale.ROOT)
                  + "): "
                  + e.getMessage(),
              text,
              Long.class);
      failure.initCause(e);
      throw failure;
    }
  }

  @Override
  public Long getNullValue(DeserializationContext ctxt) throws JsonMappingException {
    if (primitive) {
      return (Long)
          ctxt.reportInputMismatch(
              this,
              "null is not a public ID of namespace '%s' (the property is a primitive long)",
              codec.namespace());
    }
    return null;
  }
}
