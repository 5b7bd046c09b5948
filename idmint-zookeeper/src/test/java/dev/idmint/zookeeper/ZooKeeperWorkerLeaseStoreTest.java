package dev.idmint.zookeeper;

import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.testkit.NetworkedWorkerLeaseStoreContract;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;

/**
 * The testkit's worker lease contract against a real ZooKeeper, each test in a fresh chroot, every
 * {@link #newStore()} a new client (its own session) with the production timeouts.
 */
class ZooKeeperWorkerLeaseStoreTest extends NetworkedWorkerLeaseStoreContract {
  private final String chroot = TestZooKeeper.freshChroot("leases");
  private final TestZooKeeper.Opened opened = new TestZooKeeper.Opened();

  @AfterEach
  void closeClients() {
    opened.close();
  }

  @Override
  protected WorkerLeaseStore newStore() {
    return opened.open(TestZooKeeper.hostPort(), chroot).workerLeases();
  }

  @Override
  protected InetSocketAddress engineAddress() {
    return TestZooKeeper.address();
  }

  @Override
  protected WorkerLeaseStore newStoreVia(String host, int port) {
    return opened.open(host + ":" + port, chroot).workerLeases();
  }
}
