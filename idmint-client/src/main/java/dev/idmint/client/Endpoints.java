package dev.idmint.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The configured endpoints and the choice among them. {@link #pick} prefers, in this order: a
 * half-open endpoint whose one trial call is free, an available one, a reachable one that is not
 * ready, and last a set-aside one; ties go round-robin so that load spreads.
 */
final class Endpoints {
  private final List<Endpoint> all;
  private final AtomicInteger rotation = new AtomicInteger();

  Endpoints(List<Endpoint> all) {
    this.all = List.copyOf(all);
  }

  List<Endpoint> all() {
    return all;
  }

  /** The best endpoint not in {@code tried}, or null when every one was tried. */
  Endpoint pick(Set<Endpoint> tried, long now) {
    int n = all.size();
    int start = Math.floorMod(rotation.getAndIncrement(), n);
    Endpoint best = null;
    int bestRank = Integer.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      Endpoint e = all.get((start + k) % n);
      if (tried.contains(e)) {
        continue;
      }
      int rank = e.rankAndReserve(now);
      if (rank == Endpoint.RANK_TRIAL) {
        return e;
      }
      if (rank < bestRank) {
        best = e;
        bestRank = rank;
      }
    }
    return best;
  }

  /** Endpoint name to its state, for endpoints a failed call never reached. */
  Map<String, String> describeAll() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Endpoint e : all) {
      out.put(e.name, e.describe());
    }
    return out;
  }

  List<EndpointHealth> health() {
    List<EndpointHealth> out = new ArrayList<>(all.size());
    for (Endpoint e : all) {
      out.add(e.health());
    }
    return List.copyOf(out);
  }
}
