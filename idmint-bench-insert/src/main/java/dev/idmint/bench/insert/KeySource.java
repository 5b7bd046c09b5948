package dev.idmint.bench.insert;

import dev.idmint.client.IdMintClient;
import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.server.IdMintServer;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Where the keys come from: a real idmint node in this JVM (embedded H2 coordinator, a temporary
 * data directory, a random port) and the Java client with its prefetch buffer for the three idmint
 * key types; the JDK for UUIDv4; {@link Uuid7} for UUIDv7; the database for the serial key.
 *
 * <p>Keys of a chunk are taken before the chunk's clock starts, so the insert rate measures the
 * database and not the generator (generator costs are on the JMH page). Lifecycle: {@link #start}
 * starts the node and the client, {@link #close} stops both and deletes nothing it did not create.
 */
final class KeySource implements AutoCloseable {
  static final String SNOWFLAKE = "bench-snowflake";
  static final String SEGMENT = "bench-segment";
  static final String PUBLIC = "bench-public";

  private final Path dir;
  private final IdMintServer node;
  private final IdMintClient client;
  private final Uuid7 uuid7 = new Uuid7(Clock.system(), new SecureRandom().nextLong());
  private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());

  private KeySource(Path dir, IdMintServer node, IdMintClient client) {
    this.dir = dir;
    this.node = node;
    this.client = client;
  }

  static KeySource start() {
    try {
      Path dir = Files.createTempDirectory("idmint-insert-bench");
      Path config = dir.resolve("idmint.yaml");
      Files.writeString(
          config,
          """
          namespaces:
            bench-snowflake: { strategy: snowflake }
            bench-segment: { strategy: segment }
            bench-public:
              strategy: snowflake
              public-id: { prefix: ord, alphabet: base62, current: 1, keys: { "1": "${KEY}" } }
          limits:
            max-count: 100000
          """);
      byte[] key = new byte[16];
      new SecureRandom().nextBytes(key);
      ServerConfig serverConfig =
          ConfigLoader.load(
              new ConfigLoader.Flags(0, dir.resolve("data"), null, config),
              Map.of("KEY", HexFormat.of().formatHex(key)),
              Clock.system());
      IdMintServer node = new IdMintServer(serverConfig, Clock.system()).start();
      IdMintClient client;
      try {
        client =
            IdMintClient.builder()
                .endpoints("127.0.0.1:" + node.port())
                .maxBatchSize(100_000)
                .prefetchBuffer(200_000, 1_000_000)
                .deadline(Duration.ofSeconds(30))
                .attemptTimeout(Duration.ofSeconds(10))
                .build();
      } catch (InvalidConfigurationException | IllegalArgumentException e) {
        node.close();
        throw e;
      }
      return new KeySource(dir, node, client);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code count} keys of {@code key}'s type, ready to bind as the first parameter. */
  Keys take(KeyType key, Engine engine, int count) {
    return switch (key) {
      case SNOWFLAKE -> longs(SNOWFLAKE, count);
      case SEGMENT -> longs(SEGMENT, count);
      case SERIAL -> Keys.NONE;
      case UUID_V4 -> uuids(engine, count, true);
      case UUID_V7 -> uuids(engine, count, false);
      case PUBLIC_ID -> publicIds(count);
    };
  }

  private Keys longs(String namespace, int count) {
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = client.nextId(namespace);
    }
    return (statement, row) -> statement.setLong(1, ids[row]);
  }

  private Keys publicIds(int count) {
    String[] ids = new String[count];
    for (int i = 0; i < count; i++) {
      ids[i] = client.nextPublicId(PUBLIC);
    }
    return (statement, row) -> statement.setString(1, ids[row]);
  }

  private Keys uuids(Engine engine, int count, boolean version4) {
    UUID[] ids = new UUID[count];
    for (int i = 0; i < count; i++) {
      ids[i] = version4 ? randomUuid() : uuid7.next();
    }
    if (engine == Engine.POSTGRESQL) {
      return (statement, row) -> statement.setObject(1, ids[row]);
    }
    return (statement, row) -> statement.setBytes(1, bytes(ids[row]));
  }

  /** Version 4: what {@code UUID.randomUUID()} gives, from a faster (non-secure) source. */
  private UUID randomUuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  static byte[] bytes(UUID uuid) {
    byte[] bytes = new byte[16];
    long msb = uuid.getMostSignificantBits();
    long lsb = uuid.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (msb >>> (56 - 8 * i));
      bytes[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return bytes;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      node.close();
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  // a temp file left behind is harmless; the OS cleans /tmp
                }
              });
    } catch (IOException e) {
      // as above
    }
  }

  /** The keys of one chunk, bound row by row. */
  @FunctionalInterface
  interface Keys {
    Keys NONE = (statement, row) -> {};

    void bind(PreparedStatement statement, int row) throws SQLException;
  }
}
