package dev.idmint.redis;

import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.testkit.NetworkedWorkerLeaseStoreContract;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker lease contract against the real Redis, each test under its own key prefix. */
class RedisWorkerLeaseStoreContractTest extends NetworkedWorkerLeaseStoreContract {
  @RegisterExtension static final RedisTestSupport redis = new RedisTestSupport();

  @Override
  protected WorkerLeaseStore newStore() {
    return redis.open().workerLeases();
  }

  @Override
  protected InetSocketAddress engineAddress() {
    return new InetSocketAddress(RedisTestSupport.HOST, RedisTestSupport.PORT);
  }

  @Override
  protected WorkerLeaseStore newStoreVia(String host, int port) {
    return redis.open(host, port).workerLeases();
  }
}
