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
 * <p>IDs come from the client registered with {@link IdMintClients#register}. The optional property
 * {@code kind} says which: {@code id} (the default: {@code Long} keys of a snowflake or segment
 * namespace, {@code nextIds}), {@code uuid} ({@code java.util.UUID} keys of a uuid7 namespace,
 * {@code nextUuids}) or {@code number} ({@code String} business numbers of a pattern namespace,
 * {@code nextNumbers}). A kind that does not fit the namespace fails the INSERT with the client's
 * {@link dev.idmint.client.IdMintStrategyMismatchException}.
 */
public final class IdMintKeyGenerateAlgorithm implements KeyGenerateAlgorithm {
  /** The algorithm's type, as used in ShardingSphere's configuration. */
  public static final String TYPE = "IDMINT";

  /** The property that names the idmint namespace. */
  public static final String NAMESPACE = "namespace";

  /**
   * The property that says which kind of key: {@code id} (default), {@code uuid} or {@code number}.
   */
  public static final String KIND = "kind";

  private String namespace;
  private String kind = "id";

  @Override
  public void init(Properties props) {
    String value = props == null ? null : props.getProperty(NAMESPACE);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "key generator " + TYPE + " needs the property '" + NAMESPACE + "'");
    }
    String k = props.getProperty(KIND, "id").trim();
    if (!List.of("id", "uuid", "number").contains(k)) {
      throw new IllegalArgumentException(
          "key generator "
              + TYPE
              + ": property '"
              + KIND
              + "' must be id, uuid or number, was \""
              + k
              + "\"");
    }
    this.namespace = value.trim();
    this.kind = k;
  }

  @Override
  public Collection<? extends Comparable<?>> generateKeys(
      AlgorithmSQLContext context, int keyGenerateCount) {
    if (namespace == null) {
      throw new IllegalStateException(TYPE + " key generator used before init(props)");
    }
    if (keyGenerateCount < 1) {
      return List.of();
    }
    IdMintClient client = IdMintClients.get();
    switch (kind) {
      case "uuid":
        return client.nextUuids(namespace, keyGenerateCount);
      case "number":
        return client.nextNumbers(namespace, keyGenerateCount);
      default:
        List<Long> keys = new ArrayList<>(keyGenerateCount);
        if (keyGenerateCount == 1) {
          keys.add(client.nextId(namespace));
        } else {
          for (long id : client.nextIds(namespace, keyGenerateCount)) {
            keys.add(id);
          }
        }
        return keys;
    }
  }

  @Override
  public String getType() {
    return TYPE;
  }

  /** The kind from the props: {@code id}, {@code uuid} or {@code number}. */
  public String kind() {
    return kind;
  }

  /** The namespace from the props. */
  public String namespace() {
    return namespace;
  }
}
