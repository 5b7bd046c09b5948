package dev.idmint.integrations.jackson;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated {@code long}/{@code Long} property is written to JSON as its public ID in {@link
 * #namespace()} (for example {@code "ord_2Xk9bM1pTz0Q"}) and read back from one to the raw ID. The
 * codecs come from {@link PublicIdModule}, which the Spring Boot starter registers from {@code
 * idmint.client.public-ids.*}.
 *
 * <pre>{@code
 * record OrderView(@PublicId(namespace = "order") long id, String item) {}
 * }</pre>
 *
 * <p>Without {@link PublicIdModule} registered on the {@code ObjectMapper}, writing or reading the
 * property fails instead of exposing the raw ID. Reading accepts only a public-ID string: a number,
 * or a string that is not a public ID of this namespace, fails with a Jackson {@code
 * InvalidFormatException} (a 400 in Spring MVC) that says what is wrong (prefix, version, length,
 * alphabet, range or check characters); no number is ever made up.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@JacksonAnnotationsInside
@JsonSerialize(using = Unregistered.Serializer.class)
@JsonDeserialize(using = Unregistered.Deserializer.class)
public @interface PublicId {
  /** The idmint namespace whose public-ID codec applies, e.g. {@code "order"}. */
  String namespace();
}
