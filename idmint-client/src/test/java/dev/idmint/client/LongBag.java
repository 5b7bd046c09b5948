package dev.idmint.client;

import java.util.Arrays;

/** A growable {@code long[]} for one thread. */
final class LongBag {
  private long[] values = new long[1 << 12];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  void addAll(long[] more) {
    for (long value : more) {
      add(value);
    }
  }

  int size() {
    return size;
  }

  long[] toArray() {
    return Arrays.copyOf(values, size);
  }

  /** All values of all bags, sorted. */
  static long[] sortedUnion(Iterable<LongBag> bags) {
    int total = 0;
    for (LongBag bag : bags) {
      total += bag.size;
    }
    long[] out = new long[total];
    int at = 0;
    for (LongBag bag : bags) {
      System.arraycopy(bag.values, 0, out, at, bag.size);
      at += bag.size;
    }
    Arrays.parallelSort(out);
    return out;
  }
}
