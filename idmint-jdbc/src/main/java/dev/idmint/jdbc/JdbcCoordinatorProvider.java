package dev.idmint.jdbc;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.CoordinatorOptions;
import dev.idmint.core.coordinator.CoordinatorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link JdbcCoordinator}s for {@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code
 * jdbc:mysql:} and {@code jdbc:h2:} URLs. Options: {@code user}, {@code password}, {@code schema}
 * ({@code migrate} or {@code validate}), {@code pool-size}, {@code connect-timeout} and {@code
 * socket-timeout} (durations such as {@code 2s}; the deprecated {@code *-ms} twins with whole
 * milliseconds still work for one release).
 */
public final class JdbcCoordinatorProvider implements CoordinatorProvider {
  private static final String SUBJECT = "JDBC coordinator";
  private static final List<String> OPTIONS =
      List.of("user", "password", "schema", "pool-size", "connect-timeout", "socket-timeout");
  private static final Set<String> TIMEOUTS = Set.of("connect-timeout", "socket-timeout");

  @Override
  public List<String> schemes() {
    return List.of("jdbc:postgresql:", "jdbc:mariadb:", "jdbc:mysql:", "jdbc:h2:");
  }

  @Override
  public Coordinator open(String url, Map<String, String> options) {
    CoordinatorOptions read = CoordinatorOptions.read(options, OPTIONS, TIMEOUTS);
    JdbcCoordinator.Builder builder =
        JdbcCoordinator.builder(url)
            .user(read.text("user", null))
            .password(read.text("password", null));
    String schema = read.text("schema", null);
    List<String> problems = new ArrayList<>();
    if (schema != null) {
      try {
        builder.schemaMode(SchemaMode.valueOf(schema.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add("schema must be migrate or validate: schema=" + schema);
      }
    }
    if (read.has("pool-size")) {
      builder.poolSize(read.integer("pool-size", 0));
    }
    if (read.has("connect-timeout")) {
      builder.connectTimeout(read.duration("connect-timeout", null));
    }
    if (read.has("socket-timeout")) {
      builder.socketTimeout(read.duration("socket-timeout", null));
    }
    problems.addAll(0, read.problems());
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(SUBJECT, problems);
    }
    return builder.build().start();
  }
}
