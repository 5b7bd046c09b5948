package dev.idmint.server;

import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.CoordinatorProvider;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.segment.SegmentStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test coordinator whose clock is off: {@code offset-clock:<url>} opens the coordinator at {@code
 * <url>} and reports, as its own clock, this machine's clock plus {@link #OFFSET_MILLIS}.
 * Everything else is the real coordinator's.
 */
public final class OffsetClockCoordinatorProvider implements CoordinatorProvider {
  static final String SCHEME = "offset-clock:";
  static final String CLOCK_SOURCE = "the test coordinator's clock";

  /** How far the coordinator's clock is ahead of this machine's; tests move it. */
  static final AtomicLong OFFSET_MILLIS = new AtomicLong();

  @Override
  public List<String> schemes() {
    return List.of(SCHEME);
  }

  @Override
  public Coordinator open(String url, Map<String, String> options) {
    Coordinator real = Coordinators.open(url.substring(SCHEME.length()), options);
    WorkerLeaseStore leases = new OffsetClock(real.workerLeases());
    return new Coordinator() {
      @Override
      public String description() {
        return real.description() + " (clock offset by a test)";
      }

      @Override
      public WorkerLeaseStore workerLeases() {
        return leases;
      }

      @Override
      public SegmentStore segments() {
        return real.segments();
      }

      @Override
      public Registry registry() {
        return real.registry();
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  private record OffsetClock(WorkerLeaseStore store) implements WorkerLeaseStore {
    @Override
    public LeaseGrant claim(ClaimRequest request) {
      return store.claim(request);
    }

    @Override
    public LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis) {
      return store.renew(lease, ttlMillis, reserveUntilMillis);
    }

    @Override
    public void release(LeaseGrant lease) {
      store.release(lease);
    }

    @Override
    public CoordinatorTime coordinatorTime(int maxWorker) {
      long highest = store.coordinatorTime(maxWorker).highestHorizonMillis();
      return CoordinatorTime.of(
          CLOCK_SOURCE, System.currentTimeMillis() + OFFSET_MILLIS.get(), highest);
    }

    @Override
    public void onPossibleLoss(Runnable listener) {
      store.onPossibleLoss(listener);
    }
  }
}
