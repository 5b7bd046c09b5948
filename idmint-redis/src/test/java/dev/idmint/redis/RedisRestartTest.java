package dev.idmint.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.ClockBehindHorizonException;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.SegmentUnavailableException;
import dev.idmint.core.lease.LeaseConfig;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.segment.SegmentGenerator;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.snowflake.SnowflakeLayout;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Why docs/coordinators.md calls Redis the weakest coordinator, shown on a private server that is
 * killed and started again without persistence, as a Redis without AOF restarts: every claim,
 * horizon and segment counter is gone. What the nodes that ran through it do is exactly this.
 */
class RedisRestartTest {
  private static final Clock CLOCK = Clock.system();

  private static LeaseConfig config(String owner) {
    return LeaseConfig.builder(owner)
        .maxWorker(1)
        .ttl(Duration.ofSeconds(4))
        .renewInterval(Duration.ofMillis(250))
        .horizonAhead(Duration.ofMillis(1500))
        .build();
  }

  private static RedisCoordinator open(RedisProcess server) {
    RedisCoordinator coordinator = RedisCoordinator.builder(server.url()).build();
    coordinator.start();
    return coordinator;
  }

  /** Retries while the client reconnects to the restarted server; at most 10 s. */
  private static void renewUntilAnswered(LeaseManager manager) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        manager.renewNow();
        return;
      } catch (CoordinatorException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aNodeThatRanThroughTheRestartTakesOverAWorkerOnlyAboveEveryLostHorizon() throws Exception {
    RedisProcess server = RedisProcess.start(null);
    try (RedisCoordinator coordinator = open(server)) {
      LeaseManager a = new LeaseManager(coordinator.workerLeases(), config("node-a"), CLOCK);
      LeaseManager b = new LeaseManager(coordinator.workerLeases(), config("node-b"), CLOCK);
      try {
        a.renewNow();
        b.renewNow();
        SnowflakeLayout layout = SnowflakeLayout.defaults();
        SnowflakeGenerator fromA = SnowflakeGenerator.builder(layout, a).build();
        SnowflakeGenerator fromB = SnowflakeGenerator.builder(layout, b).build();
        Set<Long> issued = new HashSet<>();
        Arrays.stream(fromA.nextIds(10_000)).forEach(issued::add);
        Arrays.stream(fromB.nextIds(10_000)).forEach(issued::add);
        a.renewNow();
        b.renewNow();
        long lostHorizon =
            Math.max(a.current().reservedUntilMillis(), b.current().reservedUntilMillis());

        server = server.killAndRestartEmpty();
        // node-a stalls here (a long GC pause, say) and holds its worker's IDs in flight; node-b
        // renews, finds its claim gone, and claims again: any worker, each with horizon 0.
        renewUntilAnswered(b);
        assertThat(b.current().previousHorizonMillis())
            .as("previous horizon 0 from the empty Redis, published above every lost one")
            .isGreaterThan(lostHorizon);
        assertThatThrownBy(fromB::nextId).isInstanceOf(ClockBehindHorizonException.class);

        long waitMillis = b.current().previousHorizonMillis() - CLOCK.wallMillis() + 1;
        Thread.sleep(Math.max(0, waitMillis));
        b.renewNow();
        long[] after = fromB.nextIds(10_000);
        for (long id : after) {
          assertThat(issued.add(id)).as("ID %d issued twice", id).isTrue();
        }
        assertThat(layout.decode(after[0]).timestamp().toEpochMilli()).isGreaterThan(lostHorizon);
      } finally {
        a.close();
        b.close();
      }
    } finally {
      server.close();
    }
  }

  /**
   * The highest horizon need not look lower to every node: one that reads only after a node started
   * afresh has recorded a new horizon sees none go back. Its claim vanished while its local
   * deadline had not passed, which tells it the same.
   */
  @Test
  void aNodeThatSeesNoHorizonGoBackStillKnowsFromItsVanishedClaim() throws Exception {
    RedisProcess server = RedisProcess.start(null);
    try (RedisCoordinator coordinator = open(server)) {
      LeaseManager b = new LeaseManager(coordinator.workerLeases(), config("node-b"), CLOCK);
      LeaseManager fresh = new LeaseManager(coordinator.workerLeases(), config("node-c"), CLOCK);
      try {
        b.renewNow();
        b.renewNow();
        long lostHorizon = b.current().reservedUntilMillis();

        server = server.killAndRestartEmpty();
        renewUntilAnswered(fresh); // started after the loss: records wall + 1.5 s, above b's
        assertThat(coordinator.workerLeases().coordinatorTime(1).highestHorizonMillis())
            .isGreaterThanOrEqualTo(lostHorizon);
        renewUntilAnswered(b);
        assertThat(b.current().worker()).isNotEqualTo(fresh.current().worker());
        assertThat(b.current().previousHorizonMillis())
            .as("previous horizon 0, published above every lost one")
            .isGreaterThan(lostHorizon + 2_000);
      } finally {
        b.close();
        fresh.close();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void aSegmentCounterThatStartsOverIsRefusedByEveryNodeThatServedAboveIt() throws Exception {
    RedisProcess server = RedisProcess.start(null);
    try (RedisCoordinator coordinator = open(server)) {
      SegmentConfig sizing = SegmentConfig.builder().fixedStep(1_000).build();
      try (SegmentGenerator generator =
          new SegmentGenerator("seg", coordinator.segments(), sizing, CLOCK)) {
        generator.start();
        long served = 0;
        for (int i = 0; i < 2_500; i++) {
          served = generator.nextId();
        }
        long highWater = generator.highWater();

        server = server.killAndRestartEmpty();
        // The buffers already loaded keep serving; once they are used up, the counter that
        // started over hands out ranges this node served, and it refuses every one of them.
        long lastServed = served;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        SegmentUnavailableException refused = null;
        while (refused == null && System.nanoTime() - deadline < 0) {
          try {
            long id = generator.nextId();
            assertThat(id).isGreaterThan(lastServed);
            lastServed = id;
          } catch (SegmentUnavailableException e) {
            if (String.valueOf(e.getMessage()).contains("high-water")) {
              refused = e;
            } else {
              Thread.sleep(50); // the client is still reconnecting
            }
          }
        }
        assertThat(refused).as("refused for the high-water mark within 20 s").isNotNull();
        assertThat(refused.getCause())
            .isInstanceOf(CoordinatorException.class)
            .hasMessageMatching(
                "segment store returned \\[\\d+, \\d+\\) for seg, below the high-water mark \\d+"
                    + " already served; refusing it \\(was the store reset or restored\\?\\)");
        assertThat(generator.highWater()).isGreaterThanOrEqualTo(highWater);
      }
    } finally {
      server.close();
    }
  }
}
