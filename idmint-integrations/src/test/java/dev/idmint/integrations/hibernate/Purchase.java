package dev.idmint.integrations.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity whose id comes from idmint. */
@Entity
@Table(name = "purchase")
public class Purchase {
  @Id
  @MintedId(namespace = "order")
  private Long id;

  private String item;

  protected Purchase() {}

  Purchase(String item) {
    this.item = item;
  }

  Long getId() {
    return id;
  }

  String getItem() {
    return item;
  }
}
