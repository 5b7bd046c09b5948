package dev.idmint.integrations.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** An entity whose UUID id comes from a uuid7 namespace. */
@Entity
@Table(name = "happening")
public class Happening {
  @Id
  @MintedId(namespace = "evt")
  private UUID id;

  private String what;

  protected Happening() {}

  Happening(String what) {
    this.what = what;
  }

  UUID getId() {
    return id;
  }

  String getWhat() {
    return what;
  }
}
