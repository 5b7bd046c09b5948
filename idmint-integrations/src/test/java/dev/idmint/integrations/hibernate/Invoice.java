package dev.idmint.integrations.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity whose id is a business number of a pattern namespace. */
@Entity
@Table(name = "invoice")
public class Invoice {
  @Id
  @MintedId(namespace = "inv")
  private String number;

  private long cents;

  protected Invoice() {}

  Invoice(long cents) {
    this.cents = cents;
  }

  String getNumber() {
    return number;
  }

  long getCents() {
    return cents;
  }
}
