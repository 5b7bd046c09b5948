package dev.idmint.integrations.shardingsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.TestNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.shardingsphere.infra.algorithm.keygen.core.KeyGenerateAlgorithm;
import org.apache.shardingsphere.infra.spi.type.typed.TypedSPILoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code IDMINT} key generator, loaded the way ShardingSphere loads its algorithms. */
class IdMintKeyGenerateAlgorithmTest {
  @RegisterExtension
  static final TestNode node = TestNode.registeringAClientPerTest(TestNode.YAML_WITH_EVERY_KIND);

  static Properties props(String namespace) {
    Properties props = new Properties();
    props.setProperty("namespace", namespace);
    return props;
  }

  @Test
  void registeredInTheServiceFile() {
    List<String> types = new ArrayList<>();
    for (KeyGenerateAlgorithm algorithm : ServiceLoader.load(KeyGenerateAlgorithm.class)) {
      types.add(algorithm.getType());
    }
    assertThat(types).contains("IDMINT");
  }

  @Test
  void typedSpiLoaderGivesKeysFromTheNode() {
    KeyGenerateAlgorithm algorithm =
        TypedSPILoader.getService(KeyGenerateAlgorithm.class, "IDMINT", props("order"));
    assertThat(algorithm).isInstanceOf(IdMintKeyGenerateAlgorithm.class);
    assertThat(((IdMintKeyGenerateAlgorithm) algorithm).namespace()).isEqualTo("order");

    Set<Long> keys = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      Collection<? extends Comparable<?>> one = algorithm.generateKeys(null, 1);
      assertThat(one).hasSize(1);
      keys.add((Long) one.iterator().next());
    }
    for (Comparable<?> key : algorithm.generateKeys(null, 200)) {
      keys.add((Long) key);
    }
    assertThat(keys).hasSize(500).allSatisfy(key -> assertThat(key).isPositive());
    try (IdMintClient other = node.unbufferedClient()) {
      assertThat(keys.add(other.nextId("order"))).isTrue();
    }
  }

  @Test
  void snowflakeNamespaceWithTypeInLowerCase() {
    KeyGenerateAlgorithm algorithm =
        TypedSPILoader.getService(KeyGenerateAlgorithm.class, "idmint", props("ticket"));
    Collection<? extends Comparable<?>> keys = algorithm.generateKeys(null, 10);
    assertThat(new HashSet<>(keys)).hasSize(10);
  }

  @Test
  void uuidAndNumberKeysFromTheirKindsOfNamespace() {
    Properties uuid = props("evt");
    uuid.setProperty("kind", "uuid");
    KeyGenerateAlgorithm uuids =
        TypedSPILoader.getService(KeyGenerateAlgorithm.class, "IDMINT", uuid);
    Collection<? extends Comparable<?>> keys = uuids.generateKeys(null, 20);
    assertThat(keys).hasSize(20).doesNotHaveDuplicates();
    assertThat(keys).allSatisfy(k -> assertThat(((java.util.UUID) k).version()).isEqualTo(7));

    Properties number = props("inv");
    number.setProperty("kind", "number");
    KeyGenerateAlgorithm numbers =
        TypedSPILoader.getService(KeyGenerateAlgorithm.class, "IDMINT", number);
    assertThat(numbers.generateKeys(null, 1))
        .singleElement()
        .satisfies(k -> assertThat((String) k).matches("INV-\\d{8}-\\d{6}"));
    assertThat(numbers.generateKeys(null, 15)).hasSize(15).doesNotHaveDuplicates();
  }

  @Test
  void aKindThatDoesNotFitTheNamespaceFailsWithTheClientsMismatch() {
    Properties props = props("order");
    props.setProperty("kind", "uuid");
    KeyGenerateAlgorithm algorithm =
        TypedSPILoader.getService(KeyGenerateAlgorithm.class, "IDMINT", props);
    assertThatThrownBy(() -> algorithm.generateKeys(null, 2))
        .isInstanceOf(dev.idmint.client.IdMintStrategyMismatchException.class)
        .hasMessageStartingWith(
            "namespace order is a snowflake or segment namespace and issues numeric IDs (long):"
                + " call nextId or nextIds, not nextUuid or nextUuids");
  }

  @Test
  void anUnknownKindNamesThePropertyAndTheValue() {
    Properties props = props("order");
    props.setProperty("kind", "guid");
    assertThatThrownBy(() -> new IdMintKeyGenerateAlgorithm().init(props))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key generator IDMINT: property 'kind' must be id, uuid or number, was \"guid\"");
  }

  @Test
  void withoutNamespaceTheErrorNamesTheProperty() {
    assertThatThrownBy(() -> new IdMintKeyGenerateAlgorithm().init(new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key generator IDMINT needs the property 'namespace'");
  }
}
