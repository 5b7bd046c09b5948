package dev.idmint.redis;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseLostException;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Worker claims on Redis.
 *
 * <p>Design notes. Keys, under the coordinator's key prefix {@code p}:
 *
 * <ul>
 *   <li>{@code p+"worker:"+n+":claim"}: the claim, {@code owner|token}, created only if absent and
 *       with a PX ttl, so Redis's clock alone decides expiry (DESIGN.md rules 2 and 4).
 *   <li>{@code p+"worker:"+n}: a hash without expiry: {@code horizon} (the reserved horizon, only
 *       ever raised, rule 3), {@code token} (the last claim's fencing token, removed by release),
 *       {@code owner} (the last claimant, for operators).
 *   <li>{@code p+"fencing-token"}: the last token handed out; the next is the greater of it plus
 *       one and Redis's clock in microseconds (see {@link LuaScript#CLAIM}).
 * </ul>
 *
 * Claim, renew and release are Lua scripts ({@link LuaScript}), each atomic in Redis, reporting
 * Redis's {@code TIME}. Claiming any free worker scans the worker numbers in blocks of {@value
 * #SCAN_BLOCK}, one script per block, and takes the free worker with the oldest horizon in the
 * first block that has one; for the usual 1,024 workers that is one atomic scan of all of them.
 *
 * <p>Every failure of Redis, of the connection or of a timeout surfaces as a {@link
 * CoordinatorException}; a claim whose outcome is unknown may have taken a worker, which is then
 * free again when its ttl ends.
 *
 * <p>Every horizon and ttl passes through Lua's doubles, so they must lie within ±2<sup>53</sup>
 * (some 285,000 years of milliseconds); values outside are refused rather than rounded.
 */
final class RedisWorkerLeaseStore implements WorkerLeaseStore {
  /** Worker numbers one claim script scans; at most a millisecond or two of Redis's time. */
  static final int SCAN_BLOCK = 4096;

  private static final long MAX_EXACT = (1L << 53) - 1;

  private final RedisSession session;
  private final String workerKeyBase;
  private final String tokenKey;

  RedisWorkerLeaseStore(RedisSession session, String keyPrefix) {
    this.session = Objects.requireNonNull(session, "session");
    this.workerKeyBase = keyPrefix + "worker:";
    this.tokenKey = keyPrefix + "fencing-token";
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the ttl exceeds 2<sup>53</sup> ms or the horizon lies
   *     outside ±2<sup>53</sup>
   */
  @Override
  public LeaseGrant claim(ClaimRequest request) {
    long ttlMillis = ceilMillis(request.ttl());
    requireExact("reserveUntilMillis", request.reserveUntilMillis());
    if (request.worker().isPresent()) {
      int worker = request.worker().getAsInt();
      List<Object> reply = claimIn(request, ttlMillis, worker, worker, true);
      long status = session.number(reply, 0, LuaScript.CLAIM.name());
      if (status == 0) {
        throw new WorkerTakenException(worker, session.string(reply, 1, LuaScript.CLAIM.name()));
      }
      return granted(request, reply, status, "claiming worker " + worker);
    }
    for (long first = 0; first <= request.maxWorker(); first += SCAN_BLOCK) {
      int last = (int) Math.min(request.maxWorker(), first + SCAN_BLOCK - 1);
      List<Object> reply = claimIn(request, ttlMillis, (int) first, last, false);
      long status = session.number(reply, 0, LuaScript.CLAIM.name());
      if (status != -1) {
        return granted(request, reply, status, "claiming a free worker");
      }
    }
    throw new NoFreeWorkerException(request.maxWorker());
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code ttlMillis} is not in [1, 2<sup>53</sup>) or the
   *     horizon lies outside ±2<sup>53</sup>
   */
  @Override
  public LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis) {
    Objects.requireNonNull(lease, "lease");
    if (ttlMillis < 1 || ttlMillis > MAX_EXACT) {
      throw new IllegalArgumentException(
          "ttlMillis must be in [1, " + MAX_EXACT + "]: ttlMillis=" + ttlMillis);
    }
    requireExact("reserveUntilMillis", reserveUntilMillis);
    List<Object> reply =
        session.run(
            "renewing worker " + lease.worker(),
            LuaScript.RENEW,
            workerKeys(lease.worker()),
            Long.toString(lease.fencingToken()),
            lease.owner(),
            Long.toString(ttlMillis),
            Long.toString(reserveUntilMillis));
    String script = LuaScript.RENEW.name();
    long status = session.number(reply, 0, script);
    if (status == -2) {
      throw new LeaseLostException(lease.worker(), lease.fencingToken());
    }
    if (status != 1) {
      throw session.unexpected(reply, script);
    }
    session.awaitReplicas("renewing worker " + lease.worker());
    return new LeaseGrant(
        lease.worker(),
        lease.owner(),
        lease.fencingToken(),
        session.number(reply, 1, script),
        session.number(reply, 2, script),
        session.number(reply, 3, script),
        lease.previousHorizonMillis());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Redis's {@code TIME}, read last in one script per block of {@value #SCAN_BLOCK} workers (the
   * clock of the last block is reported).
   */
  @Override
  public CoordinatorTime coordinatorTime(int maxWorker) {
    if (maxWorker < 0) {
      throw new IllegalArgumentException("maxWorker must be >= 0: maxWorker=" + maxWorker);
    }
    String script = LuaScript.TIME_AND_HORIZON.name();
    long highest = 0;
    long now = 0;
    for (long first = 0; first <= maxWorker; first += SCAN_BLOCK) {
      long last = Math.min(maxWorker, first + SCAN_BLOCK - 1);
      List<Object> reply =
          session.run(
              "reading Redis's clock and the horizons of workers [" + first + ", " + last + "]",
              LuaScript.TIME_AND_HORIZON,
              new String[0],
              workerKeyBase,
              Long.toString(first),
              Long.toString(last));
      now = session.number(reply, 0, script);
      highest = Math.max(highest, session.number(reply, 1, script));
    }
    return CoordinatorTime.of("Redis's TIME", now, highest);
  }

  @Override
  public void release(LeaseGrant lease) {
    Objects.requireNonNull(lease, "lease");
    session.run(
        "releasing worker " + lease.worker(),
        LuaScript.RELEASE,
        workerKeys(lease.worker()),
        Long.toString(lease.fencingToken()));
  }

  private List<Object> claimIn(
      ClaimRequest request, long ttlMillis, int first, int last, boolean staticWorker) {
    String action =
        staticWorker
            ? "claiming worker " + first
            : "claiming a free worker in [" + first + ", " + last + "]";
    return session.run(
        action,
        LuaScript.CLAIM,
        new String[] {tokenKey},
        workerKeyBase,
        request.owner(),
        Long.toString(ttlMillis),
        Long.toString(request.reserveUntilMillis()),
        Integer.toString(first),
        Integer.toString(last),
        staticWorker ? "1" : "0");
  }

  private LeaseGrant granted(ClaimRequest request, List<Object> reply, long status, String action) {
    String script = LuaScript.CLAIM.name();
    if (status != 1) {
      throw session.unexpected(reply, script);
    }
    long worker = session.number(reply, 1, script);
    if (worker < 0 || worker > request.maxWorker()) {
      throw session.unexpected(reply, script);
    }
    session.awaitReplicas(action);
    return new LeaseGrant(
        (int) worker,
        request.owner(),
        session.number(reply, 2, script),
        session.number(reply, 3, script),
        session.number(reply, 4, script),
        session.number(reply, 5, script),
        session.number(reply, 6, script));
  }

  private String[] workerKeys(int worker) {
    return new String[] {workerKeyBase + worker + ":claim", workerKeyBase + worker};
  }

  /**
   * The ttl in whole milliseconds, rounded up: Redis then holds the claim at least as long as the
   * node assumes, never shorter.
   */
  private static long ceilMillis(Duration ttl) {
    if (ttl.compareTo(Duration.ofMillis(MAX_EXACT)) > 0) {
      throw new IllegalArgumentException("ttl must be at most " + MAX_EXACT + " ms: ttl=" + ttl);
    }
    long millis = ttl.toMillis();
    return ttl.equals(Duration.ofMillis(millis)) ? millis : millis + 1;
  }

  private static void requireExact(String name, long value) {
    if (value > MAX_EXACT || value < -MAX_EXACT) {
      throw new IllegalArgumentException(
          name + " must be within ±" + MAX_EXACT + ": " + name + "=" + value);
    }
  }
}
