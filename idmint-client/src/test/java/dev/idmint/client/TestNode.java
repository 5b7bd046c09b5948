package dev.idmint.client;

import dev.idmint.core.Clock;
import dev.idmint.server.IdMintServer;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.testkit.Engines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** A real idmint node in this JVM, on a real port. */
final class TestNode implements AutoCloseable {
  static final String PG_HOST = Engines.env("IDMINT_PG_HOST", "127.0.0.1");
  static final int PG_PORT = Integer.parseInt(Engines.env("IDMINT_PG_PORT", "5432"));

  final IdMintServer server;
  final int port;

  private TestNode(IdMintServer server) {
    this.server = server;
    this.port = server.port();
  }

  /**
   * Starts a node on {@code port} (0 for any) with its data under {@code dir}; {@code coordinator}
   * null means embedded H2.
   */
  static TestNode start(
      Path dir, int port, String coordinator, String yaml, Map<String, String> env) {
    try {
      Files.createDirectories(dir);
      Path config = Files.createTempFile(dir, "idmint", ".yaml");
      Files.writeString(config, yaml);
      ServerConfig serverConfig =
          ConfigLoader.load(
              new ConfigLoader.Flags(port, dir.resolve("data"), coordinator, config),
              env,
              Clock.system());
      return new TestNode(new IdMintServer(serverConfig, Clock.system()).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    Engines.require(
        "PostgreSQL",
        PG_HOST,
        PG_PORT,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    String base = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/test";
    try (Connection connection = DriverManager.getConnection(base, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return base + "?currentSchema=" + schema;
  }

  @Override
  public void close() {
    server.close();
  }
}
