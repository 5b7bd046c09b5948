package dev.idmint.core.coordinator;

import dev.idmint.core.CoordinatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Opens a {@link Coordinator} by URL, through the providers found on the class path. */
public final class Coordinators {
  private Coordinators() {}

  /**
   * Opens the coordinator at {@code url} with the provider that handles its scheme.
   *
   * @throws CoordinatorException if no provider handles the scheme (naming the known ones), or the
   *     provider cannot connect
   */
  public static Coordinator open(String url, Map<String, String> options) {
    return open(url, options, ServiceLoader.load(CoordinatorProvider.class));
  }

  static Coordinator open(
      String url, Map<String, String> options, Iterable<CoordinatorProvider> providers) {
    if (url == null || url.isBlank()) {
      throw new CoordinatorException("coordinator URL is empty");
    }
    List<String> known = new ArrayList<>();
    for (CoordinatorProvider provider : providers) {
      for (String scheme : provider.schemes()) {
        if (url.startsWith(scheme)) {
          return provider.open(url, options);
        }
        known.add(scheme);
      }
    }
    throw new CoordinatorException(
        "no coordinator handles URL '"
            + redact(url)
            + "'; known schemes: "
            + (known.isEmpty()
                ? "none (add idmint-jdbc, idmint-zookeeper or idmint-redis)"
                : known));
  }

  /**
   * The URL with any {@code user:password@} (or {@code password@}) and {@code password=} value
   * masked, for messages.
   */
  public static String redact(String url) {
    return url.replaceAll("(?<=//)[^/@]*@", "***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
