package dev.idmint.zookeeper;

import java.util.List;

/**
 * Where this module keeps its state under the chroot (default {@code /idmint}):
 *
 * <pre>
 * /idmint/clock                    scratch node: writing it reads ZooKeeper's clock (its mtime)
 * /idmint/workers/claims/&lt;n&gt;      EPHEMERAL, one per held worker: ttl-ms, claim nonce, owner
 * /idmint/workers/horizons/&lt;n&gt;    PERSISTENT, the worker's reserved horizon (decimal epoch ms)
 * /idmint/segments/&lt;namespace&gt;    PERSISTENT, the first ID not yet handed out (decimal)
 * /idmint/registry/namespaces/&lt;ns&gt; PERSISTENT, {@code issued=0|1} then the definition
 * /idmint/registry/nodes/&lt;id&gt;      PERSISTENT, {@code ttl-ms=…}, {@code drain=0|1}, then the info
 * </pre>
 *
 * Worker numbers are plain decimal node names ({@code 7}, not {@code 0007}).
 */
final class ZkLayout {
  private final String chroot;
  private final String workers;
  private final String claims;
  private final String horizons;
  private final String clock;
  private final String segments;
  private final String registry;
  private final String registryNamespaces;
  private final String registryNodes;

  ZkLayout(String chroot) {
    this.chroot = chroot;
    this.workers = chroot + "/workers";
    this.claims = workers + "/claims";
    this.horizons = workers + "/horizons";
    this.clock = chroot + "/clock";
    this.segments = chroot + "/segments";
    this.registry = chroot + "/registry";
    this.registryNamespaces = registry + "/namespaces";
    this.registryNodes = registry + "/nodes";
  }

  String chroot() {
    return chroot;
  }

  String claims() {
    return claims;
  }

  String horizons() {
    return horizons;
  }

  String clock() {
    return clock;
  }

  String claim(int worker) {
    return claims + "/" + worker;
  }

  String horizon(int worker) {
    return horizons + "/" + worker;
  }

  String segment(String namespace) {
    return segments + "/" + namespace;
  }

  String registryNamespaces() {
    return registryNamespaces;
  }

  String registryNodes() {
    return registryNodes;
  }

  /** The nodes that {@code start()} creates below the chroot, parents first. */
  List<String> fixedNodes() {
    return List.of(
        workers, claims, horizons, clock, segments, registry, registryNamespaces, registryNodes);
  }
}
