package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.lease.LeaseConfig;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@link WorkerLeaseStoreContract} plus what a store reached over the network must do when the
 * path to its engine breaks: the engine is put behind a {@link TcpFaultProxy} and cut off. Every
 * engine module extends this class.
 */
public abstract class NetworkedWorkerLeaseStoreContract extends WorkerLeaseStoreContract {

  /** Where the engine listens, so the fault tests can put a {@link TcpFaultProxy} in front. */
  protected abstract InetSocketAddress engineAddress();

  /**
   * A new client that reaches the engine through {@code host:port} (a fault proxy), configured with
   * the timeouts the store uses in production.
   */
  protected abstract WorkerLeaseStore newStoreVia(String host, int port);

  @Test
  void aNodeCutOffFromTheCoordinatorStopsIssuingBeforeItsLeaseEndsAndResumesAfter()
      throws Exception {
    InetSocketAddress engine = engineAddress();
    LeaseConfig config =
        LeaseConfig.builder(owner())
            .ttl(Duration.ofSeconds(4))
            .renewInterval(Duration.ofMillis(250))
            .horizonAhead(Duration.ofMillis(1_500))
            .safetyMargin(Duration.ofMillis(200))
            .build();
    try (TcpFaultProxy proxy = TcpFaultProxy.start(engine.getHostString(), engine.getPort());
        LeaseManager manager =
            new LeaseManager(newStoreVia(proxy.host(), proxy.port()), config, Clock.system())) {
      manager.start();
      SnowflakeGenerator generator =
          SnowflakeGenerator.builder(SnowflakeLayout.defaults(), manager)
              .maxBorrow(Duration.ZERO)
              .build();
      long before = generator.nextId();

      proxy.cut();
      long cutAt = System.nanoTime();
      long stoppedAfterMillis = -1;
      while (stoppedAfterMillis < 0) {
        try {
          generator.nextId();
          Thread.sleep(5);
        } catch (IdUnavailableException fenced) {
          stoppedAfterMillis = (System.nanoTime() - cutAt) / 1_000_000;
        }
        if ((System.nanoTime() - cutAt) / 1_000_000 > 10_000) {
          throw new AssertionError("still issuing 10 s after the coordinator was cut off");
        }
      }
      assertThat(stoppedAfterMillis)
          .as("stops before the coordinator's 4 s lease could expire")
          .isLessThan(config.ttl().toMillis() - 500);

      proxy.restore();
      long restoredAt = System.nanoTime();
      Long after = null;
      while (after == null) {
        try {
          after = generator.nextId();
        } catch (IdUnavailableException stillFenced) {
          if ((System.nanoTime() - restoredAt) / 1_000_000 > 20_000) {
            throw new AssertionError(
                "not issuing 20 s after the coordinator came back", stillFenced);
          }
          Thread.sleep(20);
        }
      }
      assertThat(after).isGreaterThan(before);
    }
  }

  @Test
  void aTakeoverAfterExpiryIssuesOnlyAboveThePreviousHoldersIds() throws Exception {
    InetSocketAddress engine = engineAddress();
    LeaseConfig first =
        LeaseConfig.builder("first")
            .staticWorker(5)
            .ttl(Duration.ofMillis(1_500))
            .renewInterval(Duration.ofMillis(200))
            .horizonAhead(Duration.ofMillis(600))
            .safetyMargin(Duration.ofMillis(100))
            .build();
    LeaseConfig second =
        LeaseConfig.builder("second")
            .staticWorker(5)
            .ttl(Duration.ofSeconds(10))
            .horizonAhead(Duration.ofSeconds(5))
            .build();
    SnowflakeLayout layout = SnowflakeLayout.defaults();
    try (TcpFaultProxy proxy = TcpFaultProxy.start(engine.getHostString(), engine.getPort());
        LeaseManager paused =
            new LeaseManager(newStoreVia(proxy.host(), proxy.port()), first, Clock.system());
        LeaseManager takeover = new LeaseManager(newStore(), second, Clock.system())) {
      paused.start();
      SnowflakeGenerator pausedIds = SnowflakeGenerator.builder(layout, paused).build();
      long last = 0;
      for (int i = 0; i < 1_000; i++) {
        last = pausedIds.nextId();
      }
      proxy.blackhole(); // the node is paused: it neither renews nor releases
      assertThatThrownBy(takeover::start).isInstanceOf(WorkerTakenException.class);

      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      boolean claimed = false;
      while (!claimed) {
        try {
          takeover.renewNow();
          claimed = true;
        } catch (WorkerTakenException notYet) {
          if (System.nanoTime() > deadline) {
            throw notYet;
          }
          Thread.sleep(50);
        }
      }
      long horizon = takeover.current().previousHorizonMillis();
      assertThat(horizon).isGreaterThanOrEqualTo(layout.decode(last).timestampMillis());
      SnowflakeGenerator takeoverIds = SnowflakeGenerator.builder(layout, takeover).build();
      long firstOfTakeover = -1;
      while (firstOfTakeover < 0) {
        try {
          firstOfTakeover = takeoverIds.nextId();
        } catch (ClockBehindHorizonException waitForHorizon) {
          Thread.sleep(10);
        }
      }
      assertThat(layout.decode(firstOfTakeover).timestampMillis()).isGreaterThan(horizon);
      assertThat(firstOfTakeover).isGreaterThan(last);
      proxy.cut();
    }
  }
}
