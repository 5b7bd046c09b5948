package dev.idmint.server.testing;

import dev.idmint.core.Clock;
import dev.idmint.server.IdMintServer;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A real idmint node in the test's JVM, on a real port, configured exactly as {@code idmint serve}
 * would be: flags, a YAML file and an environment go through {@link ConfigLoader}. The one test
 * fixture for "start a node on this coordinator", used by the server's own tests and, through
 * idmint-server's test-jar, by the client, integration, starter and example tests.
 *
 * <pre>{@code
 * try (InJvmNode node = InJvmNode.in(dir).coordinator(url).yaml(yaml).start()) {
 *   client.endpoints(node.endpoint());
 * }
 * }</pre>
 *
 * <p>Without {@link Builder#coordinator} the node uses embedded H2 under {@code dir/data}.
 */
public final class InJvmNode implements AutoCloseable {
  /**
   * The configuration most client-side tests need: snowflake {@code order}, segment {@code
   * invoice}.
   */
  public static final String ORDER_AND_INVOICE =
      """
      namespaces:
        order: { strategy: snowflake }
        invoice: { strategy: segment }
      """;

  private final IdMintServer server;

  private InJvmNode(IdMintServer server) {
    this.server = server;
  }

  /** A node whose data (and configuration file) live under {@code dir}. */
  public static Builder in(Path dir) {
    return new Builder(dir);
  }

  /** The running server. */
  public IdMintServer server() {
    return server;
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /** {@code 127.0.0.1:port}, as a client's endpoint list takes it. */
  public String endpoint() {
    return "127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://" + endpoint();
  }

  @Override
  public void close() {
    server.close();
  }

  /** What to start; every setting is optional. */
  public static final class Builder {
    private final Path dir;
    private int port;
    private String coordinator;
    private String yaml;
    private Map<String, String> environment = Map.of();
    private Clock clock = Clock.system();
    private String bind;
    private boolean insecureNoAuth;
    private dev.idmint.server.node.SnowflakeFactory snowflakes =
        dev.idmint.server.node.SnowflakeFactory.STANDARD;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** {@code --port}; default 0, any free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** {@code --coordinator}; default null, embedded H2 under the directory. */
    public Builder coordinator(String url) {
      this.coordinator = url;
      return this;
    }

    /** The configuration file's text; default none (no {@code --config}). */
    public Builder yaml(String yaml) {
      this.yaml = yaml;
      return this;
    }

    /** The environment {@code ${VAR}} and the {@code IDMINT_*} variables are read from. */
    public Builder environment(Map<String, String> environment) {
      this.environment = environment == null ? Map.of() : Map.copyOf(environment);
      return this;
    }

    /** The node's clock; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** {@code --bind}; default none (loopback unless tokens are configured). */
    public Builder bind(String bind) {
      this.bind = bind;
      return this;
    }

    /** {@code --insecure-no-auth}; default off. */
    public Builder insecureNoAuth(boolean insecureNoAuth) {
      this.insecureNoAuth = insecureNoAuth;
      return this;
    }

    /**
     * The snowflake generators' factory; default {@link
     * dev.idmint.server.node.SnowflakeFactory#STANDARD}.
     */
    public Builder snowflakes(dev.idmint.server.node.SnowflakeFactory snowflakes) {
      this.snowflakes = snowflakes;
      return this;
    }

    /**
     * Loads the configuration and starts the node.
     *
     * @throws dev.idmint.core.InvalidConfigurationException as {@code idmint serve} would refuse it
     */
    public InJvmNode start() {
      try {
        Files.createDirectories(dir);
        Path config = null;
        if (yaml != null) {
          config = Files.createTempFile(dir, "idmint", ".yaml");
          Files.writeString(config, yaml);
        }
        ServerConfig serverConfig =
            ConfigLoader.load(
                new ConfigLoader.Flags(
                    port,
                    dir.resolve("data"),
                    coordinator,
                    config,
                    null,
                    null,
                    null,
                    bind,
                    insecureNoAuth),
                environment,
                clock);
        return new InJvmNode(new IdMintServer(serverConfig, clock, snowflakes).start());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
