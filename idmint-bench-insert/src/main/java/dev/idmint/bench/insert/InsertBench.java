package dev.idmint.bench.insert;

import dev.idmint.core.InvalidConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The insert benchmark: one table per key type on each engine, in a database of its own that is
 * created fresh, filled chunk by chunk and dropped at the end.
 *
 * <p><b>Fairness on a shared machine.</b> The tables take turns: a round inserts one chunk into
 * every (engine, key type) table before the next round starts, and each round starts one table
 * further along the list. Every key type therefore sees the same background load, and when the time
 * budget ends the run, all tables have the same number of rows (to within the chunk a stop cut
 * short). One thread inserts, so the two engines never compete with each other.
 *
 * <p><b>What is timed.</b> Binding the rows, {@code executeBatch()} and {@code commit()} for every
 * batch of the chunk. The chunk's keys are taken from their generator before the clock starts.
 *
 * <p><b>Time budget.</b> A round starts only when the previous round's duration, plus a fifth for
 * growth, still fits the budget; a chunk that reaches the budget stops after its current batch. The
 * report and the charts are written in every case.
 */
public final class InsertBench {
  private static final String WARM_UP = "rows_warm_up";
  private static final int WARM_UP_ROWS = 100_000;
  private static final String[] STATUSES = {"new", "paid", "packed", "shipped", "delivered"};

  private final InsertBenchConfig config;
  private final List<Sample> samples = new ArrayList<>();
  private final Map<Engine, Map<String, String>> settings = new EnumMap<>(Engine.class);
  private String stopReason = "";

  InsertBench(InsertBenchConfig config) {
    this.config = config;
  }

  public static void main(String[] args) {
    // The in-JVM node logs every lease renewal and registry revision; only warnings matter here.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    InsertBenchConfig config;
    try {
      config =
          InsertBenchConfig.parse(
              List.of(args),
              System.getenv(),
              System.getProperty(
                  "insertbench.command",
                  "java dev.idmint.bench.insert.InsertBench " + String.join(" ", args)));
    } catch (InvalidConfigurationException e) {
      System.err.println("insert-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Result result = new InsertBench(config).run();
      System.out.println("insert-bench: " + result.stopReason());
      System.out.println("insert-bench: wrote " + result.files());
    } catch (SQLException e) {
      System.err.println("insert-bench: database error: " + e.getMessage());
      System.exit(1);
    }
  }

  /** What a run left behind. */
  record Result(List<Sample> samples, List<Path> files, String stopReason) {}

  Result run() throws SQLException {
    String loadBefore = Machine.loadAverages();
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    long budgetNanos = config.budget().isZero() ? Long.MAX_VALUE : config.budget().toNanos();
    Map<Engine, Connection> connections = new EnumMap<>(Engine.class);
    try (KeySource keys = KeySource.start()) {
      for (Engine engine : config.engines()) {
        InsertBenchConfig.Server server = config.server(engine);
        try (Connection admin = engine.admin(server)) {
          engine.recreateDatabase(admin, config.database());
        }
        Connection connection = engine.open(server, config.database());
        connections.put(engine, connection);
        settings.put(engine, engine.settings(connection));
        try (Statement statement = connection.createStatement()) {
          for (KeyType key : config.keys()) {
            statement.execute(engine.createTable(key));
          }
        }
        connection.setAutoCommit(false);
        warmUp(connection, engine);
      }
      List<Table> tables = new ArrayList<>();
      for (Engine engine : config.engines()) {
        for (KeyType key : config.keys()) {
          tables.add(new Table(engine, key));
        }
      }
      long lastRoundNanos = 0;
      int round = 0;
      outer:
      while (true) {
        if (tables.stream().allMatch(t -> t.rows >= config.rowsPerKey())) {
          stopReason = "reached " + config.rowsPerKey() + " rows per table";
          break;
        }
        long elapsed = System.nanoTime() - startNanos;
        if (round > 0 && elapsed + lastRoundNanos * 6 / 5 > budgetNanos) {
          stopReason =
              "time budget "
                  + config.budget()
                  + ": the next round (~"
                  + lastRoundNanos / 1_000_000_000L
                  + " s) would not fit";
          break;
        }
        long roundStart = System.nanoTime();
        for (int i = 0; i < tables.size(); i++) {
          Table table = tables.get((i + round) % tables.size());
          int rows = (int) Math.min(config.chunkRows(), config.rowsPerKey() - table.rows);
          if (rows <= 0) {
            continue;
          }
          Sample sample =
              chunk(
                  connections.get(table.engine),
                  table,
                  keys.take(table.key, table.engine, rows),
                  round,
                  startNanos,
                  budgetNanos);
          samples.add(sample);
          System.out.printf(
              "%s %-10s %-10s round %d: %,d rows, %,.0f rows/s, index %,d MB, %s %,.0f B/row,"
                  + " load %.2f%n",
              sample.at(),
              table.engine.id(),
              table.key.id(),
              round,
              sample.rowsAfter(),
              sample.rowsPerSecond(),
              sample.indexBytes() >> 20,
              table.engine.logName(),
              sample.logBytesPerRow(),
              sample.loadAverage());
          if (sample.chunkRows() < rows) {
            stopReason =
                "time budget "
                    + config.budget()
                    + " reached inside round "
                    + round
                    + " ("
                    + table.engine.id()
                    + "/"
                    + table.key.id()
                    + " stopped after "
                    + sample.chunkRows()
                    + " of "
                    + rows
                    + " rows)";
            break outer;
          }
        }
        lastRoundNanos = System.nanoTime() - roundStart;
        round++;
      }
      Report report =
          new Report(
              config,
              samples,
              settings,
              started,
              Instant.now(),
              loadBefore,
              Machine.loadAverages(),
              stopReason);
      List<Path> files = report.write();
      return new Result(List.copyOf(samples), files, stopReason);
    } finally {
      for (Map.Entry<Engine, Connection> entry : connections.entrySet()) {
        entry.getValue().close();
      }
      if (!config.keepDatabase()) {
        for (Engine engine : connections.keySet()) {
          try (Connection admin = engine.admin(config.server(engine))) {
            engine.dropDatabase(admin, config.database());
          }
        }
      }
    }
  }

  /**
   * Inserts {@code rows} rows after the {@code table.rows} already there, in batches of one
   * transaction each; returns how many it inserted (fewer once the budget is spent).
   */
  private int insertRows(
      Connection connection,
      PreparedStatement insert,
      Table table,
      KeySource.Keys keys,
      int rows,
      long runStartNanos,
      long budgetNanos)
      throws SQLException {
    int offset = table.key.generatedByDatabase() ? 0 : 1;
    int done = 0;
    Timestamp now = new Timestamp(System.currentTimeMillis());
    while (done < rows) {
      int batch = Math.min(config.batchRows(), rows - done);
      for (int i = 0; i < batch; i++) {
        int row = done + i;
        long n = table.rows + row;
        keys.bind(insert, row);
        long mixed = n * 0x9E3779B97F4A7C15L;
        long account = (mixed >>> 44) % 1_000_000;
        insert.setLong(offset + 1, account);
        insert.setInt(offset + 2, (int) ((mixed >>> 20) % 250_000));
        insert.setString(offset + 3, STATUSES[(int) ((mixed >>> 8) % STATUSES.length)]);
        insert.setTimestamp(offset + 4, now);
        insert.setString(offset + 5, "order " + n + " of account " + account);
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
      done += batch;
      if (System.nanoTime() - runStartNanos > budgetNanos) {
        break;
      }
    }
    return done;
  }

  /**
   * Inserts one chunk into one table; stops early (after a whole batch) when the budget is spent.
   */
  private Sample chunk(
      Connection connection,
      Table table,
      KeySource.Keys keys,
      int round,
      long runStartNanos,
      long budgetNanos)
      throws SQLException {
    Engine engine = table.engine;
    int rows = (int) Math.min(config.chunkRows(), config.rowsPerKey() - table.rows);
    long logBefore = engine.logPosition(connection);
    connection.commit();
    long start = System.nanoTime();
    int done;
    try (PreparedStatement insert = connection.prepareStatement(engine.insert(table.key))) {
      done = insertRows(connection, insert, table, keys, rows, runStartNanos, budgetNanos);
    }
    long nanos = System.nanoTime() - start;
    table.rows += done;
    long logAfter = engine.logPosition(connection);
    long[] sizes = engine.sizes(connection, config.database(), table.key);
    connection.commit();
    return new Sample(
        engine,
        table.key,
        round,
        table.rows,
        done,
        nanos,
        sizes[0],
        sizes[1],
        logAfter - logBefore,
        Machine.loadAverage1(),
        Instant.now());
  }

  /**
   * Runs the insert path once on a scratch table so that the first measured chunk does not pay for
   * the JIT and the driver's first statements; the scratch table is dropped again.
   */
  private void warmUp(Connection connection, Engine engine) throws SQLException {
    Table scratch = new Table(engine, KeyType.SERIAL);
    String create = engine.createTable(KeyType.SERIAL).replace(KeyType.SERIAL.table(), WARM_UP);
    try (Statement statement = connection.createStatement()) {
      statement.execute(create);
    }
    connection.commit();
    int rows = Math.min(WARM_UP_ROWS, config.chunkRows());
    try (PreparedStatement insert =
        connection.prepareStatement(
            engine.insert(KeyType.SERIAL).replace(KeyType.SERIAL.table(), WARM_UP))) {
      insertRows(connection, insert, scratch, KeySource.Keys.NONE, rows, 0, Long.MAX_VALUE);
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE " + WARM_UP);
    }
    connection.commit();
  }

  /** One table's progress. */
  private static final class Table {
    final Engine engine;
    final KeyType key;
    long rows;

    Table(Engine engine, KeyType key) {
      this.engine = engine;
      this.key = key;
    }
  }

  /** The machine's load, from /proc (Linux); "unknown" elsewhere. */
  static final class Machine {
    private Machine() {}

    static String loadAverages() {
      try {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
      } catch (IOException e) {
        return "unknown";
      }
    }

    static double loadAverage1() {
      String all = loadAverages();
      return all.equals("unknown") ? Double.NaN : Double.parseDouble(all.split(" ")[0]);
    }

    static String describe() {
      String cpu = "unknown";
      try {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
          if (line.startsWith("model name")) {
            cpu = line.substring(line.indexOf(':') + 1).strip();
            break;
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // not Linux: the report says "unknown"
      }
      long memoryMb = -1;
      try {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (line.startsWith("MemTotal:")) {
            memoryMb = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            break;
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // as above
      }
      return Runtime.getRuntime().availableProcessors()
          + " cores ("
          + cpu
          + "), "
          + (memoryMb < 0 ? "unknown" : String.format("%,d MB", memoryMb))
          + " RAM, Java "
          + System.getProperty("java.version");
    }
  }
}
