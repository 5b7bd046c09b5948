package dev.idmint.client;

import java.util.regex.Pattern;

/** The namespace name rule the server applies, checked here so a bad name never leaves the JVM. */
final class Namespaces {
  static final String PATTERN = "[a-z][a-z0-9_-]{0,62}";
  private static final Pattern NAME = Pattern.compile(PATTERN);

  private Namespaces() {}

  static boolean isValid(String namespace) {
    return namespace != null && NAME.matcher(namespace).matches();
  }

  /**
   * @throws NullPointerException if null
   * @throws IdMintInvalidArgumentException if not a valid name
   */
  static String check(String namespace) {
    if (namespace == null) {
      throw new NullPointerException("namespace");
    }
    if (!isValid(namespace)) {
      throw new IdMintInvalidArgumentException(
          "namespace must match " + PATTERN + ": \"" + namespace + "\"", null);
    }
    return namespace;
  }

  static void checkCount(int count) {
    if (count < 1 || count > IdMintClient.MAX_COUNT) {
      throw new IdMintInvalidArgumentException(
          "count must be between 1 and " + IdMintClient.MAX_COUNT + ", was " + count, null);
    }
  }
}
