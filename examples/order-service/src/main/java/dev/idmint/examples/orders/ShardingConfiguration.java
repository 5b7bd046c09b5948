package dev.idmint.examples.orders;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.shardingsphere.driver.api.yaml.YamlShardingSphereDataSourceFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The application's {@link DataSource}: ShardingSphere-JDBC over one PostgreSQL pool, with the
 * rules in {@code sharding.yaml} (logical table {@code orders} on {@code orders_0..3}, routed by
 * {@code id % 4}, ids from the {@code IDMINT} key generator).
 */
@Configuration
public class ShardingConfiguration {
  /** How many tables the orders are split across. */
  public static final int SHARDS = 4;

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * The plain pool under ShardingSphere; not a candidate for injection, closed with the context.
   */
  @Bean(destroyMethod = "close", autowireCandidate = false)
  HikariDataSource shardPool(OrderDatabaseProperties database) throws SQLException {
    if (!NAME.matcher(database.name()).matches()) {
      throw new IllegalArgumentException(
          "orders.database.name must match " + NAME + ": " + database.name());
    }
    createDatabaseIfMissing(database);
    HikariConfig config = new HikariConfig();
    config.setPoolName("orders");
    config.setJdbcUrl(url(database, database.name()));
    config.setUsername(database.user());
    config.setPassword(database.password());
    config.setMaximumPoolSize(database.poolSize());
    if (!database.synchronousCommit()) {
      config.addDataSourceProperty("options", "-c synchronous_commit=off");
    }
    HikariDataSource pool = new HikariDataSource(config);
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      for (int shard = 0; shard < SHARDS; shard++) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS orders_"
                + shard
                + " (id BIGINT PRIMARY KEY, item VARCHAR(200) NOT NULL, quantity INT NOT NULL,"
                + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      }
    } catch (SQLException e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  @Bean(destroyMethod = "close")
  @Primary
  DataSource dataSource(OrderDatabaseProperties database) throws SQLException, IOException {
    byte[] rules;
    try (InputStream in = getClass().getResourceAsStream("/sharding.yaml")) {
      if (in == null) {
        throw new IllegalStateException("sharding.yaml is missing from the class path");
      }
      rules = in.readAllBytes();
    }
    return YamlShardingSphereDataSourceFactory.createDataSource(
        Map.of("ds", shardPool(database)), rules);
  }

  private static void createDatabaseIfMissing(OrderDatabaseProperties database)
      throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                url(database, "postgres"), database.user(), database.password());
        PreparedStatement exists =
            connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database.name());
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE " + database.name());
      } catch (SQLException e) {
        if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created meanwhile
          throw e;
        }
      }
    }
  }

  static String url(OrderDatabaseProperties database, String name) {
    return "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + name;
  }
}
