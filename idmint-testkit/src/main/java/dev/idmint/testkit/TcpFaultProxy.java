package dev.idmint.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that can cut the path to a real engine, for tests of what a node does
 * when its coordinator becomes unreachable ({@code tc netem} does not work in the sandbox this
 * project is tested in). Point a store at {@link #address()} instead of the engine.
 *
 * <ul>
 *   <li>{@link #cut()}: closes every open connection and refuses new ones, as a stopped engine or a
 *       broken network path would.
 *   <li>{@link #blackhole()}: keeps connections open but forwards nothing, as a partition that
 *       drops packets would; clients only notice through their own timeouts.
 *   <li>{@link #restore()}: forwards again.
 * </ul>
 */
public final class TcpFaultProxy implements AutoCloseable {
  private enum Mode {
    FORWARD,
    CUT,
    BLACKHOLE
  }

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.FORWARD;

  private TcpFaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "tcp-fault-proxy-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts a proxy to {@code host:port} on an ephemeral loopback port. */
  public static TcpFaultProxy start(String host, int port) throws IOException {
    TcpFaultProxy proxy = new TcpFaultProxy(new InetSocketAddress(host, port));
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  /** Where clients should connect. */
  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Closes every connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    mode = Mode.CUT;
    closeAll();
  }

  /** Stops forwarding without closing anything, until {@link #restore()}. */
  public void blackhole() {
    mode = Mode.BLACKHOLE;
  }

  /** Forwards again; connections cut meanwhile stay closed. */
  public void restore() {
    mode = Mode.FORWARD;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    closeAll();
    threads.shutdownNow();
  }

  private void closeAll() {
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (mode == Mode.CUT) {
        closeQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 2_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      open.add(client);
      open.add(upstream);
      threads.execute(() -> pump(client, upstream));
      threads.execute(() -> pump(upstream, client));
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        while (mode == Mode.BLACKHOLE) {
          Thread.sleep(5);
        }
        if (mode == Mode.CUT) {
          break;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (SocketException closed) {
      // the other side or cut() closed it
    } catch (IOException e) {
      // connection broke
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
