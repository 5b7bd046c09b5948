package dev.idmint.jdbc;

import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.segment.SegmentStore;
import dev.idmint.testkit.NetworkedSegmentStoreContract;
import dev.idmint.testkit.NetworkedWorkerLeaseStoreContract;
import dev.idmint.testkit.SegmentStoreContract;
import dev.idmint.testkit.WorkerLeaseStoreContract;
import java.net.InetSocketAddress;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/** The testkit's store contracts, run against each real database. */
class JdbcContractsTest {

  abstract static class LeaseContract extends NetworkedWorkerLeaseStoreContract {
    private final TestDatabase database;
    private final TestDatabase.Opened opened = new TestDatabase.Opened();

    LeaseContract(TestDatabase database) {
      this.database = database;
    }

    @BeforeEach
    void emptyWorkerTable() {
      database.require();
      opened.open(database, database.host, database.port); // migrates
      database.execute("DELETE FROM " + TestDatabase.SCHEMA + ".idmint_worker");
    }

    @AfterEach
    void closePools() {
      opened.close();
    }

    @Override
    protected WorkerLeaseStore newStore() {
      return opened.open(database, database.host, database.port).workerLeases();
    }

    @Override
    protected InetSocketAddress engineAddress() {
      return database.address();
    }

    @Override
    protected WorkerLeaseStore newStoreVia(String host, int port) {
      return opened.open(database, host, port).workerLeases();
    }
  }

  abstract static class SegmentContract extends NetworkedSegmentStoreContract {
    private final TestDatabase database;
    private final TestDatabase.Opened opened = new TestDatabase.Opened();

    SegmentContract(TestDatabase database) {
      this.database = database;
    }

    @BeforeEach
    void requireDatabase() {
      database.require();
    }

    @AfterEach
    void closePools() {
      opened.close();
    }

    @Override
    protected SegmentStore newStore() {
      return opened.open(database, database.host, database.port).segments();
    }

    @Override
    protected InetSocketAddress engineAddress() {
      return database.address();
    }

    @Override
    protected SegmentStore newStoreVia(String host, int port) {
      return opened.open(database, host, port).segments();
    }
  }

  @Nested
  class PostgresLeases extends LeaseContract {
    PostgresLeases() {
      super(TestDatabase.POSTGRESQL);
    }
  }

  @Nested
  class PostgresSegments extends SegmentContract {
    PostgresSegments() {
      super(TestDatabase.POSTGRESQL);
    }
  }

  @Nested
  class MariaDbLeases extends LeaseContract {
    MariaDbLeases() {
      super(TestDatabase.MARIADB);
    }
  }

  @Nested
  class MariaDbSegments extends SegmentContract {
    MariaDbSegments() {
      super(TestDatabase.MARIADB);
    }
  }

  /** H2 in memory: one database per test, shared by every pool of that test. */
  @Nested
  class H2Leases extends WorkerLeaseStoreContract {
    private final String url = "jdbc:h2:mem:leases-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final java.util.List<JdbcCoordinator> opened = new java.util.ArrayList<>();

    @AfterEach
    void closePools() {
      opened.forEach(JdbcCoordinator::close);
    }

    @Override
    protected boolean coordinatorHasClock() {
      return false;
    }

    @Override
    protected WorkerLeaseStore newStore() {
      JdbcCoordinator coordinator = JdbcCoordinator.builder(url).build().start();
      opened.add(coordinator);
      return coordinator.workerLeases();
    }
  }

  @Nested
  class H2Segments extends SegmentStoreContract {
    private final String url = "jdbc:h2:mem:segments-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final java.util.List<JdbcCoordinator> opened = new java.util.ArrayList<>();

    @AfterEach
    void closePools() {
      opened.forEach(JdbcCoordinator::close);
    }

    @Override
    protected SegmentStore newStore() {
      JdbcCoordinator coordinator = JdbcCoordinator.builder(url).build().start();
      opened.add(coordinator);
      return coordinator.segments();
    }
  }
}
