package dev.idmint.integrations;

import dev.idmint.client.IdMintClient;
import dev.idmint.core.Clock;
import dev.idmint.server.IdMintServer;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real idmint node in this JVM on an ephemeral port, with an embedded H2 coordinator. */
public final class TestNode implements AutoCloseable {
  /** Namespaces every integration test uses. */
  public static final String YAML =
      """
      namespaces:
        order: { strategy: segment, segment: { step: 1000 } }
        ticket: { strategy: snowflake }
      """;

  private final IdMintServer server;

  private TestNode(IdMintServer server) {
    this.server = server;
  }

  /** Starts a node with its data under {@code dir}. */
  public static TestNode start(Path dir) {
    try {
      Files.createDirectories(dir);
      Path config = Files.createTempFile(dir, "idmint", ".yaml");
      Files.writeString(config, YAML);
      ServerConfig serverConfig =
          ConfigLoader.load(
              new ConfigLoader.Flags(0, dir.resolve("data"), null, config),
              Map.of(),
              Clock.system());
      return new TestNode(new IdMintServer(serverConfig, Clock.system()).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code host:port} of the node. */
  public String endpoint() {
    return "127.0.0.1:" + server.port();
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

  @Override
  public void close() {
    server.close();
  }
}
