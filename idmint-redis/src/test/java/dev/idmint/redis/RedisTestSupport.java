package dev.idmint.redis;

import dev.idmint.testkit.Engines;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Redis the tests run against ({@code IDMINT_REDIS_HOST}, {@code IDMINT_REDIS_PORT},
 * default 127.0.0.1:6379), a raw admin connection to inspect and prepare keys, and per-test
 * isolation: every test method gets its own key prefix, its coordinators are closed and its keys
 * deleted afterwards. A test class registers it once: {@code @RegisterExtension static final
 * RedisTestSupport redis = new RedisTestSupport();}
 */
final class RedisTestSupport
    implements AutoCloseable,
        BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback {
  static final String HOST = Engines.env("IDMINT_REDIS_HOST", "127.0.0.1");
  static final int PORT = Integer.parseInt(Engines.env("IDMINT_REDIS_PORT", "6379"));

  private RedisClient adminClient;
  private StatefulRedisConnection<String, String> adminConnection;
  private final List<RedisCoordinator> opened = new ArrayList<>();
  private String prefix;

  @Override
  public void beforeAll(ExtensionContext context) {
    requireRedis();
    RedisURI uri = RedisURI.builder().withHost(HOST).withPort(PORT).build();
    uri.setTimeout(Duration.ofSeconds(10));
    adminClient = RedisClient.create(uri);
    adminConnection = adminClient.connect();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (adminConnection != null) {
      close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    requireRedis();
    beginTest(
        context.getRequiredTestClass().getSimpleName(),
        context.getTestMethod().map(m -> m.getName()).orElse("test"));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    endTest();
  }

  /** Skips (or fails, under CI=true) when Redis is not reachable. */
  static void requireRedis() {
    Engines.require(
        "Redis", HOST, PORT, "redis-server --daemonize yes --port 6379 --save '' --appendonly no");
  }

  /** Starts a new test: a fresh key prefix named after it. */
  private void beginTest(String type, String method) {
    prefix =
        "idmint-test:"
            + type
            + "."
            + method
            + ":"
            + UUID.randomUUID().toString().substring(0, 8)
            + ":";
  }

  /** The key prefix of the running test. */
  String prefix() {
    return prefix;
  }

  /** A started coordinator with the test's key prefix, reaching Redis at {@code host:port}. */
  RedisCoordinator open(String host, int port) {
    RedisCoordinator coordinator =
        RedisCoordinator.builder("redis://" + host + ":" + port).keyPrefix(prefix).build();
    synchronized (opened) {
      opened.add(coordinator);
    }
    coordinator.start();
    return coordinator;
  }

  /** A started coordinator with the test's key prefix on the real Redis. */
  RedisCoordinator open() {
    return open(HOST, PORT);
  }

  /** Keeps {@code coordinator} to be closed when the test ends. */
  <T extends RedisCoordinator> T track(T coordinator) {
    synchronized (opened) {
      opened.add(coordinator);
    }
    return coordinator;
  }

  /** Raw commands on the real Redis, to inspect or prepare keys. */
  RedisCommands<String, String> admin() {
    return adminConnection.sync();
  }

  /** Closes the test's coordinators and deletes its keys. */
  void endTest() {
    List<RedisCoordinator> toClose;
    synchronized (opened) {
      toClose = new ArrayList<>(opened);
      opened.clear();
    }
    toClose.forEach(RedisCoordinator::close);
    if (prefix != null) {
      deleteKeys(prefix);
    }
  }

  private void deleteKeys(String keyPrefix) {
    String pattern = keyPrefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page =
          admin().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1_000));
      if (!page.getKeys().isEmpty()) {
        admin().unlink(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  @Override
  public void close() {
    endTest();
    adminConnection.close();
    adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
