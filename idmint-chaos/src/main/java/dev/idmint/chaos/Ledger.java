package dev.idmint.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Every call the load made and every ID it was acknowledged. Each load thread writes its own {@link
 * Ledger.Book} (no sharing on the hot path); the books are read only after the load stopped.
 */
final class Ledger {
  /** How a call reached the service. */
  enum Via {
    CLIENT,
    REST,
    GRPC
  }

  /**
   * One call.
   *
   * @param slot the node slot asked (-1 for the Java client, which picks one itself)
   * @param incarnationAtSend the node process serving the slot when the call was sent (-1: none)
   * @param incarnationAtAck the node process serving the slot when the answer came (-1: none)
   * @param sendMillis the campaign's wall clock when the call started
   * @param ackMillis the campaign's wall clock when the answer (or the failure) came
   * @param latencyMicros by the monotonic clock
   * @param error null for a success, else a short reason (HTTP status, gRPC code, exception)
   * @param firstId index of the call's first ID in its book's ID list
   * @param idCount IDs acknowledged
   */
  record Call(
      Via via,
      int namespace,
      int slot,
      int incarnationAtSend,
      int incarnationAtAck,
      long sendMillis,
      long ackMillis,
      long latencyMicros,
      String error,
      int firstId,
      int idCount) {
    boolean ok() {
      return error == null;
    }
  }

  /**
   * One load thread's record. The IDs sit in fixed chunks, so a book of hundreds of millions of IDs
   * never needs a second copy of itself to grow.
   */
  static final class Book {
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;

    final List<Call> calls = new ArrayList<>();
    private final List<long[]> chunks = new ArrayList<>();
    private int idCount;

    int idCount() {
      return idCount;
    }

    long id(int index) {
      return chunks.get(index >>> CHUNK_BITS)[index & (CHUNK - 1)];
    }

    /** Appends {@code count} IDs of {@code batch}; returns the index of the first. */
    int addIds(long[] batch, int count) {
      if ((long) idCount + count > Integer.MAX_VALUE) {
        throw new IllegalStateException("a load thread's book holds at most 2^31 - 1 IDs");
      }
      int first = idCount;
      int done = 0;
      while (done < count) {
        int at = idCount & (CHUNK - 1);
        if (at == 0 && (idCount >>> CHUNK_BITS) == chunks.size()) {
          chunks.add(new long[CHUNK]);
        }
        int n = Math.min(count - done, CHUNK - at);
        System.arraycopy(batch, done, chunks.get(idCount >>> CHUNK_BITS), at, n);
        idCount += n;
        done += n;
      }
      return first;
    }
  }

  private final List<Book> books = new ArrayList<>();

  synchronized Book newBook() {
    Book book = new Book();
    books.add(book);
    return book;
  }

  synchronized List<Book> books() {
    return List.copyOf(books);
  }
}
