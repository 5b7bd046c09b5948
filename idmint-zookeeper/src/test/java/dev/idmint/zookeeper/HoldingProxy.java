package dev.idmint.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy that holds back the request carrying a marker: the first time a chunk from
 * the client contains the marker's bytes, that chunk and everything after it, in both directions,
 * wait until {@link #release()}. So one chosen write reaches ZooKeeper late and its answer misses
 * the client's timeout, as a network that delays packets would do.
 */
final class HoldingProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final byte[] marker;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch released = new CountDownLatch(1);
  private final CountDownLatch held = new CountDownLatch(1);
  private volatile boolean holding;

  HoldingProxy(InetSocketAddress target, String marker) throws IOException {
    this.target = target;
    this.marker = marker.getBytes(StandardCharsets.UTF_8);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  String hostPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** True once the marked request was seen and held. */
  boolean hasHeld() {
    return held.getCount() == 0;
  }

  void release() {
    released.countDown();
  }

  @Override
  public void close() throws IOException {
    release();
    server.close();
    threads.shutdownNow();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        threads.execute(() -> pump(client, upstream, true));
        threads.execute(() -> pump(upstream, client, false));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (fromClient && held.getCount() > 0 && contains(buffer, n)) {
          holding = true;
          held.countDown();
        }
        if (holding) {
          released.await();
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // closed
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private boolean contains(byte[] buffer, int length) {
    outer:
    for (int i = 0; i + marker.length <= length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (buffer[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
