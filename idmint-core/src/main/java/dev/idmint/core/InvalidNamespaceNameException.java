package dev.idmint.core;

/**
 * A namespace name does not match {@link NamespaceName#PATTERN}; the message is {@link
 * NamespaceName#problem}.
 */
public final class InvalidNamespaceNameException extends IdMintException {
  InvalidNamespaceNameException(String message) {
    super(message);
  }
}
