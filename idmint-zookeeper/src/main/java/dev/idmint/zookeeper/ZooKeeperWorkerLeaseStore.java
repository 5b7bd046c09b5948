package dev.idmint.zookeeper;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseLostException;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import dev.idmint.zookeeper.ZkClient.Outcome;
import dev.idmint.zookeeper.ZkData.Claim;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * Worker claims on ZooKeeper.
 *
 * <p>Design notes:
 *
 * <ul>
 *   <li><b>One claim per worker</b> (DESIGN.md rule 4): the claim is the EPHEMERAL node {@code
 *       workers/claims/<n>}, created only if absent. Its {@code czxid} (the id of the transaction
 *       that created it) is the fencing token: unique per claim across the ensemble's history.
 *   <li><b>The horizon</b> (rule 3) is the PERSISTENT node {@code workers/horizons/<n>}; it
 *       survives the claim and is only ever raised, by a versioned {@code setData} in the same
 *       transaction as the claim or renewal.
 *   <li><b>Expiry by ZooKeeper's clock only</b>. A claim node holds the lease time it was granted;
 *       its {@code mtime} is the leader's clock at the last claim or renewal (a renewal is a
 *       versioned {@code setData} of the claim node, which stamps a new {@code mtime}). ZooKeeper's
 *       "now" is read by writing the scratch node {@code clock} and taking its {@code mtime}. A
 *       claim is held while {@code now - mtime < ttl}; after that a claimant may delete it with a
 *       versioned {@code delete} (so a renewal that lands first wins) and create its own in the
 *       same transaction. Until then its holder may still renew it.
 *   <li><b>Granted time</b>: {@code min(requested ttl, negotiated session timeout)}. When the
 *       session expires, ZooKeeper deletes its ephemeral claims, and the server starts counting the
 *       session timeout only after the renewal arrived, so the node's local deadline (measured from
 *       before the renewal) always ends first. A renewal goes only through the session that owns
 *       the claim node: a claim left behind by an older session is reported lost.
 *   <li><b>Claiming any worker</b> reads both directories in one request; workers without a claim
 *       node are preferred, and among them the oldest horizon (never claimed counts as 0), ties
 *       broken at random so concurrent claimants rarely collide. Only when every worker has a claim
 *       node are the claim nodes read (in batches) to find expired ones. Every write is
 *       conditional, so a stale read only costs a retry.
 *   <li><b>Unknown outcomes</b>: a claim whose answer never came (timeout, connection loss) is a
 *       failure, but its node may exist. Each claim attempt writes a random nonce; nonces of failed
 *       attempts are remembered, and a claim node carrying one may be replaced at once, since it
 *       was never handed to anyone.
 * </ul>
 *
 * Thread-safe; every method makes a few bounded ZooKeeper requests (see {@link ZkClient}).
 */
final class ZooKeeperWorkerLeaseStore implements WorkerLeaseStore {
  private static final int MAX_ATTEMPTS = 64;
  private static final int READ_BATCH = 256;
  private static final int UNKNOWN_CLAIMS_KEPT = 256;
  private static final byte[] EMPTY = new byte[0];

  private final ZkClient zk;
  private final ZkLayout layout;
  private final Set<String> unknownClaims =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > UNKNOWN_CLAIMS_KEPT;
                }
              }));

  ZooKeeperWorkerLeaseStore(ZkClient zk) {
    this.zk = zk;
    this.layout = zk.layout();
  }

  @Override
  public LeaseGrant claim(ClaimRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.ttl().toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms: ttl=" + request.ttl());
    }
    return request.worker().isPresent()
        ? claimStatic(request, request.worker().getAsInt())
        : claimAny(request);
  }

  @Override
  public LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis) {
    Objects.requireNonNull(lease, "lease");
    if (ttlMillis < 1) {
      throw new IllegalArgumentException("ttlMillis must be >= 1: ttlMillis=" + ttlMillis);
    }
    int worker = lease.worker();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Outcome read = readWorker(worker);
      ClaimNode held = claimAt(read, 0, worker);
      if (held == null
          || held.token() != lease.fencingToken()
          || held.stat().getEphemeralOwner() != read.session().id()) {
        // Released, claimed again, or owned by a session that expired (or is about to).
        throw new LeaseLostException(worker, lease.fencingToken());
      }
      Horizon horizon = horizonAt(read, 1, worker);
      if (horizon == null) {
        throw missingHorizon(worker);
      }
      long reserved = Math.max(horizon.millis(), reserveUntilMillis);
      String what = "renew the claim on worker " + worker;
      Outcome outcome =
          zk.multi(
              what,
              session -> {
                if (session.id() != read.session().id()) {
                  throw new CoordinatorException(
                      "the ZooKeeper session changed while renewing worker "
                          + worker
                          + "; the claim will be checked again");
                }
                return List.of(
                    Op.setData(
                        layout.claim(worker),
                        held.claim().withTtl(grantedTtl(ttlMillis, session)).encode(),
                        held.stat().getVersion()),
                    Op.setData(
                        layout.horizon(worker), ZkData.encodeLong(reserved), horizon.version()));
              });
      if (outcome.ok()) {
        Stat stat = outcome.<OpResult.SetDataResult>result(0).getStat();
        long ttl = grantedTtl(ttlMillis, outcome.session());
        return new LeaseGrant(
            worker,
            held.claim().owner(),
            lease.fencingToken(),
            stat.getMtime(),
            stat.getMtime() + ttl,
            reserved,
            lease.previousHorizonMillis());
      }
      Code failed = outcome.codeOf(outcome.failedIndex());
      if (failed != Code.BADVERSION && failed != Code.NONODE) {
        throw outcome.failure(what);
      }
      // Changed meanwhile (our own earlier renewal whose answer was lost, or a takeover): look
      // again.
    }
    throw contention("renew worker " + worker);
  }

  @Override
  public void release(LeaseGrant lease) {
    Objects.requireNonNull(lease, "lease");
    int worker = lease.worker();
    String path = layout.claim(worker);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Outcome read = zk.multi("read the claim on worker " + worker, List.of(Op.getData(path)));
      ClaimNode held = claimAt(read, 0, worker);
      if (held == null || held.token() != lease.fencingToken()) {
        return;
      }
      String what = "release worker " + worker;
      Outcome outcome = zk.multi(what, List.of(Op.delete(path, held.stat().getVersion())));
      if (outcome.ok() || outcome.code() == Code.NONODE) {
        return;
      }
      if (outcome.code() != Code.BADVERSION) {
        throw outcome.failure(what);
      }
    }
    throw contention("release worker " + worker);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Lists the horizon nodes, reads them in batches, then writes the clock node and takes its
   * {@code mtime}: the leader's clock, read last.
   */
  @Override
  public CoordinatorTime coordinatorTime(int maxWorker) {
    if (maxWorker < 0) {
      throw new IllegalArgumentException("maxWorker must be >= 0: maxWorker=" + maxWorker);
    }
    String what = "list the horizons under " + layout.chroot();
    Outcome listing = zk.multi(what, List.of(Op.getChildren(layout.horizons())));
    long highest = 0;
    for (Horizon horizon : readHorizons(workers(listing, 0, what, maxWorker)).values()) {
      highest = Math.max(highest, horizon.millis());
    }
    long now = zk.coordinatorNowMillis("read ZooKeeper's clock");
    return CoordinatorTime.of("ZooKeeper's clock (the mtime of a znode written)", now, highest);
  }

  @Override
  public void onPossibleLoss(Runnable listener) {
    zk.onPossibleLoss(Objects.requireNonNull(listener, "listener"));
  }

  private LeaseGrant claimStatic(ClaimRequest request, int worker) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Outcome read = readWorker(worker);
      ClaimNode claim = claimAt(read, 0, worker);
      Horizon horizon = horizonAt(read, 1, worker);
      if (claim != null && !isOrphan(claim)) {
        long now = zk.coordinatorNowMillis("read ZooKeeper's clock");
        if (!claim.expiredAt(now)) {
          throw new WorkerTakenException(worker, claim.claim().owner());
        }
      }
      LeaseGrant grant = tryClaim(request, worker, claim, horizon);
      if (grant != null) {
        return grant;
      }
    }
    throw contention("claim worker " + worker);
  }

  private LeaseGrant claimAny(ClaimRequest request) {
    int maxWorker = request.maxWorker();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      String what = "list the workers under " + layout.chroot();
      Outcome listing =
          zk.multi(
              what, List.of(Op.getChildren(layout.claims()), Op.getChildren(layout.horizons())));
      BitSet claimed = workers(listing, 0, what, maxWorker);
      BitSet recorded = workers(listing, 1, what, maxWorker);
      BitSet unclaimed = new BitSet(maxWorker + 1);
      unclaimed.set(0, maxWorker + 1);
      unclaimed.andNot(claimed);

      Candidate choice;
      if (!unclaimed.isEmpty()) {
        BitSet neverClaimed = (BitSet) unclaimed.clone();
        neverClaimed.andNot(recorded);
        choice =
            neverClaimed.isEmpty()
                ? oldestHorizon(readHorizons(unclaimed), Map.of())
                : new Candidate(pickAtRandom(neverClaimed), null, null);
      } else {
        Map<Integer, ClaimNode> held = readClaims(claimed);
        if (held == null) {
          continue; // a claim vanished meanwhile: its worker is free now
        }
        long now = zk.coordinatorNowMillis("read ZooKeeper's clock");
        Map<Integer, ClaimNode> stale = new HashMap<>();
        BitSet staleWorkers = new BitSet(maxWorker + 1);
        for (ClaimNode node : held.values()) {
          if (node.expiredAt(now) || isOrphan(node)) {
            stale.put(node.worker(), node);
            staleWorkers.set(node.worker());
          }
        }
        if (stale.isEmpty()) {
          throw new NoFreeWorkerException(maxWorker);
        }
        choice = oldestHorizon(readHorizons(staleWorkers), stale);
      }
      if (choice == null) {
        continue;
      }
      LeaseGrant grant = tryClaim(request, choice.worker(), choice.replaced(), choice.horizon());
      if (grant != null) {
        return grant;
      }
    }
    throw contention("claim a free worker");
  }

  /**
   * Creates the claim of {@code worker} in one transaction: deletes {@code replaced} (an expired or
   * orphaned claim) if given, creates the claim node, raises or creates the horizon, and writes the
   * clock node, whose stat carries the transaction's zxid (the new claim's czxid) and time.
   *
   * @return the grant, or {@code null} if another client changed the worker first
   */
  private LeaseGrant tryClaim(
      ClaimRequest request, int worker, ClaimNode replaced, Horizon horizon) {
    if (replaced != null && horizon == null) {
      throw missingHorizon(worker);
    }
    String nonce = UUID.randomUUID().toString();
    long previous = horizon == null ? 0 : horizon.millis();
    long reserved = Math.max(previous, request.reserveUntilMillis());
    long requestedTtl = request.ttl().toMillis();
    String what = "claim worker " + worker;
    Outcome outcome;
    try {
      outcome =
          zk.multi(
              what,
              session -> {
                List<Op> ops = new ArrayList<>(4);
                if (replaced != null) {
                  ops.add(Op.delete(layout.claim(worker), replaced.stat().getVersion()));
                }
                Claim claim = new Claim(grantedTtl(requestedTtl, session), nonce, request.owner());
                ops.add(
                    Op.create(
                        layout.claim(worker), claim.encode(), zk.acl(), CreateMode.EPHEMERAL));
                byte[] horizonData = ZkData.encodeLong(reserved);
                ops.add(
                    horizon == null
                        ? Op.create(
                            layout.horizon(worker), horizonData, zk.acl(), CreateMode.PERSISTENT)
                        : Op.setData(layout.horizon(worker), horizonData, horizon.version()));
                ops.add(Op.setData(layout.clock(), EMPTY, -1));
                return ops;
              });
    } catch (CoordinatorException e) {
      unknownClaims.add(nonce); // the claim node may exist; it was never handed out
      throw e;
    }
    if (!outcome.ok()) {
      int failed = outcome.failedIndex();
      Code code = outcome.codeOf(failed);
      boolean raced =
          code == Code.NODEEXISTS
              || code == Code.BADVERSION
              || (code == Code.NONODE && replaced != null && failed == 0);
      if (raced) {
        return null;
      }
      throw outcome.failure(what);
    }
    Stat transaction =
        outcome.<OpResult.SetDataResult>result(outcome.results().size() - 1).getStat();
    long ttl = grantedTtl(requestedTtl, outcome.session());
    return new LeaseGrant(
        worker,
        request.owner(),
        transaction.getMzxid(),
        transaction.getMtime(),
        transaction.getMtime() + ttl,
        reserved,
        previous);
  }

  private static long grantedTtl(long requestedMillis, ZkClient.Session session) {
    return Math.min(requestedMillis, session.timeoutMillis());
  }

  private boolean isOrphan(ClaimNode node) {
    return unknownClaims.contains(node.claim().nonce());
  }

  private Outcome readWorker(int worker) {
    return zk.multi(
        "read worker " + worker,
        List.of(Op.getData(layout.claim(worker)), Op.getData(layout.horizon(worker))));
  }

  private ClaimNode claimAt(Outcome read, int index, int worker) {
    Code code = read.codeOf(index);
    if (code == Code.NONODE) {
      return null;
    }
    if (code != Code.OK) {
      throw ZkClient.failure("read the claim on worker " + worker, code);
    }
    OpResult.GetDataResult result = read.result(index);
    return new ClaimNode(
        worker, Claim.decode(layout.claim(worker), result.getData()), result.getStat());
  }

  private Horizon horizonAt(Outcome read, int index, int worker) {
    Code code = read.codeOf(index);
    if (code == Code.NONODE) {
      return null;
    }
    if (code != Code.OK) {
      throw ZkClient.failure("read the horizon of worker " + worker, code);
    }
    OpResult.GetDataResult result = read.result(index);
    return new Horizon(
        ZkData.decodeLong(layout.horizon(worker), result.getData()), result.getStat().getVersion());
  }

  /** Horizons of {@code workers}, read in batches; workers without a horizon node are left out. */
  private Map<Integer, Horizon> readHorizons(BitSet workers) {
    Map<Integer, Horizon> horizons = new HashMap<>();
    List<Integer> batch = new ArrayList<>(READ_BATCH);
    for (int w = workers.nextSetBit(0); w >= 0; w = workers.nextSetBit(w + 1)) {
      batch.add(w);
      if (batch.size() == READ_BATCH || workers.nextSetBit(w + 1) < 0) {
        List<Op> ops = new ArrayList<>(batch.size());
        for (int worker : batch) {
          ops.add(Op.getData(layout.horizon(worker)));
        }
        Outcome read = zk.multi("read the horizons of " + batch.size() + " workers", ops);
        for (int i = 0; i < batch.size(); i++) {
          Horizon horizon = horizonAt(read, i, batch.get(i));
          if (horizon != null) {
            horizons.put(batch.get(i), horizon);
          }
        }
        batch.clear();
      }
    }
    return horizons;
  }

  /** Claim nodes of {@code workers}, read in batches, or {@code null} if one vanished meanwhile. */
  private Map<Integer, ClaimNode> readClaims(BitSet workers) {
    Map<Integer, ClaimNode> claims = new HashMap<>();
    List<Integer> batch = new ArrayList<>(READ_BATCH);
    for (int w = workers.nextSetBit(0); w >= 0; w = workers.nextSetBit(w + 1)) {
      batch.add(w);
      if (batch.size() == READ_BATCH || workers.nextSetBit(w + 1) < 0) {
        List<Op> ops = new ArrayList<>(batch.size());
        for (int worker : batch) {
          ops.add(Op.getData(layout.claim(worker)));
        }
        Outcome read = zk.multi("read the claims of " + batch.size() + " workers", ops);
        for (int i = 0; i < batch.size(); i++) {
          ClaimNode claim = claimAt(read, i, batch.get(i));
          if (claim == null) {
            return null;
          }
          claims.put(batch.get(i), claim);
        }
        batch.clear();
      }
    }
    return claims;
  }

  /**
   * The candidate with the oldest horizon, ties broken at random, or {@code null} if there is none.
   */
  private static Candidate oldestHorizon(
      Map<Integer, Horizon> horizons, Map<Integer, ClaimNode> replaced) {
    long oldest = Long.MAX_VALUE;
    List<Integer> tied = new ArrayList<>();
    for (Map.Entry<Integer, Horizon> entry : horizons.entrySet()) {
      long millis = entry.getValue().millis();
      if (millis < oldest) {
        oldest = millis;
        tied.clear();
      }
      if (millis == oldest) {
        tied.add(entry.getKey());
      }
    }
    if (tied.isEmpty()) {
      return null;
    }
    int worker = tied.get(ThreadLocalRandom.current().nextInt(tied.size()));
    return new Candidate(worker, replaced.get(worker), horizons.get(worker));
  }

  private static int pickAtRandom(BitSet workers) {
    int skip = ThreadLocalRandom.current().nextInt(workers.cardinality());
    int worker = workers.nextSetBit(0);
    for (int i = 0; i < skip; i++) {
      worker = workers.nextSetBit(worker + 1);
    }
    return worker;
  }

  /** Worker numbers in {@code [0, maxWorker]} named by the children listed at {@code index}. */
  private static BitSet workers(Outcome listing, int index, String what, int maxWorker) {
    Code code = listing.codeOf(index);
    if (code != Code.OK) {
      throw ZkClient.failure(what, code);
    }
    BitSet workers = new BitSet(maxWorker + 1);
    for (String child : listing.<OpResult.GetChildrenResult>result(index).getChildren()) {
      try {
        int worker = Integer.parseInt(child);
        if (worker >= 0 && worker <= maxWorker) {
          workers.set(worker);
        }
      } catch (NumberFormatException notAWorker) {
        // Not ours; ignored.
      }
    }
    return workers;
  }

  private CoordinatorException missingHorizon(int worker) {
    return new CoordinatorException(
        "worker "
            + worker
            + " has a claim but no horizon node "
            + layout.horizon(worker)
            + "; it was deleted outside idmint, so the worker's earlier IDs are unknown: restore"
            + " the node (or let this worker's claim expire and never reuse the number)");
  }

  private static CoordinatorException contention(String what) {
    return new CoordinatorException(
        "could not "
            + what
            + ": other clients changed the same ZooKeeper nodes "
            + MAX_ATTEMPTS
            + " times in a row; try again");
  }

  /** A claim node as read, with its stat. */
  private record ClaimNode(int worker, Claim claim, Stat stat) {
    long token() {
      return stat.getCzxid();
    }

    /** Expired by ZooKeeper's clock: {@code now - mtime >= ttl}. */
    boolean expiredAt(long nowMillis) {
      return nowMillis - stat.getMtime() >= claim.ttlMillis();
    }
  }

  /** A horizon node as read: its value and version, for the compare-and-set. */
  private record Horizon(long millis, int version) {}

  /** A worker to claim, the claim node it replaces (or null) and its horizon (null if none). */
  private record Candidate(int worker, ClaimNode replaced, Horizon horizon) {}
}
