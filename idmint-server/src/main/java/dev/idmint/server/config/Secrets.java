package dev.idmint.server.config;

import java.util.List;
import java.util.Locale;

/**
 * The one rule for what a configured secret (an ID token, the admin token) must not look like.
 * Shipped manifests, docs and copy-pasted examples contain placeholders; a node that accepted one
 * would run with a publicly known token, so it refuses to start and says why.
 */
final class Secrets {
  /** The shortest token accepted: 16 characters. */
  static final int MIN_LENGTH = 16;

  private static final List<String> PLACEHOLDER_WORDS =
      List.of("change-me", "changeme", "change_me", "placeholder", "example", "replace-me");

  private Secrets() {}

  /**
   * Why {@code secret} may not be used, as the end of a sentence ("must …" / "looks like …"), or
   * null when it is acceptable. Never quotes the secret.
   */
  static String weakness(String secret) {
    if (secret.length() < MIN_LENGTH) {
      return "must have at least " + MIN_LENGTH + " characters";
    }
    String lower = secret.toLowerCase(Locale.ROOT);
    for (String word : PLACEHOLDER_WORDS) {
      if (lower.contains(word)) {
        return "looks like a placeholder (it contains \""
            + word
            + "\"); generate one, e.g. openssl rand -hex 24";
      }
    }
    if (secret.indexOf('<') >= 0 && secret.indexOf('>') > secret.indexOf('<')) {
      return "looks like a placeholder (it contains <...>); generate one, e.g. openssl rand -hex 24";
    }
    if (secret.chars().distinct().count() == 1) {
      return "looks like a placeholder (one character repeated); generate one, e.g. openssl rand -hex 24";
    }
    return null;
  }
}
