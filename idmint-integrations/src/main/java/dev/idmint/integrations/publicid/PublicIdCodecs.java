package dev.idmint.integrations.publicid;

import dev.idmint.core.publicid.InvalidPublicIdException;
import dev.idmint.core.publicid.PublicIdCodec;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The public-ID codecs of an application, one per namespace, used locally (no idmint node
 * involved): by the Jackson {@code @PublicId} support and by application code that must turn a
 * public ID from a URL back into the raw ID. Immutable and thread-safe; holds codecs, never key
 * text.
 */
public final class PublicIdCodecs {
  private static final PublicIdCodecs NONE = new PublicIdCodecs(Map.of());

  private final Map<String, PublicIdCodec> byNamespace;

  private PublicIdCodecs(Map<String, PublicIdCodec> byNamespace) {
    this.byNamespace = byNamespace;
  }

  /** No codecs: every lookup fails, saying that the namespace has none configured. */
  public static PublicIdCodecs none() {
    return NONE;
  }

  /**
   * One codec per namespace, each under its {@link PublicIdCodec#namespace()}.
   *
   * @throws IllegalArgumentException if two codecs have the same namespace
   */
  public static PublicIdCodecs of(Collection<PublicIdCodec> codecs) {
    Map<String, PublicIdCodec> byNamespace = new TreeMap<>();
    for (PublicIdCodec codec : codecs) {
      Objects.requireNonNull(codec, "codec");
      if (byNamespace.putIfAbsent(codec.namespace(), codec) != null) {
        throw new IllegalArgumentException(
            "two public-ID codecs for namespace '" + codec.namespace() + "'");
      }
    }
    return new PublicIdCodecs(Collections.unmodifiableMap(byNamespace));
  }

  /** The namespaces that have a codec, in alphabetical order. */
  public Set<String> namespaces() {
    return byNamespace.keySet();
  }

  /** The namespace's codec, if it has one. */
  public Optional<PublicIdCodec> find(String namespace) {
    return Optional.ofNullable(byNamespace.get(namespace));
  }

  /**
   * The namespace's codec.
   *
   * @throws IllegalArgumentException if it has none, naming the namespaces that have one
   */
  public PublicIdCodec codec(String namespace) {
    PublicIdCodec codec = byNamespace.get(namespace);
    if (codec == null) {
      throw new IllegalArgumentException(
          "no public-ID codec for namespace '"
              + namespace
              + "'; codecs are configured for "
              + (byNamespace.isEmpty() ? "no namespace" : byNamespace.keySet())
              + " (with the Spring Boot starter: set idmint.client.public-ids."
              + namespace
              + ".prefix, .current and .keys)");
    }
    return codec;
  }

  /**
   * The public ID of {@code rawId} in {@code namespace}.
   *
   * @throws IllegalArgumentException if the namespace has no codec
   * @throws dev.idmint.core.InvalidIdException if {@code rawId} is not in [1, 2^63 - 1]
   */
  public String encode(String namespace, long rawId) {
    return codec(namespace).encode(rawId);
  }

  /**
   * The raw ID behind a public ID of {@code namespace}.
   *
   * @throws IllegalArgumentException if the namespace has no codec
   * @throws InvalidPublicIdException naming what is wrong with {@code publicId}
   */
  public long decode(String namespace, String publicId) {
    return codec(namespace).decode(publicId);
  }

  @Override
  public String toString() {
    return "PublicIdCodecs" + byNamespace.keySet();
  }
}
