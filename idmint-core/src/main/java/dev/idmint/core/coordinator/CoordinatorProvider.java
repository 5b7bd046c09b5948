package dev.idmint.core.coordinator;

import dev.idmint.core.CoordinatorException;
import java.util.List;
import java.util.Map;

/**
 * SPI: makes {@link Coordinator}s for the URL schemes of one engine family. Store modules register
 * an implementation in {@code META-INF/services/dev.idmint.core.coordinator.CoordinatorProvider}.
 */
public interface CoordinatorProvider {

  /** URL prefixes handled, e.g. {@code jdbc:postgresql:} or {@code zookeeper://}. */
  List<String> schemes();

  /**
   * Connects to the engine and checks that it can be used (reachable, credentials accepted, schema
   * present or migrated). Blocks for at most the configured connect timeout.
   *
   * @param url the coordinator URL, one of {@link #schemes()}
   * @param options engine options (see each module's documentation), e.g. {@code user}, {@code
   *     password}, {@code schema}
   * @throws dev.idmint.core.InvalidConfigurationException if the URL or an option is malformed,
   *     naming every problem
   * @throws CoordinatorException if the engine cannot be reached or used, in one readable sentence
   *     naming what to fix
   */
  Coordinator open(String url, Map<String, String> options);
}
