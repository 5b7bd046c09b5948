package dev.idmint.bench.insert;

import dev.idmint.core.InvalidConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins the output of several runs that went side by side into one report: one CSV, one markdown
 * with every run's facts and one set of tables per engine, and one chart per engine with every key
 * type on it.
 *
 * <p>Why runs go side by side at all: on InnoDB with its default 128 MB buffer pool, the random
 * keys (UUIDv4, public IDs) fall to a few thousand rows/s once their index outgrows the pool, so
 * taking turns with the other tables up to 20 M rows would take most of a day on two cores. Each
 * slow key type then gets a process of its own ({@code run.sh --keys uuid_v4 --database …}), and
 * this class puts the pieces back together. The markdown says which keys ran in which process, so a
 * reader knows which rates were measured beside which.
 */
final class MergedReport {
  private static final Pattern SETTINGS =
      Pattern.compile("^- (\\S+) settings \\(defaults, not changed\\): (.*)$");
  private static final Pattern PAIR = Pattern.compile("([a-z_]+) = ([^,]*)");
  private static final Pattern BATCH = Pattern.compile("batches of ([\\d,]+) rows");

  private MergedReport() {}

  /** {@code MergedReport OUT_DIR RUN_DIR...}: writes the joined report into OUT_DIR. */
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("insert-bench: --merge needs an output directory and at least one run");
      System.exit(2);
      return;
    }
    try {
      List<Path> runs = Arrays.stream(args).skip(1).map(Path::of).toList();
      List<Path> files = write(Path.of(args[0]), runs);
      System.out.println("insert-bench: wrote " + files);
    } catch (InvalidConfigurationException e) {
      System.err.println("insert-bench: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Reads every run directory's CSV and markdown and writes the joined files into {@code out}. */
  static List<Path> write(Path out, List<Path> runs) {
    List<Sample> samples = new ArrayList<>();
    Map<Engine, Map<String, String>> settings = new EnumMap<>(Engine.class);
    StringBuilder facts = new StringBuilder();
    Map<Engine, Integer> processes = new EnumMap<>(Engine.class);
    String batch = "?";
    int number = 0;
    for (Path run : runs) {
      List<Sample> ofRun = readCsv(run.resolve(Report.CSV));
      samples.addAll(ofRun);
      ofRun.stream()
          .map(Sample::engine)
          .distinct()
          .forEach(e -> processes.merge(e, 1, Integer::sum));
      number++;
      facts
          .append("- Run ")
          .append(number)
          .append(": ")
          .append(
              String.join(
                  ", ",
                  ofRun.stream()
                      .map(s -> s.engine().label() + " " + s.key().label())
                      .distinct()
                      .toList()))
          .append('\n');
      for (String line : header(run.resolve(Report.MARKDOWN))) {
        facts.append("  ").append(line).append('\n');
        Matcher set = SETTINGS.matcher(line);
        if (set.matches()) {
          Engine engine = engineByLabel(set.group(1));
          Map<String, String> pairs = settings.computeIfAbsent(engine, e -> new LinkedHashMap<>());
          Matcher pair = PAIR.matcher(set.group(2));
          while (pair.find()) {
            pairs.putIfAbsent(pair.group(1), pair.group(2).strip());
          }
        }
        Matcher shape = BATCH.matcher(line);
        if (shape.find()) {
          batch = shape.group(1);
        }
      }
    }
    List<Engine> engines =
        Arrays.stream(Engine.values())
            .filter(e -> samples.stream().anyMatch(s -> s.engine() == e))
            .toList();
    List<KeyType> keys = List.of(KeyType.values());
    StringBuilder markdown = new StringBuilder(facts);
    for (Engine engine : engines) {
      markdown.append('\n').append("#### ").append(engine.label()).append("\n\n");
      Report.summary(markdown, engine, keys, samples);
      markdown.append('\n');
      Report.rates(markdown, engine, keys, samples);
    }
    try {
      Files.createDirectories(out);
      List<Path> files = new ArrayList<>();
      files.add(Files.writeString(out.resolve(Report.CSV), Report.csv(samples)));
      files.add(Files.writeString(out.resolve(Report.MARKDOWN), markdown.toString()));
      for (Engine engine : engines) {
        Map<String, String> set = settings.getOrDefault(engine, Map.of());
        int sideBySide = processes.get(engine);
        Path chart = out.resolve(Charts.fileName(engine));
        Charts.write(
            chart,
            engine,
            set.getOrDefault("version", ""),
            samples,
            String.format(
                Locale.ROOT,
                "%s; batches of %s rows, one transaction each; %d %s side by side, one thread each",
                Report.bufferSetting(engine, set),
                batch,
                sideBySide,
                sideBySide == 1 ? "run" : "runs"));
        files.add(chart);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fact lines of a run's markdown: everything before its first table heading. */
  private static List<String> header(Path markdown) {
    List<String> lines = new ArrayList<>();
    for (String line : read(markdown)) {
      if (line.startsWith("####")) {
        break;
      }
      if (line.startsWith("- ")) {
        lines.add(line);
      }
    }
    return lines;
  }

  static List<Sample> readCsv(Path csv) {
    List<String> lines = read(csv);
    List<Sample> samples = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 13) {
        throw refused(csv + " line " + (i + 1) + ": expected 13 fields, found " + f.length);
      }
      samples.add(
          new Sample(
              Engine.byId(f[0]).orElseThrow(() -> bad(csv, f[0])),
              KeyType.byId(f[1]).orElseThrow(() -> bad(csv, f[1])),
              Integer.parseInt(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[4]),
              Math.round(Double.parseDouble(f[5]) * 1e9),
              Long.parseLong(f[7]),
              Long.parseLong(f[8]),
              Long.parseLong(f[9]),
              Double.parseDouble(f[11]),
              Instant.parse(f[12])));
    }
    return samples;
  }

  private static Engine engineByLabel(String label) {
    return Arrays.stream(Engine.values())
        .filter(e -> e.label().equals(label))
        .findFirst()
        .orElseThrow(() -> refused("unknown engine " + label));
  }

  private static InvalidConfigurationException bad(Path csv, String value) {
    return refused(csv + ": unknown engine or key " + value);
  }

  private static InvalidConfigurationException refused(String problem) {
    return new InvalidConfigurationException("insert benchmark runs to merge", List.of(problem));
  }

  private static List<String> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw refused("not a run's output: " + file + " is missing");
    }
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
