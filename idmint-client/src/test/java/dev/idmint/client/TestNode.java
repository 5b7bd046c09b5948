package dev.idmint.client;

import dev.idmint.server.IdMintServer;
import dev.idmint.server.testing.InJvmNode;
import dev.idmint.testkit.TestDatabases;
import java.nio.file.Path;
import java.util.Map;

/** A real idmint node in this JVM, on a real port: the shared {@link InJvmNode}, named as here. */
final class TestNode implements AutoCloseable {
  final IdMintServer server;
  final int port;

  private TestNode(InJvmNode node) {
    this.server = node.server();
    this.port = node.port();
  }

  /**
   * Starts a node on {@code port} (0 for any) with its data under {@code dir}; {@code coordinator}
   * null means embedded H2.
   */
  static TestNode start(
      Path dir, int port, String coordinator, String yaml, Map<String, String> env) {
    return new TestNode(
        InJvmNode.in(dir).port(port).coordinator(coordinator).yaml(yaml).environment(env).start());
  }

  static TestNode start(Path dir, String yaml) {
    return start(dir, 0, null, yaml, Map.of());
  }

  String endpoint() {
    return "127.0.0.1:" + port;
  }

  /**
   * Skips (or under CI fails) unless PostgreSQL runs; recreates {@code schema} and returns the JDBC
   * URL of a coordinator in it.
   */
  static String postgres(String schema) {
    return TestDatabases.freshPostgresSchema(schema);
  }

  @Override
  public void close() {
    server.close();
  }
}
