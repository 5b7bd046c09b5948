package dev.idmint.integrations.shardingsphere;

import dev.idmint.client.IdMintClient;
import dev.idmint.integrations.IdMintClients;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.shardingsphere.infra.algorithm.core.context.AlgorithmSQLContext;
import org.apache.shardingsphere.infra.algorithm.keygen.core.KeyGenerateAlgorithm;

/**
 * ShardingSphere key generator of type {@code IDMINT}: the keys of an INSERT come from idmint.
 *
 * <pre>{@code
 * keyGenerators:
 *   order_id:
 *     type: IDMINT
 *     props:
 *       namespace: order
 * }</pre>
 *
 * <p>IDs come from the client registered with {@link IdMintClients#register}.
 */
public final class IdMintKeyGenerateAlgorithm implements KeyGenerateAlgorithm {
  /** The algorithm's type, as used in ShardingSphere's configuration. */
  public static final String TYPE = "IDMINT";

  /** The property that names the idmint namespace. */
  public static final String NAMESPACE = "namespace";

  private String namespace;

  @Override
  public void init(Properties props) {
    String value = props == null ? null : props.getProperty(NAMESPACE);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "key generator " + TYPE + " needs the property '" + NAMESPACE + "'");
    }
    this.namespace = value.trim();
  }

  @Override
  public Collection<Long> generateKeys(AlgorithmSQLContext context, int keyGenerateCount) {
    if (namespace == null) {
      throw new IllegalStateException(TYPE + " key generator used before init(props)");
    }
    IdMintClient client = IdMintClients.get();
    List<Long> keys = new ArrayList<>(keyGenerateCount);
    if (keyGenerateCount == 1) {
      keys.add(client.nextId(namespace));
    } else if (keyGenerateCount > 1) {
      for (long id : client.nextIds(namespace, keyGenerateCount)) {
        keys.add(id);
      }
    }
    return keys;
  }

  @Override
  public String getType() {
    return TYPE;
  }

  /** The namespace from the props. */
  public String namespace() {
    return namespace;
  }
}
