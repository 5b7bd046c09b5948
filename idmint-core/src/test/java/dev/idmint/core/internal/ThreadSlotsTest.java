package dev.idmint.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadSlotsTest {
  static final class State extends ThreadSlots.Owned {
    State() {
      super(Thread.currentThread());
    }
  }

  private final AtomicInteger made = new AtomicInteger();
  private final ThreadSlots<State> slots =
      new ThreadSlots<>(
          () -> {
            made.incrementAndGet();
            return new State();
          });

  /** What each of {@code threads} got from its calls: one state, its own, every time. */
  private Map<Thread, State> takeFrom(int threads, int callsEach) throws InterruptedException {
    Map<Thread, State> seen = new ConcurrentHashMap<>();
    List<Throwable> failures = new ArrayList<>();
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  State mine = slots.get();
                  for (int i = 0; i < callsEach; i++) {
                    State again = slots.get();
                    if (again != mine || again.owner != Thread.currentThread()) {
                      throw new AssertionError("another thread's state: " + again.owner);
                    }
                  }
                  seen.put(Thread.currentThread(), mine);
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      thread.join();
    }
    assertThat(failures).isEmpty();
    assertThat(seen).hasSize(threads);
    return seen;
  }

  @Test
  void everyThreadGetsOneStateOfItsOwnMadeOnce() throws InterruptedException {
    Map<Thread, State> seen = takeFrom(8, 100_000);

    assertThat(made).hasValue(8);
    Map<State, Boolean> distinct = new IdentityHashMap<>();
    seen.forEach(
        (thread, state) -> {
          assertThat(state.owner).isSameAs(thread);
          distinct.put(state, true);
        });
    assertThat(distinct).hasSize(8);
  }

  @Test
  void slotsOfDeadThreadsAreTakenByNewOnesWhoGetOnlyTheirOwn() throws InterruptedException {
    Map<Thread, State> first = takeFrom(2, 1_000);
    Map<Thread, State> second = takeFrom(3, 1_000);
    for (State dead : first.values()) {
      slots.release(dead);
    }
    Map<Thread, State> third = takeFrom(2, 1_000);

    assertThat(made).hasValue(7);
    for (Map<Thread, State> round : List.of(first, second, third)) {
      round.forEach((thread, state) -> assertThat(state.owner).isSameAs(thread));
    }
  }

  @Test
  void releaseOfAStateInNoSlotChangesNothing() throws InterruptedException {
    State stranger = new State();
    slots.release(stranger);
    State mine = slots.get();

    slots.release(stranger);

    assertThat(slots.get()).isSameAs(mine);
    assertThat(made).hasValue(1);
  }
}
