package dev.idmint.jdbc;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.CoordinatorProvider;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link JdbcCoordinator}s for {@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code
 * jdbc:mysql:} and {@code jdbc:h2:} URLs. Options: {@code user}, {@code password}, {@code schema}
 * ({@code migrate} or {@code validate}), {@code pool-size}, {@code connect-timeout-ms}, {@code
 * socket-timeout-ms}.
 */
public final class JdbcCoordinatorProvider implements CoordinatorProvider {
  private static final Set<String> OPTIONS =
      Set.of("user", "password", "schema", "pool-size", "connect-timeout-ms", "socket-timeout-ms");

  @Override
  public List<String> schemes() {
    return List.of("jdbc:postgresql:", "jdbc:mariadb:", "jdbc:mysql:", "jdbc:h2:");
  }

  @Override
  public Coordinator open(String url, Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new InvalidConfigurationException(
            "JDBC coordinator", List.of("unknown option '" + key + "'; known options: " + OPTIONS));
      }
    }
    JdbcCoordinator.Builder builder =
        JdbcCoordinator.builder(url).user(options.get("user")).password(options.get("password"));
    String schema = options.get("schema");
    if (schema != null) {
      try {
        builder.schemaMode(SchemaMode.valueOf(schema.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(
            "JDBC coordinator", List.of("schema must be migrate or validate: schema=" + schema));
      }
    }
    if (options.containsKey("pool-size")) {
      builder.poolSize(integer(options, "pool-size"));
    }
    if (options.containsKey("connect-timeout-ms")) {
      builder.connectTimeout(Duration.ofMillis(integer(options, "connect-timeout-ms")));
    }
    if (options.containsKey("socket-timeout-ms")) {
      builder.socketTimeout(Duration.ofMillis(integer(options, "socket-timeout-ms")));
    }
    return builder.build().start();
  }

  private static int integer(Map<String, String> options, String key) {
    String value = options.get(key);
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException(
          "JDBC coordinator", List.of(key + " must be a whole number: " + key + "=" + value));
    }
  }
}
