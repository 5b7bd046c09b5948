package dev.idmint.server.api;

/** The few JSON bits the API writes by hand (the hot path avoids a general serializer). */
public final class Json {
  private Json() {}

  /** Appends {@code value} as a JSON string literal. */
  public static StringBuilder string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** {@code {"error":{"code":"…","message":"…"}}} */
  public static String error(ApiError code, String message) {
    StringBuilder out = new StringBuilder(64 + message.length());
    out.append("{\"error\":{\"code\":");
    string(out, code.name());
    out.append(",\"message\":");
    string(out, message);
    return out.append("}}").toString();
  }
}
