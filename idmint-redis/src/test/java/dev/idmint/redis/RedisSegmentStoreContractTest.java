package dev.idmint.redis;

import dev.idmint.core.segment.SegmentStore;
import dev.idmint.testkit.NetworkedSegmentStoreContract;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The segment contract against the real Redis, each test under its own key prefix. */
class RedisSegmentStoreContractTest extends NetworkedSegmentStoreContract {
  @RegisterExtension static final RedisTestSupport redis = new RedisTestSupport();

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
