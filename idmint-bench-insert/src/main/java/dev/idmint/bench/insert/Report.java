package dev.idmint.bench.insert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes what a run measured: every sample as CSV, a markdown section ready for docs/benchmarks.md
 * (the run's facts, one rate table per engine, one summary table per engine) and one chart per
 * engine.
 */
final class Report {
  static final String CSV = "insert-bench.csv";
  static final String MARKDOWN = "insert-bench.md";

  private final InsertBenchConfig config;
  private final List<Sample> samples;
  private final Map<Engine, Map<String, String>> settings;
  private final Instant started;
  private final Instant ended;
  private final String loadBefore;
  private final String loadAfter;
  private final String stopReason;

  Report(
      InsertBenchConfig config,
      List<Sample> samples,
      Map<Engine, Map<String, String>> settings,
      Instant started,
      Instant ended,
      String loadBefore,
      String loadAfter,
      String stopReason) {
    this.config = config;
    this.samples = List.copyOf(samples);
    this.settings = settings;
    this.started = started;
    this.ended = ended;
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
    this.stopReason = stopReason;
  }

  /** Writes the CSV, the markdown and the charts into the output directory; returns their paths. */
  List<Path> write() {
    try {
      Path dir = config.outputDir();
      Files.createDirectories(dir);
      List<Path> files = new ArrayList<>();
      files.add(Files.writeString(dir.resolve(CSV), csv()));
      files.add(Files.writeString(dir.resolve(MARKDOWN), markdown()));
      for (Engine engine : config.engines()) {
        Path chart = dir.resolve(Charts.fileName(engine));
        Charts.write(
            chart,
            engine,
            settings.getOrDefault(engine, Map.of()).getOrDefault("version", ""),
            samples,
            String.format(
                Locale.ROOT,
                "%s; one thread, batches of %,d rows, one transaction each; %s; %s",
                bufferSetting(engine, settings.getOrDefault(engine, Map.of())),
                config.batchRows(),
                started.truncatedTo(ChronoUnit.MINUTES),
                "chunks round-robin over all tables"));
        files.add(chart);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String csv() {
    return csv(samples);
  }

  static String csv(List<Sample> samples) {
    StringBuilder out =
        new StringBuilder(
            "engine,key,round,rows_after,chunk_rows,chunk_seconds,rows_per_second,index_bytes,"
                + "table_bytes,log_bytes,log_bytes_per_row,load_average_1m,at\n");
    for (Sample s : samples) {
      out.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%d,%d,%d,%.3f,%.0f,%d,%d,%d,%.1f,%.2f,%s%n",
              s.engine().id(),
              s.key().id(),
              s.round(),
              s.rowsAfter(),
              s.chunkRows(),
              s.chunkNanos() / 1e9,
              s.rowsPerSecond(),
              s.indexBytes(),
              s.tableBytes(),
              s.logBytes(),
              s.logBytesPerRow(),
              s.loadAverage(),
              s.at()));
    }
    return out.toString();
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    Duration took = Duration.between(started, ended);
    out.append("- Date: ")
        .append(started.truncatedTo(ChronoUnit.SECONDS))
        .append(" (took ")
        .append(took.toMinutes())
        .append(" min ")
        .append(took.toSecondsPart())
        .append(" s)\n");
    out.append("- Command: `").append(config.command()).append("`\n");
    out.append("- Machine: ").append(InsertBench.Machine.describe()).append('\n');
    out.append("- Load average (1/5/15 min): ")
        .append(loadBefore)
        .append(" before, ")
        .append(loadAfter)
        .append(" after\n");
    out.append(
        String.format(
            Locale.ROOT,
            "- Shape: one thread; JDBC batches of %,d rows, one transaction each; a sample every"
                + " %,d rows per table; target %,d rows per table%n",
            config.batchRows(),
            config.chunkRows(),
            config.rowsPerKey()));
    out.append("- Stopped: ").append(stopReason).append('\n');
    for (Engine engine : config.engines()) {
      out.append("- ").append(engine.label()).append(" settings (defaults, not changed): ");
      List<String> pairs = new ArrayList<>();
      settings.getOrDefault(engine, Map.of()).forEach((k, v) -> pairs.add(k + " = " + v));
      out.append(String.join(", ", pairs)).append('\n');
    }
    for (Engine engine : config.engines()) {
      out.append('\n').append("#### ").append(engine.label()).append("\n\n");
      summary(out, engine, config.keys(), samples);
      out.append('\n');
      rates(out, engine, config.keys(), samples);
    }
    return out.toString();
  }

  static void summary(StringBuilder out, Engine engine, List<KeyType> keys, List<Sample> samples) {
    out.append("| key | rows | rows/s, first chunk | rows/s, last chunk | last ÷ first |")
        .append(" rows/s, whole run | ")
        .append(engine == Engine.POSTGRESQL ? "PK index" : "table (clustered PK)")
        .append(" MB | table MB | ")
        .append(engine.logName())
        .append(" B/row |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (KeyType key : keys) {
      List<Sample> ofKey = of(samples, engine, key);
      if (ofKey.isEmpty()) {
        continue;
      }
      Sample first = ofKey.get(0);
      Sample last = ofKey.get(ofKey.size() - 1);
      long rows = ofKey.stream().mapToLong(Sample::chunkRows).sum();
      long nanos = ofKey.stream().mapToLong(Sample::chunkNanos).sum();
      long logBytes = ofKey.stream().mapToLong(Sample::logBytes).sum();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,.0f | %,.0f | %.2f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
              key.label(),
              last.rowsAfter(),
              first.rowsPerSecond(),
              last.rowsPerSecond(),
              last.rowsPerSecond() / first.rowsPerSecond(),
              rows * 1e9 / nanos,
              last.indexBytes() / 1048576.0,
              last.tableBytes() / 1048576.0,
              (double) logBytes / rows));
    }
  }

  static void rates(StringBuilder out, Engine engine, List<KeyType> allKeys, List<Sample> samples) {
    List<KeyType> keys = allKeys.stream().filter(k -> !of(samples, engine, k).isEmpty()).toList();
    if (keys.isEmpty()) {
      return;
    }
    out.append("Insert rate (rows/s) of the chunk that took the table to the given size:\n\n");
    out.append("| rows (M) |");
    keys.forEach(k -> out.append(' ').append(k.label()).append(" |"));
    out.append("\n|---:|");
    keys.forEach(k -> out.append("---:|"));
    out.append('\n');
    Map<Long, Map<KeyType, Sample>> byRows = new TreeMap<>();
    for (Sample s : samples) {
      if (s.engine() == engine) {
        byRows.computeIfAbsent(s.rowsAfter(), r -> new TreeMap<>()).put(s.key(), s);
      }
    }
    byRows.forEach(
        (rows, row) -> {
          out.append(String.format(Locale.ROOT, "| %s |", trimNumber(rows / 1e6)));
          for (KeyType key : keys) {
            Sample s = row.get(key);
            out.append(
                s == null ? " |" : String.format(Locale.ROOT, " %,.0f |", s.rowsPerSecond()));
          }
          out.append('\n');
        });
  }

  private static List<Sample> of(List<Sample> samples, Engine engine, KeyType key) {
    return samples.stream().filter(s -> s.engine() == engine && s.key() == key).toList();
  }

  static String bufferSetting(Engine engine, Map<String, String> set) {
    if (engine == Engine.POSTGRESQL) {
      return "shared_buffers " + set.getOrDefault("shared_buffers", "?");
    }
    String pool = set.getOrDefault("innodb_buffer_pool_size", "?");
    try {
      pool = (Long.parseLong(pool) >> 20) + "MB";
    } catch (NumberFormatException e) {
      // keep the server's text
    }
    return "innodb_buffer_pool_size " + pool;
  }

  private static String trimNumber(double value) {
    String text = String.format(Locale.ROOT, "%.3f", value);
    return text.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
