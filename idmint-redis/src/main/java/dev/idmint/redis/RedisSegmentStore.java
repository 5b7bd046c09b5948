package dev.idmint.redis;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentStore;
import java.util.Objects;

/**
 * Segments on Redis: one counter per namespace, {@code <prefix>segment:<namespace>}, advanced by
 * {@code INCRBY step}, which is atomic in Redis (DESIGN.md rule 5). The answer {@code r} is the
 * range's last ID, so the range is {@code [r − step + 1, r + 1)} and a namespace's first range
 * starts at 1.
 *
 * <p>A call that times out may or may not have advanced the counter; it throws and its range is
 * never used, so at worst IDs are skipped, never repeated. Redis replicates asynchronously: a
 * failover to a replica that missed an {@code INCRBY} hands that range out again (see README.md).
 */
final class RedisSegmentStore implements SegmentStore {
  private final RedisSession session;
  private final String keyPrefix;

  RedisSegmentStore(RedisSession session, String keyPrefix) {
    this.session = Objects.requireNonNull(session, "session");
    this.keyPrefix = keyPrefix + "segment:";
  }

  @Override
  public Segment allocate(String namespace, long step) {
    Objects.requireNonNull(namespace, "namespace");
    if (step < 1) {
      throw new IllegalArgumentException("step must be >= 1: step=" + step);
    }
    String key = keyPrefix + namespace;
    String action = "allocating " + step + " IDs of " + namespace;
    Long last = session.call(action, r -> r.incrby(key, step));
    if (last == null) {
      throw new CoordinatorException(
          session.where() + " gave no answer to INCRBY " + key + " " + step);
    }
    long start = last - step + 1;
    if (start < 1) {
      throw new CoordinatorException(
          "segment counter "
              + key
              + " on "
              + session.where()
              + " stands at "
              + last
              + " after adding "
              + step
              + ", so the range would start below 1; was the key written by something else?");
    }
    if (last == Long.MAX_VALUE) {
      throw new CoordinatorException(
          "namespace " + namespace + " is exhausted: " + key + " reached " + Long.MAX_VALUE);
    }
    session.awaitReplicas(action);
    return new Segment(start, last + 1);
  }
}
