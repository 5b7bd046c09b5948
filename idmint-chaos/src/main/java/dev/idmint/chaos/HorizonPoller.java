package dev.idmint.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads every worker's reserved horizon straight from the coordinator, over and over, so the
 * checker can tell whether an ID's timestamp had been reserved before the ID was acknowledged.
 */
final class HorizonPoller implements AutoCloseable {
  /**
   * @param startMillis the campaign's clock just before the read: every horizon recorded before
   *     then is included
   */
  record Snapshot(long startMillis, Map<Integer, Long> horizons) {}

  private final CoordinatorUnderTest coordinator;
  private final Duration every;
  private final List<Snapshot> snapshots = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  HorizonPoller(CoordinatorUnderTest coordinator, Duration every) {
    this.coordinator = coordinator;
    this.every = every;
    this.thread = new Thread(this::loop, "chaos-horizon-poller");
    thread.setDaemon(true);
  }

  HorizonPoller start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (running) {
      long start = System.currentTimeMillis();
      try {
        Map<Integer, Long> horizons = coordinator.horizons();
        synchronized (snapshots) {
          snapshots.add(new Snapshot(start, Map.copyOf(horizons)));
        }
      } catch (Exception e) {
        // the coordinator is away (an outage fault); the next poll tries again
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  List<Snapshot> snapshots() {
    synchronized (snapshots) {
      return List.copyOf(snapshots);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // one last read, so IDs acknowledged at the very end have a snapshot after them
    try {
      long start = System.currentTimeMillis();
      Map<Integer, Long> horizons = coordinator.horizons();
      synchronized (snapshots) {
        snapshots.add(new Snapshot(start, Map.copyOf(horizons)));
      }
    } catch (Exception e) {
      // reported as missing snapshots by the checker
    }
  }
}
