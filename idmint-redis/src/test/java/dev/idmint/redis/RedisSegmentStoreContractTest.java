package dev.idmint.redis;

import dev.idmint.core.segment.SegmentStore;
import dev.idmint.testkit.NetworkedSegmentStoreContract;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** The segment contract against the real Redis, each test under its own key prefix. */
class RedisSegmentStoreContractTest extends NetworkedSegmentStoreContract {
  private static RedisTestSupport redis;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    redis = RedisTestSupport.connect();
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void isolate(TestInfo info) {
    RedisTestSupport.requireRedis();
    redis.beginTest(info);
  }

  @AfterEach
  void cleanUp() {
    redis.endTest();
  }

  @Override
  protected SegmentStore newStore() {
    return redis.open().segments();
  }

  @Override
  protected InetSocketAddress engineAddress() {
    return new InetSocketAddress(RedisTestSupport.HOST, RedisTestSupport.PORT);
  }

  @Override
  protected SegmentStore newStoreVia(String host, int port) {
    return redis.open(host, port).segments();
  }
}
