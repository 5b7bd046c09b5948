package dev.idmint.redis;

import dev.idmint.core.registry.Registry;
import dev.idmint.testkit.RegistryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry contract against the real Redis, each test under its own key prefix. */
class RedisRegistryContractTest extends RegistryContract {
  @RegisterExtension static final RedisTestSupport redis = new RedisTestSupport();

  @Override
  protected Registry newRegistry() {
    return redis.open().registry();
  }
}
