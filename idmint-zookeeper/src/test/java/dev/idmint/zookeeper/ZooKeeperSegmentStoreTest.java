package dev.idmint.zookeeper;

import dev.idmint.core.segment.SegmentStore;
import dev.idmint.testkit.NetworkedSegmentStoreContract;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;

/** The testkit's segment contract against a real ZooKeeper, each client its own session. */
class ZooKeeperSegmentStoreTest extends NetworkedSegmentStoreContract {
  private final String chroot = TestZooKeeper.freshChroot("segments");
  private final TestZooKeeper.Opened opened = new TestZooKeeper.Opened();

  @AfterEach
  void closeClients() {
    opened.close();
  }

  @Override
  protected SegmentStore newStore() {
    return opened.open(TestZooKeeper.hostPort(), chroot).segments();
  }

  @Override
  protected InetSocketAddress engineAddress() {
    return TestZooKeeper.address();
  }

  @Override
  protected SegmentStore newStoreVia(String host, int port) {
    return opened.open(host + ":" + port, chroot).segments();
  }
}
