package dev.idmint.chaos;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * A 3-server ZooKeeper ensemble (Curator {@code TestingCluster}) in a JVM of its own: {@code
 * ZooKeeperEnsembleMain DATA_DIR CLIENT_PORTS ELECTION_PORTS QUORUM_PORTS} (each a comma-separated
 * list of 3). Prints {@code ensemble ready CONNECT_STRING}, then reads commands on stdin: {@code
 * kill-leader} kills the server that leads now ({@code killed leader ID port P}), {@code restart}
 * starts the killed one again ({@code restarted ID}).
 */
public final class ZooKeeperEnsembleMain {
  private ZooKeeperEnsembleMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println(
          "usage: ZooKeeperEnsembleMain DATA_DIR CLIENT_PORTS ELECTION_PORTS QUORUM_PORTS");
      System.exit(2);
    }
    String[] client = args[1].split(",");
    String[] election = args[2].split(",");
    String[] quorum = args[3].split(",");
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      File dir = new File(args[0], "server" + (i + 1));
      if (!dir.isDirectory() && !dir.mkdirs()) {
        System.err.println("error: cannot create " + dir);
        System.exit(1);
      }
      specs.add(
          new InstanceSpec(
              dir,
              Integer.parseInt(client[i]),
              Integer.parseInt(election[i]),
              Integer.parseInt(quorum[i]),
              false,
              i + 1,
              500,
              200,
              Map.of("admin.enableServer", "false", "4lw.commands.whitelist", "srvr")));
    }
    System.setProperty("zookeeper.4lw.commands.whitelist", "srvr");
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    System.out.println("ensemble ready " + cluster.getConnectString());
    System.out.flush();
    InstanceSpec killed = null;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.strip()) {
        case "kill-leader" -> {
          InstanceSpec leader = null;
          for (int attempt = 0; attempt < 100 && leader == null; attempt++) {
            for (InstanceSpec spec : specs) {
              if ("leader".equals(mode(spec.getPort()))) {
                leader = spec;
              }
            }
            if (leader == null) {
              Thread.sleep(100);
            }
          }
          if (leader == null) {
            System.out.println("no leader found");
          } else {
            cluster.killServer(leader);
            killed = leader;
            System.out.println(
                "killed leader " + leader.getServerId() + " port " + leader.getPort());
          }
        }
        case "restart" -> {
          if (killed != null) {
            cluster.restartServer(killed);
            System.out.println("restarted " + killed.getServerId());
            killed = null;
          } else {
            System.out.println("restarted none");
          }
        }
        default -> System.out.println("unknown command " + line);
      }
      System.out.flush();
    }
  }

  /** The server's mode by the {@code srvr} command: leader, follower, or "" if unreachable. */
  private static String mode(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader reply =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String line;
      while ((line = reply.readLine()) != null) {
        if (line.startsWith("Mode: ")) {
          return line.substring(6).strip();
        }
      }
    } catch (IOException e) {
      // not serving
    }
    return "";
  }
}
