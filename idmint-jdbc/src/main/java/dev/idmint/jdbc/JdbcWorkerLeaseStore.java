package dev.idmint.jdbc;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.CoordinatorTime;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.LeaseLostException;
import dev.idmint.core.lease.NoFreeWorkerException;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;
import javax.sql.DataSource;

/**
 * Worker claims in the {@code idmint_worker} table.
 *
 * <p>Design notes. A worker is free when it has no row, or its row has no owner, or its {@code
 * expires_at} lies before the database's own clock ({@link Dialect#nowMillis()}); node clocks are
 * never compared. Claiming an existing row happens in one transaction that locks the row ({@code
 * SELECT … FOR UPDATE}), checks it is free and updates it, so the check and the claim are atomic; a
 * new row is claimed by {@code INSERT}, which the primary key makes exclusive. Every claim
 * increments the row's {@code fencing_epoch}, the fencing token. Renew and release only touch a row
 * whose owner and epoch are still the caller's.
 */
final class JdbcWorkerLeaseStore implements WorkerLeaseStore {
  private static final int MAX_ATTEMPTS = 64;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String now;

  JdbcWorkerLeaseStore(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.now = dialect.nowMillis();
  }

  @Override
  public LeaseGrant claim(ClaimRequest request) {
    try {
      if (request.worker().isPresent()) {
        int worker = request.worker().getAsInt();
        LeaseGrant grant = insert(worker, request);
        if (grant == null) {
          grant = claimExisting(worker, request);
        }
        if (grant == null) {
          throw new CoordinatorException("worker row " + worker + " vanished while claiming it");
        }
        return grant;
      }
      return claimAny(request);
    } catch (SQLException e) {
      throw failure("claim a worker", e);
    }
  }

  private LeaseGrant claimAny(ClaimRequest request) throws SQLException {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // Never-used numbers first: nobody reserved any time on them, so nothing to wait for.
      int unused = lowestUnused(request.maxWorker());
      if (unused >= 0) {
        LeaseGrant grant = insert(unused, request);
        if (grant != null) {
          return grant;
        }
        continue; // another node inserted it first
      }
      int free = oldestFree(request.maxWorker());
      if (free < 0) {
        throw new NoFreeWorkerException(request.maxWorker());
      }
      LeaseGrant grant = claimExisting(free, request);
      if (grant != null) {
        return grant;
      }
    }
    throw new CoordinatorException(
        "could not claim a worker after " + MAX_ATTEMPTS + " attempts under contention");
  }

  /** Claims {@code worker} by inserting its first row; null if the row exists already. */
  private LeaseGrant insert(int worker, ClaimRequest request) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO idmint_worker"
                    + " (worker, owner, fencing_epoch, expires_at, reserved_until)"
                    + " VALUES (?, ?, 1, "
                    + now
                    + " + ?, ?)")) {
      insert.setInt(1, worker);
      insert.setString(2, request.owner());
      insert.setLong(3, request.ttl().toMillis());
      insert.setLong(4, request.reserveUntilMillis());
      insert.executeUpdate();
      return read(connection, worker, request.owner(), 1, request.ttl().toMillis(), 0);
    } catch (SQLException e) {
      if (isDuplicateKey(e)) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Claims an existing row if it is free by the database's clock. For a static worker a held row is
   * an error; for "any worker" it means another node was faster (returns null).
   */
  private LeaseGrant claimExisting(int worker, ClaimRequest request) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        long previousHorizon;
        long epoch;
        try (PreparedStatement lock =
                connection.prepareStatement(
                    "SELECT worker FROM idmint_worker WHERE worker = ? FOR UPDATE");
            PreparedStatement check =
                connection.prepareStatement(
                    "SELECT owner, fencing_epoch, reserved_until, expires_at <= "
                        + now
                        + " FROM idmint_worker WHERE worker = ?")) {
          // Lock first, then read the clock: a statement that waited for the lock may have read
          // the clock before its wait (PostgreSQL does), and would then think a lease that
          // expired meanwhile still held.
          lock.setInt(1, worker);
          try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
              connection.rollback();
              return null;
            }
          }
          check.setInt(1, worker);
          try (ResultSet rs = check.executeQuery()) {
            if (!rs.next()) {
              connection.rollback();
              return null;
            }
            String owner = rs.getString(1);
            boolean expired = rs.getBoolean(4);
            if (owner != null && !expired) {
              connection.rollback();
              if (request.worker().isPresent()) {
                throw new WorkerTakenException(worker, owner);
              }
              return null;
            }
            epoch = rs.getLong(2) + 1;
            previousHorizon = rs.getLong(3);
          }
        }
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE idmint_worker SET owner = ?, fencing_epoch = ?, expires_at = "
                    + now
                    + " + ?, reserved_until = GREATEST(reserved_until, ?) WHERE worker = ?")) {
          update.setString(1, request.owner());
          update.setLong(2, epoch);
          update.setLong(3, request.ttl().toMillis());
          update.setLong(4, request.reserveUntilMillis());
          update.setInt(5, worker);
          update.executeUpdate();
        }
        LeaseGrant grant =
            read(
                connection,
                worker,
                request.owner(),
                epoch,
                request.ttl().toMillis(),
                previousHorizon);
        connection.commit();
        return grant;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  @Override
  public LeaseGrant renew(LeaseGrant lease, long ttlMillis, long reserveUntilMillis) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        int updated;
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE idmint_worker SET expires_at = "
                    + now
                    + " + ?, reserved_until = GREATEST(reserved_until, ?)"
                    + " WHERE worker = ? AND owner = ? AND fencing_epoch = ?")) {
          update.setLong(1, ttlMillis);
          update.setLong(2, reserveUntilMillis);
          update.setInt(3, lease.worker());
          update.setString(4, lease.owner());
          update.setLong(5, lease.fencingToken());
          updated = update.executeUpdate();
        }
        if (updated == 0) {
          connection.rollback();
          throw new LeaseLostException(lease.worker(), lease.fencingToken());
        }
        LeaseGrant grant =
            read(
                connection,
                lease.worker(),
                lease.owner(),
                lease.fencingToken(),
                ttlMillis,
                lease.previousHorizonMillis());
        connection.commit();
        return grant;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw failure("renew the lease on worker " + lease.worker(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement over every worker row. H2 runs inside this node and its clock is this node's
   * own, so there only the highest horizon is compared with ({@link Dialect#clockSource()}).
   */
  @Override
  public CoordinatorTime coordinatorTime(int maxWorker) {
    String clockSource = dialect.clockSource();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COALESCE(MAX(reserved_until), 0)"
                    + (clockSource == null ? "" : ", " + now)
                    + " FROM idmint_worker");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      long highest = rs.getLong(1);
      return clockSource == null
          ? CoordinatorTime.horizonOnly(highest)
          : CoordinatorTime.of(clockSource, rs.getLong(2), highest);
    } catch (SQLException e) {
      throw failure("read the clock and the highest horizon", e);
    }
  }

  @Override
  public void release(LeaseGrant lease) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE idmint_worker SET owner = NULL, expires_at = "
                    + now
                    + " WHERE worker = ? AND owner = ? AND fencing_epoch = ?")) {
      update.setInt(1, lease.worker());
      update.setString(2, lease.owner());
      update.setLong(3, lease.fencingToken());
      update.executeUpdate();
    } catch (SQLException e) {
      throw failure("release worker " + lease.worker(), e);
    }
  }

  /** Reads the row back after a claim or renewal, in the same transaction or connection. */
  private LeaseGrant read(
      Connection connection,
      int worker,
      String owner,
      long epoch,
      long ttlMillis,
      long previousHorizon)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT expires_at, reserved_until FROM idmint_worker WHERE worker = ?")) {
      select.setInt(1, worker);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new CoordinatorException("worker row " + worker + " vanished while claiming it");
        }
        long expiresAt = rs.getLong(1);
        // expires_at was set to the database's now + ttl by this very transaction.
        return new LeaseGrant(
            worker, owner, epoch, expiresAt - ttlMillis, expiresAt, rs.getLong(2), previousHorizon);
      }
    }
  }

  private int lowestUnused(int maxWorker) throws SQLException {
    BitSet used = new BitSet(maxWorker + 1);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT worker FROM idmint_worker WHERE worker <= ?")) {
      select.setInt(1, maxWorker);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          int worker = rs.getInt(1);
          if (worker >= 0) {
            used.set(worker);
          }
        }
      }
    }
    int unused = used.nextClearBit(0);
    return unused <= maxWorker ? unused : -1;
  }

  private int oldestFree(int maxWorker) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT worker FROM idmint_worker WHERE worker <= ? AND (owner IS NULL OR"
                    + " expires_at <= "
                    + now
                    + ") ORDER BY reserved_until, worker")) {
      select.setInt(1, maxWorker);
      select.setMaxRows(1);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getInt(1) : -1;
      }
    }
  }

  static boolean isDuplicateKey(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool will discard it
    }
  }

  private CoordinatorException failure(String what, SQLException e) {
    return new CoordinatorException(
        "could not " + what + " in " + dialect.displayName() + ": " + e.getMessage(), e);
  }
}
