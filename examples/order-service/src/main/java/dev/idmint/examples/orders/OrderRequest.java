package dev.idmint.examples.orders;

/** The body of {@code POST /orders}. */
public record OrderRequest(String item, Integer quantity) {
  static final int MAX_ITEM_LENGTH = 200;
  static final int MAX_QUANTITY = 10_000;

  /**
   * @throws InvalidOrderException naming the field and the value
   */
  void validate() {
    if (item == null || item.isBlank()) {
      throw new InvalidOrderException("item must be a non-blank string");
    }
    if (item.length() > MAX_ITEM_LENGTH) {
      throw new InvalidOrderException(
          "item must be at most " + MAX_ITEM_LENGTH + " characters, was " + item.length());
    }
    if (quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
      throw new InvalidOrderException(
          "quantity must be between 1 and " + MAX_QUANTITY + ", was " + quantity);
    }
  }
}
