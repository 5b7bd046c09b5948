package dev.idmint.zookeeper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * One real ZooKeeper server in the test JVM, shared by every test class and closed when the JVM
 * exits. Its tickTime is ZooKeeper's default (2000 ms), so sessions of up to 40 s are granted, as
 * with a stock {@code zoo.cfg}.
 */
final class TestZooKeeper {
  private static final AtomicInteger CHROOTS = new AtomicInteger();
  private static TestingServer server;

  private TestZooKeeper() {}

  static synchronized TestingServer server() {
    if (server == null) {
      try {
        TestingServer started =
            new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 2000, -1), true);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                      } catch (IOException ignored) {
                        // exiting anyway
                      }
                    },
                    "test-zookeeper-shutdown"));
        server = started;
      } catch (Exception e) {
        throw new IllegalStateException("could not start the test ZooKeeper server", e);
      }
    }
    return server;
  }

  static InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server().getPort());
  }

  static String hostPort() {
    return "127.0.0.1:" + server().getPort();
  }

  /** A chroot no other test used. */
  static String freshChroot(String prefix) {
    return "/" + prefix + "-" + CHROOTS.incrementAndGet();
  }

  /** Coordinators opened by one test, closed after it. */
  static final class Opened implements AutoCloseable {
    private final List<ZooKeeperCoordinator> coordinators = new ArrayList<>();

    synchronized ZooKeeperCoordinator open(String hostPort, String chroot) {
      return open(ZooKeeperCoordinator.builder("zookeeper://" + hostPort + chroot));
    }

    synchronized ZooKeeperCoordinator open(ZooKeeperCoordinator.Builder builder) {
      ZooKeeperCoordinator coordinator = builder.build();
      coordinators.add(coordinator);
      return coordinator.start();
    }

    @Override
    public synchronized void close() {
      for (ZooKeeperCoordinator coordinator : coordinators) {
        coordinator.close();
      }
      coordinators.clear();
    }
  }
}
