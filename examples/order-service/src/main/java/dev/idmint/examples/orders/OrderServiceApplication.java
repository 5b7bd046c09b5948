package dev.idmint.examples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * An order service: {@code POST /orders} saves an order into one of 4 PostgreSQL tables ({@code
 * orders_0} .. {@code orders_3}), {@code GET /orders/{id}} reads it back. ShardingSphere-JDBC
 * routes each row by {@code id % 4}; the id comes from idmint through ShardingSphere's {@code
 * IDMINT} key generator, which uses the client the idmint starter configured. Outside, an order is
 * known only by its public ID ({@code ord_...}).
 */
@SpringBootApplication
@EnableConfigurationProperties(OrderDatabaseProperties.class)
public class OrderServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(OrderServiceApplication.class, args);
  }
}
