package dev.idmint.chaos;

import java.io.File;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server in a JVM of its own, so that the campaign can kill it ({@code kill -9})
 * and start it again on the same port and data directory: {@code ZooKeeperMain PORT DATA_DIR}.
 * Prints {@code zookeeper ready on port N} once it serves, then runs until killed.
 */
public final class ZooKeeperMain {
  private ZooKeeperMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: ZooKeeperMain PORT DATA_DIR");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    File dataDir = new File(args[1]);
    if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
      System.err.println("error: cannot create " + dataDir);
      System.exit(1);
    }
    // tickTime 500 ms: sessions of 1 to 10 s, so the campaign's 3 s leases are not capped.
    InstanceSpec spec =
        new InstanceSpec(
            dataDir, port, -1, -1, false, 1, 500, 200, Map.of("admin.enableServer", "false"));
    TestingServer server = new TestingServer(spec, true);
    System.out.println("zookeeper ready on port " + server.getPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
