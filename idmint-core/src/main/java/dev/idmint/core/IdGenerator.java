package dev.idmint.core;

/**
 * Issues raw IDs of one namespace: positive 63-bit longs, never 0, never repeated. Implementations
 * are thread-safe and never block on I/O; when they cannot issue safely they throw an {@link
 * IdUnavailableException} rather than return anything that could be mistaken for an ID.
 */
public interface IdGenerator {

  /**
   * Returns one new ID.
   *
   * @throws IdUnavailableException if no ID can be issued safely right now
   */
  long nextId();

  /**
   * Fills {@code ids[offset, offset + count)} with new IDs. Either every slot is filled with an ID
   * that counts as issued, or an exception is thrown and none of them may be used.
   *
   * @throws IllegalArgumentException if the range does not lie within {@code ids} or count &lt; 0
   * @throws IdUnavailableException if the IDs cannot be issued safely right now
   */
  void nextIds(long[] ids, int offset, int count);

  /**
   * Returns {@code count} new IDs.
   *
   * @throws IllegalArgumentException if {@code count < 1}
   * @throws IdUnavailableException if the IDs cannot be issued safely right now
   */
  default long[] nextIds(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: count=" + count);
    }
    long[] ids = new long[count];
    nextIds(ids, 0, count);
    return ids;
  }
}
