package dev.idmint.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code redis-server} on a free loopback port, without persistence, for tests that need
 * replicas or a failover the shared test server must not see. Skipped where no {@code redis-server}
 * is on the PATH.
 */
final class RedisProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private RedisProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts a primary, or a replica of {@code primary} when it is not {@code null}. Tries a few free
   * ports, since another process may take the one picked before the server binds it.
   */
  static RedisProcess start(RedisProcess primary) throws IOException, InterruptedException {
    String binary = findOnPath("redis-server");
    if (binary == null && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(
          "redis-server is not on the PATH, and under CI=true this test must run: apt-get install"
              + " redis-server");
    }
    Assumptions.assumeTrue(
        binary != null, "redis-server is not on the PATH; replication tests need to start one");
    IOException failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startOnce(binary, primary);
      } catch (IOException e) {
        if (failure != null) {
          e.addSuppressed(failure);
        }
        failure = e;
      }
    }
    throw failure;
  }

  private static RedisProcess startOnce(String binary, RedisProcess primary)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // Its own working directory: a replica writes the primary's snapshot there while syncing.
    return startOn(binary, port, Files.createTempDirectory("idmint-redis-test-"), primary);
  }

  /**
   * {@code kill -9} of this server, and a new one on the same port: without persistence it starts
   * empty, as a restarted Redis without AOF or snapshots does. This object is closed; use the one
   * returned.
   */
  RedisProcess killAndRestartEmpty() throws IOException, InterruptedException {
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
    return startOn(findOnPath("redis-server"), port, dir, null);
  }

  private static RedisProcess startOn(String binary, int port, Path dir, RedisProcess primary)
      throws IOException, InterruptedException {
    Path log = dir.resolve("redis.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary,
                "--dir",
                dir.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                log.toString(),
                "--repl-diskless-sync-delay",
                "0"));
    if (primary != null) {
      command.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port)));
    }
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(discard()).start();
    RedisProcess redis = new RedisProcess(process, port, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!redis.answers()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        String output = Files.exists(log) ? Files.readString(log) : "(no log)";
        redis.close();
        throw new IOException("redis-server on port " + port + " did not start:\n" + output);
      }
      Thread.sleep(20);
    }
    return redis;
  }

  int port() {
    return port;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  private boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int n = in.read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static File discard() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File candidate = new File(dir, name);
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }
}
