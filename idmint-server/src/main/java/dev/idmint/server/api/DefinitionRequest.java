package dev.idmint.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A namespace definition submitted to the admin API, in the registry's definition shape ({@code
 * name, strategy, snowflake{…}, segment{…}, publicId{…}}; read-only fields ignored). REST submits
 * the request body's text, gRPC the tree it translated its typed message into. Text is parsed only
 * when {@link AdminApi} asks for it, after the caller is authenticated.
 */
public final class DefinitionRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String text;
  private final ObjectNode tree;

  private DefinitionRequest(String text, ObjectNode tree) {
    this.text = text;
    this.tree = tree;
  }

  /** A request body: JSON text, possibly empty or malformed. */
  public static DefinitionRequest ofJson(String body) {
    return new DefinitionRequest(body, null);
  }

  /** A definition already in the registry's shape. */
  public static DefinitionRequest of(ObjectNode definition) {
    return new DefinitionRequest(null, definition.deepCopy());
  }

  /**
   * The definition as a JSON object (a copy: callers may change it).
   *
   * @throws ApiException 400 when the text is empty, not JSON, or not a JSON object
   */
  ObjectNode tree() {
    if (tree != null) {
      return tree.deepCopy();
    }
    if (text == null || text.isBlank()) {
      throw new ApiException(
          ApiError.INVALID_ARGUMENT, "the request body must be a namespace definition (JSON)");
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ApiException(
          ApiError.INVALID_ARGUMENT,
          "the request body is not valid JSON: " + e.getOriginalMessage());
    }
    throw new ApiException(ApiError.INVALID_ARGUMENT, "the request body must be a JSON object");
  }
}
