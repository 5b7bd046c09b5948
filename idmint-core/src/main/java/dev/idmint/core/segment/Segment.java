package dev.idmint.core.segment;

/**
 * A range {@code [start, end)} of a segment namespace, handed to one node by one atomic update in
 * the coordinator.
 *
 * @param start the first ID of the range, at least 1
 * @param end one past the last ID of the range
 */
public record Segment(long start, long end) {
  public Segment {
    if (start < 1 || end <= start) {
      throw new IllegalArgumentException(
          "a segment is a non-empty range of positive IDs: start=" + start + ", end=" + end);
    }
  }

  public long size() {
    return end - start;
  }
}
