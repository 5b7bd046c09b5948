package dev.idmint.bench.insert;

import java.time.Instant;

/**
 * One chunk inserted into one table: how many rows it added, how long that took, and the table
 * after it.
 *
 * @param rowsAfter rows in the table after the chunk
 * @param chunkRows rows the chunk inserted
 * @param chunkNanos wall time of the inserts and commits (keys were taken before)
 * @param indexBytes primary-key index bytes after the chunk (InnoDB: the clustered table)
 * @param tableBytes table bytes including its indexes after the chunk
 * @param logBytes server log bytes written during the chunk (WAL or InnoDB redo); server-wide
 * @param loadAverage the machine's 1-minute load average at the end of the chunk
 */
record Sample(
    Engine engine,
    KeyType key,
    int round,
    long rowsAfter,
    long chunkRows,
    long chunkNanos,
    long indexBytes,
    long tableBytes,
    long logBytes,
    double loadAverage,
    Instant at) {

  double rowsPerSecond() {
    return chunkRows * 1e9 / chunkNanos;
  }

  double logBytesPerRow() {
    return (double) logBytes / chunkRows;
  }
}
