package dev.idmint.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.segment.Segment;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Why README.md calls Redis the weakest coordinator, shown on a private primary and replica: a
 * failover to a replica that missed a write hands a range out a second time; {@code wait-replicas}
 * refuses to use a write no replica confirmed.
 */
class RedisReplicationTest {

  /** A started coordinator; with wait-replicas, WAIT lasts half the 3 s command timeout. */
  private static RedisCoordinator open(RedisProcess server, int waitReplicas) {
    RedisCoordinator coordinator =
        RedisCoordinator.builder(server.url())
            .commandTimeout(Duration.ofSeconds(3))
            .waitReplicas(waitReplicas)
            .build();
    coordinator.start();
    return coordinator;
  }

  /** Cuts the replica off its primary and promotes it, as a failover after a partition would. */
  private static void promote(RedisProcess replica) {
    RedisClient client = RedisClient.create(replica.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().replicaofNoOne();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static void awaitReplicaInSync(RedisProcess primary) throws InterruptedException {
    RedisClient client = RedisClient.create(primary.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (connection.sync().waitForReplication(1, 100) < 1) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the replica did not catch up within 10 s");
        }
        Thread.sleep(20);
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void withoutWaitAFailoverToALaggingReplicaHandsARangeOutTwice() throws Exception {
    try (RedisProcess primary = RedisProcess.start(null);
        RedisProcess replica = RedisProcess.start(primary);
        RedisCoordinator onPrimary = open(primary, 0)) {
      awaitReplicaInSync(primary);
      Segment replicated = onPrimary.segments().allocate("order", 10);
      awaitReplicaInSync(primary);
      promote(replica);

      Segment lost = onPrimary.segments().allocate("order", 10);
      try (RedisCoordinator onPromoted = open(replica, 0)) {
        Segment again = onPromoted.segments().allocate("order", 10);

        assertThat(replicated).isEqualTo(new Segment(1, 11));
        assertThat(lost).isEqualTo(new Segment(11, 21));
        assertThat(again).as("the same IDs handed out twice").isEqualTo(lost);
      }
    }
  }

  @Test
  void withWaitReplicasAWriteNoReplicaConfirmedIsNeverUsed() throws Exception {
    try (RedisProcess primary = RedisProcess.start(null);
        RedisProcess replica = RedisProcess.start(primary)) {
      awaitReplicaInSync(primary);
      try (RedisCoordinator onPrimary = open(primary, 1)) {
        assertThat(onPrimary.description())
            .endsWith(", waits for 1 replicas, key prefix 'idmint:')");
        assertThat(onPrimary.segments().allocate("order", 10)).isEqualTo(new Segment(1, 11));
        assertThat(
                onPrimary
                    .workerLeases()
                    .claim(new ClaimRequest("n", OptionalInt.of(1), 1, Duration.ofMinutes(1), 5))
                    .reservedUntilMillis())
            .isEqualTo(5);

        promote(replica);

        assertThatThrownBy(() -> onPrimary.segments().allocate("order", 10))
            .isInstanceOf(CoordinatorException.class)
            .hasMessage(
                "allocating 10 IDs of order on Redis at 127.0.0.1:"
                    + primary.port()
                    + " reached 0 of 1 replicas within 1500 ms (wait-replicas); a failover could"
                    + " lose it, so it is not used");
        assertThatThrownBy(
                () ->
                    onPrimary
                        .workerLeases()
                        .claim(
                            new ClaimRequest(
                                "n", OptionalInt.empty(), 1, Duration.ofMinutes(1), 5)))
            .isInstanceOf(CoordinatorException.class)
            .hasMessageContaining("reached 0 of 1 replicas");
      }
    }
  }

  @Test
  void waitReplicasBeyondTheConnectedOnesIsRefusedAtStart() throws Exception {
    try (RedisProcess primary = RedisProcess.start(null)) {
      assertThatThrownBy(() -> open(primary, 1))
          .isInstanceOf(CoordinatorException.class)
          .hasMessage(
              "Redis at 127.0.0.1:"
                  + primary.port()
                  + " has 0 connected replicas, fewer than wait-replicas=1; every write would"
                  + " fail: lower wait-replicas or connect the replicas");
    }
  }

  @Test
  void aReplicaIsRefusedAsCoordinator() throws Exception {
    try (RedisProcess primary = RedisProcess.start(null);
        RedisProcess replica = RedisProcess.start(primary)) {
      assertThatThrownBy(() -> open(replica, 0))
          .isInstanceOf(CoordinatorException.class)
          .hasMessage(
              "Redis at 127.0.0.1:"
                  + replica.port()
                  + " is a replica (role:slave); point the coordinator URL at the primary");
    }
  }
}
