package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ensemble the {@code zk-leader-kill} fault runs on: three servers in a JVM of their own; the
 * leader is found and killed, the other two elect a new one and keep serving, and the killed one
 * comes back.
 */
class ZooKeeperEnsembleTest {
  @TempDir Path dir;

  @Test
  void theLeaderIsKilledTheOthersServeAndItComesBack() throws Exception {
    try (CoordinatorUnderTest zk =
        CoordinatorUnderTest.create(CoordinatorUnderTest.Kind.ZOOKEEPER_ENSEMBLE, "t", dir)) {
      zk.start();
      String connect = zk.nodeConfigYaml().split("zookeeper://")[1].split("/chaos")[0];
      assertThat(connect.split(",")).hasSize(3);
      try (CuratorFramework client =
          CuratorFrameworkFactory.newClient(connect, 10_000, 2_000, new RetryNTimes(20, 250))) {
        client.start();
        client.create().creatingParentsIfNeeded().forPath("/chaos/before", "1".getBytes());

        String killed = zk.killLeader();
        assertThat(killed).startsWith("killed leader ");
        client.create().forPath("/chaos/during", "2".getBytes()); // a quorum of two serves
        zk.restartKilledServer();
        client.create().forPath("/chaos/after", "3".getBytes());
        assertThat(new String(client.getData().forPath("/chaos/before"), StandardCharsets.UTF_8))
            .isEqualTo("1");
        assertThat(client.getChildren().forPath("/chaos")).contains("before", "during", "after");
      }
    }
  }
}
