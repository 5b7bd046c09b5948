package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SegmentStore} must do, run against its real engine. A store module extends this
 * class once per engine; {@link #newStore()} may be called several times per test and every call
 * must return a new client (its own pool) of the same coordinator.
 */
public abstract class SegmentStoreContract {

  /** A new client of the coordinator under test. */
  protected abstract SegmentStore newStore();

  /** A namespace no earlier test used. */
  protected String freshNamespace() {
    return "ns-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void theFirstRangeOfANamespaceStartsAtOne() {
    Segment segment = newStore().allocate(freshNamespace(), 100);
    assertThat(segment).isEqualTo(new Segment(1, 101));
  }

  @Test
  void consecutiveRangesFollowEachOtherEvenWhenTheStepChanges() {
    SegmentStore store = newStore();
    String namespace = freshNamespace();
    Segment a = store.allocate(namespace, 10);
    Segment b = store.allocate(namespace, 1_000);
    Segment c = store.allocate(namespace, 3);
    assertThat(b.start()).isEqualTo(a.end());
    assertThat(c.start()).isEqualTo(b.end());
    assertThat(b.size()).isEqualTo(1_000);
    assertThat(c.size()).isEqualTo(3);
  }

  @Test
  void namespacesAreIndependent() {
    SegmentStore store = newStore();
    String first = freshNamespace();
    String second = freshNamespace();
    store.allocate(first, 500);
    assertThat(store.allocate(second, 10).start()).isEqualTo(1);
  }

  @Test
  void eightThreadsOnTwoClientsNeverGetOverlappingRanges() throws Exception {
    SegmentStore[] clients = {newStore(), newStore()};
    String namespace = freshNamespace();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Segment>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        SegmentStore store = clients[t % 2];
        long step = 1 + t * 7L;
        futures.add(
            pool.submit(
                () -> {
                  List<Segment> got = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    got.add(store.allocate(namespace, step + (i % 3)));
                  }
                  return got;
                }));
      }
      List<Segment> all = new ArrayList<>();
      for (Future<List<Segment>> future : futures) {
        all.addAll(future.get());
      }
      all.sort(Comparator.comparingLong(Segment::start));
      assertThat(all).hasSize(400);
      assertThat(all.get(0).start()).isEqualTo(1);
      for (int i = 1; i < all.size(); i++) {
        assertThat(all.get(i).start())
            .as("range %s overlaps or leaves a gap after %s", all.get(i), all.get(i - 1))
            .isEqualTo(all.get(i - 1).end());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStepBelowOneIsRefused() {
    SegmentStore store = newStore();
    assertThatThrownBy(() -> store.allocate(freshNamespace(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step must be >= 1: step=0");
  }
}
