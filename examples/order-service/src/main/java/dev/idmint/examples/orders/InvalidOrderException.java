package dev.idmint.examples.orders;

/** A request the service refuses as bad input (400); the message names the field and value. */
public final class InvalidOrderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidOrderException(String message) {
    super(message);
  }
}
