package dev.idmint.redis;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.CoordinatorProvider;
import java.util.List;
import java.util.Map;

/**
 * Opens {@link RedisCoordinator}s for {@code redis://} and {@code rediss://} URLs; registered for
 * {@link java.util.ServiceLoader} so that {@link dev.idmint.core.coordinator.Coordinators#open}
 * finds it.
 *
 * <p>Options: {@code user}, {@code password}, {@code key-prefix} (default {@code idmint:}), {@code
 * connect-timeout} and {@code command-timeout} (default {@code 2s} each), {@code wait-replicas}
 * (default 0). See {@link RedisCoordinator.Builder#options(Map)}.
 */
public final class RedisCoordinatorProvider implements CoordinatorProvider {

  /** For {@link java.util.ServiceLoader}. */
  public RedisCoordinatorProvider() {}

  @Override
  public List<String> schemes() {
    return List.of("redis://", "rediss://");
  }

  /**
   * Builds, starts and returns a {@link RedisCoordinator}.
   *
   * @throws CoordinatorException naming what to fix: a malformed URL or option, an unreachable
   *     server, wrong credentials, an unusable server
   */
  @Override
  public Coordinator open(String url, Map<String, String> options) {
    RedisCoordinator coordinator;
    try {
      coordinator =
          RedisCoordinator.builder(url).options(options == null ? Map.of() : options).build();
    } catch (InvalidConfigurationException e) {
      throw new CoordinatorException(e.getMessage(), e);
    }
    coordinator.start();
    return coordinator;
  }
}
