package dev.idmint.integrations;

import dev.idmint.client.IdMintClient;
import dev.idmint.server.testing.InJvmNodeExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real idmint node (the shared {@link InJvmNodeExtension}) on embedded H2 with the namespaces
 * every integration test uses, for all tests of a class; clients of it; and, when asked, a client
 * {@linkplain IdMintClients#register registered} for each test and unregistered after it.
 *
 * <pre>{@code
 * @RegisterExtension static final TestNode node = TestNode.registeringAClientPerTest();
 * }</pre>
 */
public final class TestNode
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** Namespaces every integration test uses. */
  public static final String YAML =
      """
      namespaces:
        order: { strategy: segment, segment: { step: 1000 } }
        ticket: { strategy: snowflake }
      """;

  /**
   * {@link #YAML} and a namespace of each newer kind: {@code evt} (uuid7), {@code inv} (pattern,
   * daily numbers in UTC), {@code tiny} (snowflake, js-safe layout).
   */
  public static final String YAML_WITH_EVERY_KIND =
      YAML
          + """
            evt: { strategy: uuid7 }
            inv: { strategy: pattern, pattern: { template: "INV-{date:yyyyMMdd}-{seq:6}" } }
            tiny: { strategy: snowflake, snowflake: { layout: js-safe } }
          """;

  private final InJvmNodeExtension node;
  private final boolean registerPerTest;
  private IdMintClient shared;
  private IdMintClient registered;

  private TestNode(boolean registerPerTest, String yaml) {
    this.registerPerTest = registerPerTest;
    this.node = InJvmNodeExtension.withYaml(yaml);
  }

  private TestNode(boolean registerPerTest) {
    this(registerPerTest, YAML);
  }

  /** As {@link #registeringAClientPerTest()}, the node configured by {@code yaml}. */
  public static TestNode registeringAClientPerTest(String yaml) {
    return new TestNode(true, yaml);
  }

  /** The node, and one {@linkplain #sharedClient() client} of it for the whole class. */
  public static TestNode withAClientPerClass() {
    return new TestNode(false);
  }

  /** The node, and a client registered in {@link IdMintClients} around each test. */
  public static TestNode registeringAClientPerTest() {
    return new TestNode(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    node.beforeAll(context);
    if (!registerPerTest) {
      shared = client();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (shared != null) {
        shared.close();
      }
    } finally {
      node.afterAll(context);
    }
  }

  /** The client of {@link #withAClientPerClass()}, open while the test class runs. */
  public IdMintClient sharedClient() {
    if (shared == null) {
      throw new IllegalStateException("no shared client: use withAClientPerClass()");
    }
    return shared;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (registerPerTest) {
      registered = client();
      IdMintClients.register(registered);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (registered != null) {
      IdMintClients.unregister(registered);
      registered.close();
      registered = null;
    }
  }

  /** The client registered for the running test. */
  public IdMintClient registered() {
    if (registered == null) {
      throw new IllegalStateException("no client is registered: use registeringAClientPerTest()");
    }
    return registered;
  }

  /** {@code host:port} of the node. */
  public String endpoint() {
    return node.endpoint();
  }

  /**
   * A new client of this node. The attempt timeout is above the client's default (500 ms): the
   * first call opens the connection, which can take longer on a loaded 2-core CI machine.
   */
  public IdMintClient client() {
    return IdMintClient.builder()
        .endpoints(endpoint())
        .deadline(Duration.ofSeconds(10))
        .attemptTimeout(Duration.ofSeconds(3))
        .build();
  }

  /** A new client of this node that fetches every ID from the node, without a buffer. */
  public IdMintClient unbufferedClient() {
    return IdMintClient.builder()
        .endpoints(endpoint())
        .deadline(Duration.ofSeconds(10))
        .attemptTimeout(Duration.ofSeconds(3))
        .prefetch(false)
        .build();
  }
}
