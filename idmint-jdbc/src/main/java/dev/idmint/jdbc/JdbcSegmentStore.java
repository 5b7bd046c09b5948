package dev.idmint.jdbc;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.segment.Segment;
import dev.idmint.core.segment.SegmentStore;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Segment ranges from the {@code idmint_segment} table, one atomic update per range (DESIGN.md rule
 * 5; the per-database statement is in {@link Dialect#allocate}). A failure, including a commit
 * whose outcome is unknown, throws: the range it may have taken is never used.
 */
final class JdbcSegmentStore implements SegmentStore {
  static final int MAX_NAMESPACE_LENGTH = 64;

  private final DataSource dataSource;
  private final Dialect dialect;

  JdbcSegmentStore(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  @Override
  public Segment allocate(String namespace, long step) {
    if (step < 1) {
      throw new IllegalArgumentException("step must be >= 1: step=" + step);
    }
    if (namespace == null || namespace.isEmpty() || namespace.length() > MAX_NAMESPACE_LENGTH) {
      throw new IllegalArgumentException(
          "namespace must have 1 to " + MAX_NAMESPACE_LENGTH + " characters: " + namespace);
    }
    try (Connection connection = dataSource.getConnection()) {
      long maxId;
      if (dialect.allocatesInTransaction()) {
        connection.setAutoCommit(false);
        try {
          maxId = dialect.allocate(connection, namespace, step);
          connection.commit();
        } catch (SQLException | RuntimeException e) {
          try {
            connection.rollback();
          } catch (SQLException ignored) {
            // broken connection; the range is thrown away either way
          }
          throw e;
        }
      } else {
        maxId = dialect.allocate(connection, namespace, step);
      }
      return new Segment(maxId - step, maxId);
    } catch (SQLException e) {
      throw new CoordinatorException(
          "could not allocate a segment of "
              + namespace
              + " in "
              + dialect.displayName()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
