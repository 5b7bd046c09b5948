package dev.idmint.examples.orders;

/** No order has the public ID asked for. */
public final class OrderNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OrderNotFoundException(String publicId) {
    super("no order " + publicId);
  }
}
