package dev.idmint.zookeeper;

import dev.idmint.core.registry.Registry;
import dev.idmint.testkit.RegistryContract;
import org.junit.jupiter.api.AfterEach;

/** The testkit's registry contract against a real ZooKeeper, each client its own session. */
class ZooKeeperRegistryTest extends RegistryContract {
  private final String chroot = TestZooKeeper.freshChroot("registry");
  private final TestZooKeeper.Opened opened = new TestZooKeeper.Opened();

  @AfterEach
  void closeClients() {
    opened.close();
  }

  @Override
  protected Registry newRegistry() {
    return opened.open(TestZooKeeper.hostPort(), chroot).registry();
  }
}
