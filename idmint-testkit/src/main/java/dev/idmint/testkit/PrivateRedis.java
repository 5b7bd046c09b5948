package dev.idmint.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@code redis-server} of a test's own, on a free loopback port and <b>without persistence</b>
 * (no snapshots, no AOF): {@link #kill()} and {@link #startServer()} give a server that starts
 * empty, as a Redis without persistence does after a crash. Never the machine's shared Redis on
 * 6379. The same guard as {@link PrivatePostgres}: {@link #close()} stops it and deletes its
 * directory, a shutdown hook and a watchdog do the same when the JVM goes away.
 *
 * <p>Not thread-safe, except {@link #call}, which opens a connection of its own per call.
 */
public final class PrivateRedis implements AutoCloseable {
  private static final String SERVER_COMMAND = "redis-server";

  private final PrivateInstanceDir dir;
  private final Path pidFile;
  private final Path log;
  private final int port;
  private final ServerProcess server;
  private boolean closed;

  private PrivateRedis(PrivateInstanceDir dir, int port) {
    this.dir = dir;
    this.pidFile = dir.root.resolve("redis.pid");
    this.log = dir.root.resolve("redis.log");
    this.port = port;
    this.server = new ServerProcess("Redis on port " + port, SERVER_COMMAND, pidFile, log);
  }

  /** Skips the calling test (fails it under {@code CI=true}) without {@code redis-server}. */
  public static void requireInstalled() {
    PrivateInstanceDir.requireBinary(
        "Redis", PrivateInstanceDir.onPath(SERVER_COMMAND), "apt-get install -y redis-server");
  }

  /** Starts a new, empty server. */
  public static PrivateRedis start() {
    PrivateRedis[] self = new PrivateRedis[1];
    PrivateInstanceDir dir =
        PrivateInstanceDir.create(
            "redis",
            SERVER_COMMAND,
            () -> {
              if (self[0] != null) {
                self[0].close();
              }
            });
    PrivateRedis redis = new PrivateRedis(dir, PrivateInstanceDir.freePort());
    self[0] = redis;
    try {
      dir.guard(redis.pidFile);
      redis.startServer();
      return redis;
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return log;
  }

  public boolean running() {
    return server.running();
  }

  /** {@code kill -9} of the server; returns once it is gone. Everything it held is lost. */
  public boolean kill() {
    return server.kill();
  }

  /** Starts the server, empty, on the same port; returns once it answers {@code PING}. */
  public void startServer() {
    List<String> command =
        List.of(
            PrivateInstanceDir.onPath(SERVER_COMMAND)
                .orElseThrow(() -> new IllegalStateException("redis-server is not on the PATH"))
                .toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            dir.root.toString(),
            "--pidfile",
            pidFile.toString(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no");
    server.start(command, this::answersPing, Duration.ofSeconds(20));
  }

  private boolean answersPing() {
    try {
      return "PONG".equals(call("PING").orElse(null));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs one command on a connection of its own and returns its reply: a simple or bulk string, an
   * integer as text, or empty for a nil reply.
   *
   * @throws IOException if the server cannot be reached or answers with an error
   */
  public Optional<String> call(String... arguments) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host(), port), 1_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
      for (String argument : arguments) {
        byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
        request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      int type = in.read();
      String line = readLine(in);
      switch (type) {
        case '+', ':' -> {
          return Optional.of(line);
        }
        case '$' -> {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return Optional.empty();
          }
          byte[] body = in.readNBytes(length + 2);
          return Optional.of(new String(body, 0, length, StandardCharsets.UTF_8));
        }
        case '-' ->
            throw new IOException("Redis answered " + String.join(" ", arguments) + ": " + line);
        default -> throw new IOException("unexpected Redis reply type " + type + ": " + line);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\r') {
      line.write(b);
    }
    in.read(); // '\n'
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Stops the server (SIGTERM, then SIGKILL) and deletes the directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop();
    dir.delete();
  }
}
