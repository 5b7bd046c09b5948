package dev.idmint.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a JMH CSV result file of this suite into a markdown table per thread count: IDs per second,
 * the ratio to the best peer of the same kind and to {@code AtomicLong.incrementAndGet()}, and the
 * CPU time per ID from {@link CpuCounters}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.idmint.bench.ResultTable [target/jmh-result.csv]}.
 * {@link Suite} calls it after a run.
 *
 * <p>"Best peer" is the fastest non-idmint generator of the same {@link #kind kind} at the same
 * thread count and, where both have it, the same parameter value (the segment step); baselines are
 * no peers.
 */
public final class ResultTable {
  private static final String BASELINE = "atomicLong";

  /**
   * The client's "peer": {@code AtomicLong.incrementAndGet()} measured beside the take with the
   * same short iterations (ClientBenchmarks), the ceiling of a shared counter.
   */
  private static final String CLIENT_CEILING = "takeCeiling";

  private ResultTable() {}

  /** One line of the CSV. Secondary results have {@code metric} set; primary ones have null. */
  record Row(
      String benchmark,
      String metric,
      int threads,
      double score,
      double error,
      String unit,
      Map<String, String> params) {

    String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    String key() {
      return benchmark + params;
    }

    String paramsText() {
      StringBuilder text = new StringBuilder();
      for (Map.Entry<String, String> param : params.entrySet()) {
        if (text.length() > 0) {
          text.append(", ");
        }
        text.append(param.getKey()).append('=').append(param.getValue());
      }
      return text.toString();
    }

    /** The score in millions per second, for a throughput unit ({@code ops/us} and the like). */
    double millionsPerSecond() {
      return switch (unit) {
        case "ops/ns" -> score * 1e3;
        case "ops/us" -> score;
        case "ops/ms" -> score / 1e3;
        case "ops/s" -> score / 1e6;
        case "ops/min" -> score / 6e7;
        default -> throw new IllegalArgumentException("not a throughput unit: " + unit);
      };
    }

    double millionsPerSecondError() {
      return Double.isNaN(error) ? Double.NaN : millionsPerSecond() * error / score;
    }
  }

  public static void main(String[] args) throws IOException {
    Path csv = Path.of(args.length > 0 ? args[0] : "target/jmh-result.csv");
    System.out.print(render(parse(Files.readAllLines(csv))));
  }

  /**
   * Parses JMH's CSV format: a header, then one quoted, comma-separated line per result.
   *
   * @throws IllegalArgumentException if the header is not JMH's
   */
  static List<Row> parse(List<String> lines) {
    if (lines.isEmpty()) {
      return List.of();
    }
    List<String> header = fields(lines.get(0));
    int benchmark = header.indexOf("Benchmark");
    int threads = header.indexOf("Threads");
    int score = header.indexOf("Score");
    int error = header.indexOf("Score Error (99.9%)");
    int unit = header.indexOf("Unit");
    if (benchmark < 0 || threads < 0 || score < 0 || error < 0 || unit < 0) {
      throw new IllegalArgumentException("not a JMH CSV header: " + lines.get(0));
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      List<String> values = fields(line);
      Map<String, String> params = new TreeMap<>();
      for (int i = 0; i < header.size() && i < values.size(); i++) {
        if (header.get(i).startsWith("Param: ") && !values.get(i).isEmpty()) {
          params.put(header.get(i).substring("Param: ".length()), values.get(i));
        }
      }
      String name = values.get(benchmark);
      int colon = name.indexOf(':');
      rows.add(
          new Row(
              colon < 0 ? name : name.substring(0, colon),
              colon < 0 ? null : name.substring(colon + 1),
              Integer.parseInt(values.get(threads)),
              number(values.get(score)),
              number(values.get(error)),
              values.get(unit),
              params));
    }
    return rows;
  }

  private static double number(String text) {
    return text.isEmpty() || text.equals("NaN") ? Double.NaN : Double.parseDouble(text);
  }

  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  /**
   * The kind of generator a benchmark method measures; peers are compared within a kind.
   *
   * <ul>
   *   <li>baseline: not a generator;
   *   <li>snowflake: worker + per-millisecond sequence, at most 4,096 IDs per ms (plus idmint's
   *       bounded borrowing);
   *   <li>snowflake-seq21: the same on a 41 + 1 + 21 layout, whose cap (2,097 IDs per µs) no thread
   *       reaches: the cost of one call;
   *   <li>segment: dense numbers from ranges;
   *   <li>unbounded-time: time + node + counter whose counter overflow carries into the timestamp
   *       without a bound (TSID's factory): not capped, its timestamps run ahead of the wall clock;
   *   <li>client: the Java client's {@code nextId()} from its prefetch buffer (ClientBenchmarks),
   *       beside its ceiling ({@code takeCeiling*}, a shared {@code AtomicLong});
   *   <li>uncoordinated: no worker or range at all (random or time + random).
   * </ul>
   */
  static String kind(String method) {
    if (List.of(BASELINE, "emptyCall", "wallClock", "monotonicClock").contains(method)) {
      return "baseline";
    }
    if (method.contains("Segment")) {
      return "segment";
    }
    if (method.contains("WideSequence")) {
      return "snowflake-seq21";
    }
    if (method.contains("Snowflake")) {
      return "snowflake";
    }
    if (method.equals("tsidFactory")) {
      return "unbounded-time";
    }
    if (method.startsWith("nextId") || method.startsWith(CLIENT_CEILING)) {
      return "client";
    }
    return "uncoordinated";
  }

  static boolean isPeer(String method) {
    if (method.startsWith(CLIENT_CEILING)) {
      return true;
    }
    return !method.startsWith("idmint")
        && !kind(method).equals("baseline")
        && !kind(method).equals("client");
  }

  private static int kindOrder(String kind) {
    return List.of(
            "baseline",
            "snowflake",
            "snowflake-seq21",
            "segment",
            "unbounded-time",
            "uncoordinated",
            "client")
        .indexOf(kind);
  }

  private static boolean sameParams(Row row, Row peer) {
    for (Map.Entry<String, String> param : row.params().entrySet()) {
      String other = peer.params().get(param.getKey());
      if (other != null && !other.equals(param.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The fastest peer of the row's kind with the same parameter values, or of the row's kind alone
   * when no peer has them (idmint's adaptive segment step); null if the kind has no peer.
   */
  private static Row bestPeer(Row row, List<Row> rows) {
    Row best = null;
    Row bestAnyParams = null;
    for (Row peer : rows) {
      if (!isPeer(peer.method()) || !kind(peer.method()).equals(kind(row.method()))) {
        continue;
      }
      if (bestAnyParams == null || peer.millionsPerSecond() > bestAnyParams.millionsPerSecond()) {
        bestAnyParams = peer;
      }
      if (sameParams(row, peer)
          && (best == null || peer.millionsPerSecond() > best.millionsPerSecond())) {
        best = peer;
      }
    }
    return best != null ? best : bestAnyParams;
  }

  static String render(List<Row> rows) {
    Map<String, Map<String, Row>> secondary = new LinkedHashMap<>();
    Map<Integer, List<Row>> byThreads = new TreeMap<>();
    for (Row row : rows) {
      if (row.metric() == null) {
        byThreads.computeIfAbsent(row.threads(), t -> new ArrayList<>()).add(row);
      } else {
        secondary.computeIfAbsent(row.key(), k -> new LinkedHashMap<>()).put(row.metric(), row);
      }
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Integer, List<Row>> group : byThreads.entrySet()) {
      int threads = group.getKey();
      List<Row> primary = new ArrayList<>(group.getValue());
      primary.sort(
          Comparator.comparingInt((Row r) -> kindOrder(kind(r.method())))
              .thenComparing(Comparator.comparingDouble(Row::millionsPerSecond).reversed()));
      Row baseline =
          primary.stream().filter(r -> r.method().equals(BASELINE)).findFirst().orElse(null);
      out.append(
          String.format(Locale.ROOT, "### %d thread%s%n%n", threads, threads == 1 ? "" : "s"));
      out.append(
          "| benchmark | params | kind | M IDs/s | ± (99.9%) | ns/ID | × best peer (which) |"
              + " × AtomicLong | CPU ns/ID | CPU busy/thread | notes |\n");
      out.append("|---|---|---|---:|---:|---:|---|---:|---:|---:|---|\n");
      for (Row row : primary) {
        Row best = bestPeer(row, primary);
        Map<String, Row> extra = secondary.getOrDefault(row.key(), Map.of());
        double mps = row.millionsPerSecond();
        String bestText =
            best == null
                ? "–"
                : String.format(
                    Locale.ROOT,
                    "%.2f (%s%s)",
                    mps / best.millionsPerSecond(),
                    best.method(),
                    best.params().isEmpty() || best.params().equals(row.params())
                        ? ""
                        : " " + best.paramsText());
        String baselineText =
            baseline == null
                ? "–"
                : String.format(Locale.ROOT, "%.3f", mps / baseline.millionsPerSecond());
        String cpuPerId = "–";
        String busy = "–";
        Row ids = extra.get("ids");
        Row cpu = extra.get("cpuNanos");
        Row wall = extra.get("wallNanos");
        if (ids != null && cpu != null && ids.score() > 0) {
          cpuPerId = format(cpu.score() / ids.score());
        }
        String cpuRatio = best == null ? null : cpuRatio(row, best, secondary);
        if (cpu != null && wall != null && wall.score() > 0) {
          busy = String.format(Locale.ROOT, "%.0f%%", 100 * cpu.score() / wall.score());
        }
        List<String> notes = new ArrayList<>();
        Row issued = extra.get("issued");
        Row refused = extra.get("refused");
        if (issued != null && refused != null) {
          // JMH divides these counters by the measured time but they also count the calls made
          // while threads synchronise; their ratio is exact, so scale the primary score by it.
          double calls = issued.score() + refused.score();
          double refusedShare = calls > 0 ? refused.score() / calls : 0;
          notes.add(
              String.format(
                  Locale.ROOT,
                  "issued %s M/s, refused %.1f%% of calls",
                  format(mps * (1 - refusedShare)),
                  100 * refusedShare));
        }
        if (cpuRatio != null) {
          notes.add(cpuRatio);
        }
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                row.method(),
                row.paramsText(),
                kind(row.method()),
                format(mps),
                format(row.millionsPerSecondError()),
                format(1000 / mps),
                bestText,
                baselineText,
                cpuPerId,
                busy,
                String.join(", ", notes)));
      }
      out.append('\n');
    }
    out.append(
        "M IDs/s: calls per µs, all threads together (for the horizon benchmark a refused call"
            + " counts too; see notes). ns/ID: 1 / that rate. × best peer: against the fastest"
            + " non-idmint generator of the same kind (same step where both have one)."
            + " CPU ns/ID: CPU time of the benchmark threads per call (ThreadMXBean), background"
            + " threads excluded. CPU busy/thread: that CPU time over the wall time of the same"
            + " window.\n");
    return out.toString();
  }

  /** "CPU/ID 0.95× best peer's" when both rows have CPU counters, else null. */
  private static String cpuRatio(Row row, Row peer, Map<String, Map<String, Row>> secondary) {
    Double mine = cpuPerId(secondary.getOrDefault(row.key(), Map.of()));
    Double theirs = cpuPerId(secondary.getOrDefault(peer.key(), Map.of()));
    if (mine == null || theirs == null || theirs <= 0) {
      return null;
    }
    return String.format(Locale.ROOT, "CPU/ID %.2f× best peer's", mine / theirs);
  }

  private static Double cpuPerId(Map<String, Row> extra) {
    Row ids = extra.get("ids");
    Row cpu = extra.get("cpuNanos");
    return ids != null && cpu != null && ids.score() > 0 ? cpu.score() / ids.score() : null;
  }

  /** Three significant digits, without scientific notation. */
  private static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "–";
    }
    double magnitude = Math.abs(value);
    String pattern =
        magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, value);
  }
}
