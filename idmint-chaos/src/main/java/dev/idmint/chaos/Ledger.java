package dev.idmint.chaos;

import java.util.ArrayList;
import java.util.Arrays;
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

  /** One load thread's record. */
  static final class Book {
    final List<Call> calls = new ArrayList<>();
    long[] ids = new long[1 << 16];
    int idCount;

    int addIds(long[] batch, int count) {
      int first = idCount;
      if (idCount + count > ids.length) {
        ids = Arrays.copyOf(ids, Math.max(ids.length * 2, idCount + count));
      }
      System.arraycopy(batch, 0, ids, idCount, count);
      idCount += count;
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
