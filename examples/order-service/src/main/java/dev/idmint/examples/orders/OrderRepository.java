package dev.idmint.examples.orders;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Orders in the logical table {@code orders}. The INSERT names no id: ShardingSphere draws one from
 * idmint ({@code IDMINT} key generator), adds it to the statement, routes the row to {@code
 * orders_<id % 4>} and hands the id back as the generated key.
 */
@Repository
public class OrderRepository {
  private final JdbcTemplate jdbc;

  public OrderRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Saves a new order and returns its raw id. */
  public long insert(String item, int quantity) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          PreparedStatement statement =
              connection.prepareStatement(
                  "INSERT INTO orders (item, quantity) VALUES (?, ?)",
                  Statement.RETURN_GENERATED_KEYS);
          statement.setString(1, item);
          statement.setInt(2, quantity);
          return statement;
        },
        keys);
    Number id = keys.getKey();
    if (id == null) {
      throw new IllegalStateException("ShardingSphere returned no generated id for the INSERT");
    }
    return id.longValue();
  }

  /** The order with this raw id: one query, routed to its shard. */
  public Optional<Order> find(long id) {
    List<Order> found =
        jdbc.query(
            "SELECT id, item, quantity FROM orders WHERE id = ?",
            (rs, row) -> new Order(rs.getLong("id"), rs.getString("item"), rs.getInt("quantity")),
            id);
    return found.stream().findFirst();
  }
}
