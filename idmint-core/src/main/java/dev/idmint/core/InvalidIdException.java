package dev.idmint.core;

/** A value given as an ID cannot have been issued by the namespace it was given for. */
public final class InvalidIdException extends IdMintException {
  public InvalidIdException(String message) {
    super(message);
  }
}
