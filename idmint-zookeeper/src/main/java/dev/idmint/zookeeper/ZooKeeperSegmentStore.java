package dev.idmint.zookeeper;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.NamespaceName;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentStore;
import dev.idmint.zookeeper.ZkClient.Outcome;
import java.util.List;
import java.util.Objects;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/**
 * Segment ranges on ZooKeeper: one PERSISTENT node {@code segments/<namespace>} per namespace,
 * holding the first ID not yet handed out (decimal). An allocation reads it and advances it with a
 * versioned {@code setData} (compare-and-set); a lost race reads again. The first allocation
 * creates the node, so the first range starts at 1.
 *
 * <p>A write whose answer never came (timeout, connection loss) throws, and its range is never
 * used: it may have been taken in ZooKeeper, so it is lost, never handed out twice (DESIGN.md rule
 * 5). Thread-safe.
 */
final class ZooKeeperSegmentStore implements SegmentStore {
  private static final int MAX_ATTEMPTS = 256;

  private final ZkClient zk;
  private final ZkLayout layout;

  ZooKeeperSegmentStore(ZkClient zk) {
    this.zk = zk;
    this.layout = zk.layout();
  }

  @Override
  public Segment allocate(String namespace, long step) {
    if (step < 1) {
      throw new IllegalArgumentException("step must be >= 1: step=" + step);
    }
    Objects.requireNonNull(namespace, "namespace");
    if (!NamespaceName.isValid(namespace)) {
      throw new IllegalArgumentException(NamespaceName.problem(namespace));
    }
    String path = layout.segment(namespace);
    String what = "allocate " + step + " IDs of namespace " + namespace;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Outcome read = zk.multi(what, List.of(Op.getData(path)));
      Code readCode = read.codeOf(0);
      if (readCode == Code.NONODE) {
        long end = end(namespace, 1, step);
        Outcome created =
            zk.multi(
                what,
                List.of(Op.create(path, ZkData.encodeLong(end), zk.acl(), CreateMode.PERSISTENT)));
        if (created.ok()) {
          return new Segment(1, end);
        }
        if (created.code() != Code.NODEEXISTS) {
          throw created.failure(what);
        }
        continue;
      }
      if (readCode != Code.OK) {
        throw ZkClient.failure(what, readCode);
      }
      OpResult.GetDataResult current = read.result(0);
      long start = ZkData.decodeLong(path, current.getData());
      if (start < 1) {
        throw new CoordinatorException(
            "ZooKeeper node " + path + " holds " + start + "; IDs start at 1");
      }
      long end = end(namespace, start, step);
      Outcome advanced =
          zk.multi(
              what,
              List.of(Op.setData(path, ZkData.encodeLong(end), current.getStat().getVersion())));
      if (advanced.ok()) {
        return new Segment(start, end);
      }
      if (advanced.code() != Code.BADVERSION) {
        throw advanced.failure(what);
      }
    }
    throw new CoordinatorException(
        "could not allocate IDs of namespace "
            + namespace
            + ": other clients advanced it "
            + MAX_ATTEMPTS
            + " times in a row; try again");
  }

  private static long end(String namespace, long start, long step) {
    try {
      return Math.addExact(start, step);
    } catch (ArithmeticException e) {
      throw new CoordinatorException(
          "namespace "
              + namespace
              + " cannot hand out "
              + step
              + " more IDs from "
              + start
              + ": a range would pass Long.MAX_VALUE");
    }
  }
}
