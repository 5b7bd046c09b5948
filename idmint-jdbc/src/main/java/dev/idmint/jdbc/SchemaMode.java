package dev.idmint.jdbc;

/** What idmint may do to the database schema at start. */
public enum SchemaMode {
  /** Create the tables, or upgrade them, with the versioned migrations (default). */
  MIGRATE,
  /**
   * Only check that the tables are there and up to date; for accounts that may not run DDL. Apply
   * the migrations under {@code dev/idmint/jdbc/migration/<database>/} by other means first.
   */
  VALIDATE
}
