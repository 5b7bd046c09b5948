package dev.idmint.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseLostException;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the Redis lease store does beyond the shared contract: its keys, limits and edge cases. */
class RedisWorkerLeaseStoreTest {
  @RegisterExtension static final RedisTestSupport redis = new RedisTestSupport();

  private static ClaimRequest exactly(String owner, int worker, Duration ttl, long horizon) {
    return new ClaimRequest(owner, OptionalInt.of(worker), 1023, ttl, horizon);
  }

  private static ClaimRequest any(String owner, int maxWorker) {
    return new ClaimRequest(owner, OptionalInt.empty(), maxWorker, Duration.ofMinutes(1), 0);
  }

  @Test
  void theClaimExpiresByRedisClockWhileTheHorizonStays() {
    LeaseGrant grant =
        redis.open().workerLeases().claim(exactly("node-a", 9, Duration.ofSeconds(30), 1_234));
    String claimKey = redis.prefix() + "worker:9:claim";
    String stateKey = redis.prefix() + "worker:9";

    assertThat(redis.admin().get(claimKey)).isEqualTo("node-a|" + grant.fencingToken());
    assertThat(redis.admin().pttl(claimKey)).isBetween(29_000L, 30_000L);
    assertThat(redis.admin().hgetall(stateKey))
        .containsEntry("horizon", "1234")
        .containsEntry("token", Long.toString(grant.fencingToken()))
        .containsEntry("owner", "node-a");
    assertThat(redis.admin().pttl(stateKey)).as("no expiry on the horizon").isEqualTo(-1L);
    long redisNowMillis = redis.admin().time().stream().findFirst().map(Long::parseLong).get();
    assertThat(grant.coordinatorTimeMillis() / 1000).isBetween(redisNowMillis - 5, redisNowMillis);
  }

  @Test
  void everyClaimGetsANewFencingTokenAcrossWorkersAndClients() {
    LeaseGrant first = redis.open().workerLeases().claim(exactly("a", 1, Duration.ofMinutes(1), 0));
    LeaseGrant second =
        redis.open().workerLeases().claim(exactly("b", 2, Duration.ofMinutes(1), 0));
    assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
  }

  @Test
  void aLostTokenCounterDoesNotBringOldTokensBack() {
    WorkerLeaseStore store = redis.open().workerLeases();
    LeaseGrant before = store.claim(exactly("a", 1, Duration.ofMinutes(1), 0));
    redis.admin().del(redis.prefix() + "fencing-token"); // as a failover or restart could

    LeaseGrant after = store.claim(exactly("b", 2, Duration.ofMinutes(1), 0));
    assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
  }

  @Test
  void aRenewalAfterReleaseFailsEvenWhenNobodyClaimedSince() {
    WorkerLeaseStore store = redis.open().workerLeases();
    LeaseGrant grant = store.claim(exactly("node", 4, Duration.ofMinutes(1), 10));
    store.release(grant);

    assertThatThrownBy(() -> store.renew(grant, 1_000, 20))
        .isInstanceOf(LeaseLostException.class)
        .hasMessage(
            "lease on worker 4 (fencing token "
                + grant.fencingToken()
                + ") was lost: released or claimed by another node");
    assertThat(redis.admin().hget(redis.prefix() + "worker:4", "horizon")).isEqualTo("10");
  }

  @Test
  void anOwnerMayContainTheSeparator() {
    WorkerLeaseStore store = redis.open().workerLeases();
    LeaseGrant grant = store.claim(exactly("rack|7|node", 6, Duration.ofMinutes(1), 0));

    assertThatThrownBy(() -> store.claim(exactly("other", 6, Duration.ofMinutes(1), 0)))
        .isInstanceOf(WorkerTakenException.class)
        .hasMessageContaining("worker 6 is already claimed by rack|7|node");
    assertThat(store.renew(grant, 5_000, 0).fencingToken()).isEqualTo(grant.fencingToken());
  }

  @Test
  void keyPrefixesSeparateCoordinatorsSharingOneRedis() {
    WorkerLeaseStore here = redis.open().workerLeases();
    RedisCoordinator elsewhere =
        redis.track(
            RedisCoordinator.builder(
                    "redis://" + RedisTestSupport.HOST + ":" + RedisTestSupport.PORT)
                .keyPrefix(redis.prefix() + "other:")
                .build());
    elsewhere.start();

    here.claim(exactly("a", 3, Duration.ofMinutes(1), 0));
    assertThat(elsewhere.workerLeases().claim(exactly("b", 3, Duration.ofMinutes(1), 0)).worker())
        .isEqualTo(3);
  }

  @Test
  void anyFreeWorkerIsFoundBeyondTheFirstScanBlock() {
    int block = RedisWorkerLeaseStore.SCAN_BLOCK;
    Map<String, String> held = new HashMap<>();
    for (int worker = 0; worker < block; worker++) {
      held.put(redis.prefix() + "worker:" + worker + ":claim", "squatter|0");
    }
    redis.admin().mset(held);
    WorkerLeaseStore store = redis.open().workerLeases();

    assertThat(store.claim(any("late", block + 10)).worker()).isEqualTo(block);
    assertThatThrownBy(() -> store.claim(any("later", block)))
        .isInstanceOf(NoFreeWorkerException.class)
        .hasMessage(
            "no free worker: all "
                + (block + 1)
                + " worker numbers [0, "
                + block
                + "] are claimed; stop a node or widen worker-bits");
  }

  @Test
  void aFlushedScriptCacheIsRefilledOnTheNextCall() {
    WorkerLeaseStore store = redis.open().workerLeases();
    LeaseGrant grant = store.claim(exactly("node", 8, Duration.ofMinutes(1), 0));
    redis.admin().scriptFlush();

    assertThat(store.renew(grant, 10_000, 5).reservedUntilMillis()).isEqualTo(5);
  }

  @Test
  void valuesLuaCannotHoldExactlyAreRefusedNotRounded() {
    WorkerLeaseStore store = redis.open().workerLeases();
    long tooFar = 1L << 53;

    assertThatThrownBy(() -> store.claim(exactly("node", 1, Duration.ofMinutes(1), tooFar)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "reserveUntilMillis must be within ±9007199254740991: reserveUntilMillis=" + tooFar);
    LeaseGrant grant = store.claim(exactly("node", 1, Duration.ofMinutes(1), 0));
    assertThatThrownBy(() -> store.renew(grant, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttlMillis must be in [1, 9007199254740991]: ttlMillis=0");
  }

  @Test
  void aSubMillisecondTtlIsRoundedUpSoRedisNeverHoldsItShorter() {
    LeaseGrant grant =
        redis.open().workerLeases().claim(exactly("node", 2, Duration.ofNanos(1_500_000), 0));
    assertThat(grant.ttlMillis()).isEqualTo(2);
  }
}
