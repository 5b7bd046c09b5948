package dev.idmint.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.WorkerLeaseStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node stalled inside a transaction (SIGSTOP, a long GC pause, a frozen VM in the middle of a
 * renewal) keeps its worker row locked. The fault campaign found that a node taking that worker
 * over then waited on the lock for as long as the stall lasted. The server now ends such a session
 * after the socket timeout, so the worker can be claimed again.
 */
class StalledSessionTest {
  private static final int WORKER = 1000;
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3); // TestDatabase.Opened's
  private final TestDatabase.Opened opened = new TestDatabase.Opened();

  @AfterEach
  void closePools() {
    opened.close();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aSessionStalledInsideATransactionIsEndedSoTheWorkerCanBeClaimedAgain(TestDatabase db)
      throws Exception {
    db.require();
    WorkerLeaseStore first = opened.open(db, db.host, db.port).workerLeases();
    db.execute("DELETE FROM " + TestDatabase.SCHEMA + ".idmint_worker WHERE worker = " + WORKER);
    LeaseGrant held = first.claim(request("stalled-node", Duration.ofSeconds(1)));
    assertThat(held.worker()).isEqualTo(WORKER);

    try (Connection stalled = sessionLikeAPooledOne(db)) {
      stalled.setAutoCommit(false);
      try (Statement lock = stalled.createStatement()) {
        lock.executeQuery(
            "SELECT owner FROM idmint_worker WHERE worker = " + WORKER + " FOR UPDATE");
      }
      // ...and now the node stalls with the row locked, past its lease.
      WorkerLeaseStore second = opened.open(db, db.host, db.port).workerLeases();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      LeaseGrant taken = null;
      CoordinatorException lastFailure = null;
      while (taken == null && System.nanoTime() < deadline) {
        try {
          taken = second.claim(request("successor", Duration.ofSeconds(5)));
        } catch (CoordinatorException e) {
          lastFailure = e; // the expired lease is not held, but its row is still locked
          Thread.sleep(200);
        }
      }
      assertThat(taken)
          .as("worker claimed again while the stalled session lived; last failure: %s", lastFailure)
          .isNotNull();
      assertThat(taken.owner()).isEqualTo("successor");
      assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());
      assertThatThrownBy(() -> stalled.createStatement().executeQuery("SELECT 1").close())
          .as("the server ended the stalled session")
          .isInstanceOf(SQLException.class);
    }
  }

  /** A plain JDBC session set up the way the coordinator's pool sets up its connections. */
  private static Connection sessionLikeAPooledOne(TestDatabase db) throws SQLException {
    Dialect dialect = Dialect.of(db.url());
    Properties properties = new Properties();
    JdbcCoordinator.connectionProperties(dialect, 2_000, SOCKET_TIMEOUT.toMillis())
        .forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
    properties.setProperty("user", db.user);
    if (db.password != null) {
      properties.setProperty("password", db.password);
    }
    Connection connection = DriverManager.getConnection(db.url(), properties);
    String sessionSql = JdbcCoordinator.sessionSql(dialect, SOCKET_TIMEOUT.toMillis());
    if (sessionSql != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sessionSql);
      }
    }
    return connection;
  }

  private static ClaimRequest request(String owner, Duration ttl) {
    return new ClaimRequest(owner, OptionalInt.of(WORKER), 1023, ttl, 0);
  }
}
