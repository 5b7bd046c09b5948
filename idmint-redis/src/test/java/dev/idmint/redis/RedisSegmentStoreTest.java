package dev.idmint.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentStore;
import dev.idmint.testkit.TcpFaultProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the Redis segment store does beyond the shared contract: a counter it cannot trust. */
class RedisSegmentStoreTest {
  @RegisterExtension static final RedisTestSupport redis = new RedisTestSupport();

  @Test
  void theCounterKeyHoldsTheLastIdHandedOut() {
    SegmentStore store = redis.open().segments();
    store.allocate("user", 100);
    assertThat(store.allocate("user", 50)).isEqualTo(new Segment(101, 151));
    assertThat(redis.admin().get(redis.prefix() + "segment:user")).isEqualTo("150");
  }

  @Test
  void aBlackholedPathFailsWithinTheCommandTimeoutAndTheUnknownRangeIsNeverHandedOut()
      throws Exception {
    try (TcpFaultProxy proxy = TcpFaultProxy.start(RedisTestSupport.HOST, RedisTestSupport.PORT)) {
      SegmentStore store = redis.open(proxy.host(), proxy.port()).segments();
      Segment first = store.allocate("user", 10);
      proxy.blackhole();
      long start = System.nanoTime();

      assertThatThrownBy(() -> store.allocate("user", 10))
          .isInstanceOf(CoordinatorException.class)
          .hasMessage(
              "Redis at "
                  + proxy.host()
                  + ":"
                  + proxy.port()
                  + " did not answer allocating 10 IDs of user within 2000 ms (command-timeout);"
                  + " its outcome is unknown");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(4));

      proxy.restore(); // the INCRBY that timed out now reaches Redis and takes [11, 21)
      Segment next = store.allocate("user", 10);
      assertThat(first).isEqualTo(new Segment(1, 11));
      assertThat(next).isEqualTo(new Segment(21, 31));
    }
  }

  @Test
  void aNegativeStepIsRefusedBeforeAnyIo() {
    assertThatThrownBy(() -> redis.open().segments().allocate("user", -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step must be >= 1: step=-3");
  }

  @Test
  void aCounterThatIsNotANumberFailsAsACoordinatorError() {
    redis.admin().set(redis.prefix() + "segment:user", "twelve");
    assertThatThrownBy(() -> redis.open().segments().allocate("user", 10))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageStartingWith("allocating 10 IDs of user on Redis at ")
        .hasMessageContaining("value is not an integer");
  }

  @Test
  void aCounterBelowZeroIsRefusedInsteadOfHandingOutNonPositiveIds() {
    redis.admin().set(redis.prefix() + "segment:user", "-20");
    assertThatThrownBy(() -> redis.open().segments().allocate("user", 10))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageContaining("segment counter " + redis.prefix() + "segment:user on Redis at ")
        .hasMessageEndingWith(
            " stands at -10 after adding 10, so the range would start below 1; was the key"
                + " written by something else?");
  }

  @Test
  void anExhaustedNamespaceFailsInsteadOfWrapping() {
    redis.admin().set(redis.prefix() + "segment:user", Long.toString(Long.MAX_VALUE - 10));
    SegmentStore store = redis.open().segments();

    assertThatThrownBy(() -> store.allocate("user", 10))
        .isInstanceOf(CoordinatorException.class)
        .hasMessage(
            "namespace user is exhausted: "
                + redis.prefix()
                + "segment:user reached 9223372036854775807");
    assertThatThrownBy(() -> store.allocate("user", 1))
        .isInstanceOf(CoordinatorException.class)
        .hasMessageContaining("increment or decrement would overflow");
  }
}
