package dev.idmint.examples.orders;

import dev.idmint.integrations.publicid.PublicIdCodecs;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders} and {@code GET /orders/{publicId}}. */
@RestController
@RequestMapping("/orders")
public class OrderController {
  static final String NAMESPACE = "order";

  private final OrderRepository orders;
  private final PublicIdCodecs publicIds;

  public OrderController(OrderRepository orders, PublicIdCodecs publicIds) {
    this.orders = orders;
    this.publicIds = publicIds;
  }

  /** 201 with the order (its public ID as {@code id}) and its {@code Location}. */
  @PostMapping
  public ResponseEntity<Order> create(@RequestBody OrderRequest request) {
    request.validate();
    long id = orders.insert(request.item().strip(), request.quantity());
    Order order = new Order(id, request.item().strip(), request.quantity());
    return ResponseEntity.created(URI.create("/orders/" + publicIds.encode(NAMESPACE, id)))
        .body(order);
  }

  /**
   * The order, 404 if there is none, 400 if {@code publicId} is not a public ID of orders. This
   * example has no users; a real service must still check that the caller may see the order, since
   * a well-formed guess decodes to some id.
   */
  @GetMapping("/{publicId}")
  public ResponseEntity<Order> get(@PathVariable("publicId") String publicId) {
    long id = publicIds.decode(NAMESPACE, publicId);
    return orders
        .find(id)
        .map(ResponseEntity::ok)
        .orElseThrow(() -> new OrderNotFoundException(publicId));
  }
}
