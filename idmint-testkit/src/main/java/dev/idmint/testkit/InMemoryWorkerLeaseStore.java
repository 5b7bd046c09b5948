package dev.idmint.testkit;

import dev.idmint.core.Clock;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseLostException;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link WorkerLeaseStore} in memory, for tests and simulations: one instance plays one
 * coordinator shared by any number of lease managers. Its clock is the coordinator's clock. Faults
 * are injected with {@link #setAvailable(boolean)}.
 */
public final class InMemoryWorkerLeaseStore implements WorkerLeaseStore {
  private final Clock coordinatorClock;
  private final Map<Integer, Row> rows = new HashMap<>();
  private long lastToken;
  private volatile boolean available = true;

  public InMemoryWorkerLeaseStore(Clock coordinatorClock) {
    this.coordinatorClock = Objects.requireNonNull(coordinatorClock, "coordinatorClock");
  }

  /** While unavailable, every call fails with {@link CoordinatorException}, as an outage would. */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  /** The horizon recorded for a worker, or 0 if it was never claimed. */
  public synchronized long reservedUntilMillis(int worker) {
    Row row = rows.get(worker);
    return row == null ? 0 : row.reservedUntilMillis;
  }

  /** The owner holding a worker now by the coordinator's clock, or {@code null}. */
  public synchronized String holder(int worker) {
    Row row = rows.get(worker);
    return row != null && row.heldAt(coordinatorClock.wallMillis()) ? row.owner : null;
  }

  @Override
  public synchronized LeaseGrant claim(ClaimRequest request) {
    checkAvailable();
    long now = coordinatorClock.wallMillis();
    int worker;
    if (request.worker().isPresent()) {
      worker = request.worker().getAsInt();
      Row row = rows.get(worker);
      if (row != null && row.heldAt(now)) {
        throw new WorkerTakenException(worker, row.owner);
      }
    } else {
      worker = -1;
      long oldestHorizon = Long.MAX_VALUE;
      for (int candidate = 0; candidate <= request.maxWorker(); candidate++) {
        Row row = rows.get(candidate);
        if (row == null) {
          worker = candidate;
          break;
        }
        if (!row.heldAt(now) && row.reservedUntilMillis < oldestHorizon) {
          worker = candidate;
          oldestHorizon = row.reservedUntilMillis;
        }
      }
      if (worker < 0) {
        throw new NoFreeWorkerException(request.maxWorker());
      }
    }
    Row previous = rows.get(worker);
    long previousHorizon = previous == null ? 0 : previous.reservedUntilMillis;
    Row claimed =
        new Row(
            request.owner(),
            ++lastToken,
            now + request.ttl().toMillis(),
            Math.max(previousHorizon, request.reserveUntilMillis()));
    rows.put(worker, claimed);
    return claimed.grant(worker, now, previousHorizon);
  }

  @Override
  public synchronized LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis) {
    checkAvailable();
    Row row = rows.get(lease.worker());
    if (row == null || row.owner == null || row.token != lease.fencingToken()) {
      throw new LeaseLostException(lease.worker(), lease.fencingToken());
    }
    long now = coordinatorClock.wallMillis();
    Row renewed =
        new Row(
            row.owner,
            row.token,
            now + ttlMillis,
            Math.max(row.reservedUntilMillis, reserveUntilMillis));
    rows.put(lease.worker(), renewed);
    return renewed.grant(lease.worker(), now, lease.previousHorizonMillis());
  }

  @Override
  public synchronized CoordinatorTime coordinatorTime(int maxWorker) {
    checkAvailable();
    long highest = 0;
    for (Row row : rows.values()) {
      highest = Math.max(highest, row.reservedUntilMillis);
    }
    return CoordinatorTime.of(
        "the in-memory coordinator's clock", coordinatorClock.wallMillis(), highest);
  }

  @Override
  public synchronized void release(LeaseGrant lease) {
    checkAvailable();
    Row row = rows.get(lease.worker());
    if (row != null && row.owner != null && row.token == lease.fencingToken()) {
      rows.put(lease.worker(), new Row(null, row.token, 0, row.reservedUntilMillis));
    }
  }

  private void checkAvailable() {
    if (!available) {
      throw new CoordinatorException("in-memory coordinator is unavailable (injected fault)");
    }
  }

  private record Row(String owner, long token, long expiresAtMillis, long reservedUntilMillis) {
    boolean heldAt(long nowMillis) {
      return owner != null && expiresAtMillis > nowMillis;
    }

    LeaseGrant grant(int worker, long nowMillis, long previousHorizon) {
      return new LeaseGrant(
          worker, owner, token, nowMillis, expiresAtMillis, reservedUntilMillis, previousHorizon);
    }
  }
}
