package dev.idmint.spring.boot.jpa;

import dev.idmint.integrations.hibernate.MintedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity whose id comes from idmint, with no registration code anywhere in the test. */
@Entity
@Table(name = "client_shipment")
public class Shipment {
  @Id
  @MintedId(namespace = "order")
  private Long id;

  private String label;

  protected Shipment() {}

  public Shipment(String label) {
    this.label = label;
  }

  public Long getId() {
    return id;
  }

  public String getLabel() {
    return label;
  }
}
