package dev.idmint.server;

import java.util.Map;
import java.util.Optional;

/**
 * Refuses the embedded single-node coordinator inside a Kubernetes pod unless the operator says
 * that a single node is meant. A pod that lost its coordinator URL (a ConfigMap typo, a missing
 * key) would otherwise start on a private H2 file; every replica would claim worker 0 and they
 * would issue the same IDs. Kubernetes puts {@code KUBERNETES_SERVICE_HOST} into every container's
 * environment, so its presence is the signal.
 */
final class EmbeddedGuard {
  /** The variable the kubelet sets in every container. */
  static final String KUBERNETES_ENV = "KUBERNETES_SERVICE_HOST";

  private EmbeddedGuard() {}

  /**
   * The one-line reason to refuse, or empty when the node may start.
   *
   * @param embedded whether the configuration leaves the node on the embedded H2 coordinator
   * @param singleNode whether {@code --single-node} (or {@code IDMINT_SINGLE_NODE=true}) was given
   * @param environment the process environment
   */
  static Optional<String> refusal(
      boolean embedded, boolean singleNode, Map<String, String> environment) {
    if (!embedded || singleNode || environment.get(KUBERNETES_ENV) == null) {
      return Optional.empty();
    }
    return Optional.of(
        "no coordinator configured inside a Kubernetes pod ("
            + KUBERNETES_ENV
            + " is set): several replicas on private embedded H2 files would issue the same IDs;"
            + " set coordinator.url (or --coordinator / IDMINT_COORDINATOR), or pass --single-node"
            + " (IDMINT_SINGLE_NODE=true) if exactly one node is meant");
  }
}
