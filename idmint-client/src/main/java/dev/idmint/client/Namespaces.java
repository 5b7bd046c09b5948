package dev.idmint.client;

import dev.idmint.core.NamespaceName;

/**
 * The server's namespace name rule ({@link NamespaceName}), checked here so a bad name never leaves
 * the JVM.
 */
final class Namespaces {
  private Namespaces() {}

  /**
   * @throws NullPointerException if null
   * @throws IdMintInvalidArgumentException if not a valid name
   */
  static String check(String namespace) {
    if (namespace == null) {
      throw new NullPointerException("namespace");
    }
    if (!NamespaceName.isValid(namespace)) {
      throw new IdMintInvalidArgumentException(NamespaceName.problem(namespace), null);
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
