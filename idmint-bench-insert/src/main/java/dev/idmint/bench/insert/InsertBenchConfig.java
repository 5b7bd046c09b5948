package dev.idmint.bench.insert;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.server.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one run does, validated once: every problem found is reported together, each naming the bad
 * value.
 *
 * @param rowsPerKey rows each table grows to (unless the time budget stops the run first)
 * @param chunkRows rows inserted into one table before the next table gets its turn; also the
 *     sampling interval of the insert rate
 * @param batchRows rows per JDBC batch; each batch is one transaction
 * @param budget wall time after which no new round starts and a running chunk stops; {@link
 *     Duration#ZERO} for none
 * @param keepDatabase keep the benchmark database at the end (it is dropped by default: the full
 *     run leaves tens of GB)
 */
record InsertBenchConfig(
    long rowsPerKey,
    int chunkRows,
    int batchRows,
    Duration budget,
    List<Engine> engines,
    List<KeyType> keys,
    String database,
    Path outputDir,
    boolean keepDatabase,
    Server postgres,
    Server mariadb,
    String command) {

  static final long DEFAULT_ROWS = 20_000_000L;
  static final int DEFAULT_CHUNK = 1_000_000;
  static final int DEFAULT_BATCH = 1_000;
  static final String DEFAULT_DATABASE = "idmint_insert_bench";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /** Where an engine listens and as whom the benchmark logs in. */
  record Server(String host, int port, String user, String password) {}

  InsertBenchConfig {
    engines = List.copyOf(engines);
    keys = List.copyOf(keys);
    List<String> problems = new ArrayList<>();
    if (rowsPerKey < 1) {
      problems.add("rows must be at least 1: rows=" + rowsPerKey);
    }
    if (chunkRows < 1) {
      problems.add("chunk must be at least 1: chunk=" + chunkRows);
    }
    if (batchRows < 1 || batchRows > 100_000) {
      problems.add("batch must be in [1, 100000]: batch=" + batchRows);
    }
    if (budget.isNegative()) {
      problems.add("budget must not be negative: budget=" + budget);
    }
    if (engines.isEmpty()) {
      problems.add("engines must name at least one of postgresql, mariadb");
    }
    if (keys.isEmpty()) {
      problems.add("keys must name at least one key type");
    }
    if (!DATABASE_NAME.matcher(database).matches()) {
      problems.add("database must match " + DATABASE_NAME.pattern() + ": database=" + database);
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("insert benchmark options", problems);
    }
  }

  /**
   * Reads {@code --name value} options (and the flag {@code --keep-database}); engine addresses
   * default to {@code IDMINT_PG_HOST}/{@code IDMINT_PG_PORT} and {@code IDMINT_MARIADB_HOST}/{@code
   * IDMINT_MARIADB_PORT}, else the local engines.
   *
   * @throws InvalidConfigurationException listing every bad or unknown option
   */
  static InsertBenchConfig parse(List<String> args, Map<String, String> env, String command) {
    List<String> problems = new ArrayList<>();
    long rows = DEFAULT_ROWS;
    int chunk = DEFAULT_CHUNK;
    int batch = DEFAULT_BATCH;
    Duration budget = Duration.ZERO;
    List<Engine> engines = List.of(Engine.values());
    List<KeyType> keys = List.of(KeyType.values());
    String database = DEFAULT_DATABASE;
    Path out = Path.of("target", "insert-bench");
    boolean keep = false;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (name.equals("--keep-database")) {
        keep = true;
        continue;
      }
      if (i + 1 >= args.size()) {
        problems.add("option " + name + " needs a value");
        break;
      }
      String value = args.get(++i);
      switch (name) {
        case "--rows" -> rows = number(name, value, problems);
        case "--chunk" -> chunk = (int) Math.min(Integer.MAX_VALUE, number(name, value, problems));
        case "--batch" -> batch = (int) Math.min(Integer.MAX_VALUE, number(name, value, problems));
        case "--budget" -> {
          Duration parsed = ConfigLoader.parseDuration(value);
          if (parsed == null) {
            problems.add("--budget must be a duration like 90s, 45m or 2h: " + value);
          } else {
            budget = parsed;
          }
        }
        case "--engines" -> engines = listOf(name, value, Engine::byId, problems);
        case "--keys" -> keys = listOf(name, value, KeyType::byId, problems);
        case "--database" -> database = value;
        case "--out" -> out = Path.of(value);
        default -> problems.add("unknown option " + name + " (see run.sh --help)");
      }
    }
    Server postgres = server(env, "IDMINT_PG", 5432, "postgres", problems);
    Server mariadb = server(env, "IDMINT_MARIADB", 3306, "root", problems);
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("insert benchmark options", problems);
    }
    return new InsertBenchConfig(
        rows, chunk, batch, budget, engines, keys, database, out, keep, postgres, mariadb, command);
  }

  Server server(Engine engine) {
    return engine == Engine.POSTGRESQL ? postgres : mariadb;
  }

  /**
   * {@code <prefix>_HOST} and {@code <prefix>_PORT} from the environment, else the local engine.
   */
  private static Server server(
      Map<String, String> env, String prefix, int port, String user, List<String> problems) {
    String host = env.getOrDefault(prefix + "_HOST", "127.0.0.1");
    String portText = env.getOrDefault(prefix + "_PORT", String.valueOf(port));
    try {
      return new Server(host, Integer.parseInt(portText), user, "");
    } catch (NumberFormatException e) {
      problems.add(prefix + "_PORT must be a port number: " + portText);
      return new Server(host, port, user, "");
    }
  }

  private static long number(String name, String value, List<String> problems) {
    try {
      return Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      problems.add(name + " must be a whole number: " + value);
      return 1;
    }
  }

  private static <T> List<T> listOf(
      String name,
      String value,
      java.util.function.Function<String, Optional<T>> byId,
      List<String> problems) {
    Set<T> found = new LinkedHashSet<>();
    for (String part : value.split(",", -1)) {
      Optional<T> item = byId.apply(part);
      if (item.isEmpty()) {
        problems.add(name + " has an unknown entry: " + part);
      } else {
        found.add(item.get());
      }
    }
    return List.copyOf(found);
  }
}
