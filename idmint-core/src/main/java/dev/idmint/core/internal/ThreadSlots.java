package dev.idmint.core.internal;

import java.util.function.Supplier;

/**
 * A thread's own state on a hot path, found for the first two threads that ask without the {@code
 * ThreadLocal} lookup, and through it for every other thread. Not part of the API.
 *
 * <p>Design notes. A {@code ThreadLocal} lookup hashes into the thread's map on every call, which
 * at a few nanoseconds per ID is most of a take. The common cases are one or two busy threads, so
 * the state of the first two threads is kept in two fields, and {@link #get()} compares their
 * owners with the current thread before it falls back to the {@code ThreadLocal}: the first thread
 * pays one compare, the second two, every other thread two more than the lookup alone.
 *
 * <p>The two fields are plain: they are written under this object's lock and read without it. A
 * thread that reads a stale or a racily published value reads only its {@code final} owner (safe
 * through the final-field rule), which then is not the reader itself, so it takes its state from
 * the {@code ThreadLocal}, the one place that ever created it. A state is made once per thread, so
 * a thread never sees two of its own. A slot whose owner died is taken by the next new thread;
 * {@link #release} empties it earlier, so that a dead thread's state can be collected.
 *
 * @param <T> the per-thread state
 */
public final class ThreadSlots<T extends ThreadSlots.Owned> {

  /** Per-thread state: its owner is the one thread that uses it on the hot path. */
  public abstract static class Owned {
    /** The thread this state belongs to; {@code null} only for {@link #NONE}. */
    public final Thread owner;

    protected Owned(Thread owner) {
      this.owner = owner;
    }
  }

  /** Stands for an empty slot: its owner is no thread. */
  private static final Owned NONE = new Owned(null) {};

  private final ThreadLocal<T> others;
  private Owned first = NONE;
  private Owned second = NONE;

  /** Slots whose states {@code create} makes, once per thread, on that thread. */
  public ThreadSlots(Supplier<T> create) {
    this.others = ThreadLocal.withInitial(() -> occupy(create.get()));
  }

  /** The current thread's state, made on its first call. */
  @SuppressWarnings("unchecked")
  public T get() {
    Thread me = Thread.currentThread();
    Owned s = first;
    if (s.owner == me) {
      return (T) s;
    }
    s = second;
    if (s.owner == me) {
      return (T) s;
    }
    return others.get();
  }

  /** Empties the slot that holds {@code state}, if one does. */
  public synchronized void release(T state) {
    if (first == state) {
      first = NONE;
    } else if (second == state) {
      second = NONE;
    }
  }

  private synchronized T occupy(T state) {
    if (free(first)) {
      first = state;
    } else if (free(second)) {
      second = state;
    }
    return state;
  }

  private static boolean free(Owned slot) {
    return slot == NONE || !slot.owner.isAlive();
  }
}
