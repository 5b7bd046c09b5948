package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LedgerTest {
  @Test
  void idsReadBackInOrderAcrossChunkBoundaries() {
    Ledger.Book book = new Ledger.Book();
    long next = 0;
    int[] batchSizes = {1, 65_534, 3, 70_000, 131_072, 5};
    int[] firsts = new int[batchSizes.length];
    for (int b = 0; b < batchSizes.length; b++) {
      long[] batch = new long[batchSizes[b] + 7]; // a buffer larger than its count, as in Load
      for (int i = 0; i < batchSizes[b]; i++) {
        batch[i] = next++ * 3;
      }
      firsts[b] = book.addIds(batch, batchSizes[b]);
    }
    assertThat(book.idCount()).isEqualTo((int) next);
    assertThat(firsts).containsExactly(0, 1, 65_535, 65_538, 135_538, 266_610);
    for (int i = 0; i < next; i++) {
      assertThat(book.id(i)).as("ID %d", i).isEqualTo(i * 3L);
    }
  }

  @Test
  void anUnknownFaultIsRefusedByNameAndAKnownOneNarrowsThePlan() {
    assertThatThrownBy(
            () -> Chaos.plan(CoordinatorUnderTest.Kind.POSTGRES_PRIVATE, "pause-overttl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no fault is called 'pause-overttl'; the faults: [kill-restart,");
    assertThat(
            Chaos.plan(
                CoordinatorUnderTest.Kind.POSTGRES_PRIVATE, " pause-over-ttl,db-kill-over-ttl"))
        .containsExactly(FaultType.PAUSE_OVER_TTL, FaultType.DB_KILL_OVER_TTL);
    // A database fault is dropped where the coordinator has no engine of its own to kill.
    assertThat(Chaos.plan(CoordinatorUnderTest.Kind.ZOOKEEPER, "pause-over-ttl,db-kill-over-ttl"))
        .containsExactly(FaultType.PAUSE_OVER_TTL);
    assertThat(Chaos.plan(CoordinatorUnderTest.Kind.ZOOKEEPER, ""))
        .isEqualTo(Chaos.fullPlan(CoordinatorUnderTest.Kind.ZOOKEEPER));
  }
}
