package dev.idmint.bench.insert;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The primary keys compared, one table each. The column type is the one a careful user of each
 * engine would pick: {@code uuid} on PostgreSQL, {@code BINARY(16)} on MariaDB (byte order as
 * written, so version-7 keys stay time-ordered; MariaDB's own {@code UUID} type reorders bytes),
 * and an ASCII binary-collated {@code VARCHAR} for public IDs on MariaDB.
 */
enum KeyType {
  SNOWFLAKE("snowflake", "idmint snowflake (bigint)", "bigint", "BIGINT"),
  SEGMENT("segment", "idmint segment (bigint)", "bigint", "BIGINT"),
  SERIAL("serial", "bigserial / AUTO_INCREMENT", "bigserial", "BIGINT AUTO_INCREMENT"),
  UUID_V4("uuid_v4", "random UUIDv4", "uuid", "BINARY(16)"),
  UUID_V7("uuid_v7", "UUIDv7 (client)", "uuid", "BINARY(16)"),
  PUBLIC_ID(
      "public_id",
      "idmint public ID (text)",
      "varchar(32)",
      "VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin");

  private final String id;
  private final String label;
  private final String postgresType;
  private final String mariadbType;

  KeyType(String id, String label, String postgresType, String mariadbType) {
    this.id = id;
    this.label = label;
    this.postgresType = postgresType;
    this.mariadbType = mariadbType;
  }

  /** The name on the command line, in the CSV and in the table name ({@code rows_<id>}). */
  String id() {
    return id;
  }

  /** The name in the chart's legend and the tables of the report. */
  String label() {
    return label;
  }

  String table() {
    return "rows_" + id;
  }

  String columnType(Engine engine) {
    return engine == Engine.POSTGRESQL ? postgresType : mariadbType;
  }

  /** True when the database makes the key, so the insert does not name the column. */
  boolean generatedByDatabase() {
    return this == SERIAL;
  }

  static Optional<KeyType> byId(String id) {
    String wanted = id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst();
  }
}
