package dev.idmint.zookeeper;

import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.CoordinatorProvider;
import java.util.List;
import java.util.Map;

/**
 * Opens {@link ZooKeeperCoordinator}s for {@code zookeeper://host:port[,host:port][/chroot]} URLs.
 * Options: {@code session-timeout}, {@code connect-timeout}, {@code operation-timeout} (durations
 * such as {@code 2s}; the deprecated {@code *-ms} twins still work for one release), {@code user}
 * and {@code password} (digest authentication).
 */
public final class ZooKeeperCoordinatorProvider implements CoordinatorProvider {

  @Override
  public List<String> schemes() {
    return List.of(ZooKeeperUrl.SCHEME);
  }

  /**
   * @throws dev.idmint.core.InvalidConfigurationException if the URL or an option is malformed
   * @throws dev.idmint.core.CoordinatorException if the ensemble cannot be reached or refuses
   *     access
   */
  @Override
  public Coordinator open(String url, Map<String, String> options) {
    return ZooKeeperCoordinator.builder(url).options(options).build().start();
  }
}
