package dev.idmint.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks in one JMH invocation and writes, beside the JMH result file, a CSV copy and
 * the markdown table of {@link ResultTable}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.idmint.bench.Suite [JMH options]}. The options are
 * JMH's own ({@code -f}, {@code -wi}, {@code -i}, {@code -r}, a benchmark regex, ...). Without
 * {@code -rf}/{@code -rff} the results go to {@code target/jmh-result.json}; the CSV and the table
 * are written next to it with the extensions {@code .csv} and {@code .md}. Do not pass {@code -t}:
 * the thread counts come from {@link OneThread} and {@link TwoThreads}.
 */
public final class Suite {
  private Suite() {}

  public static void main(String[] args) throws IOException, RunnerException {
    CommandLineOptions cli;
    try {
      cli = new CommandLineOptions(args);
    } catch (org.openjdk.jmh.runner.options.CommandLineOptionException e) {
      System.err.println("bad JMH options: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (cli.shouldHelp()) {
      cli.showHelp();
      return;
    }
    if (cli.getThreads().hasValue()) {
      System.err.println("do not pass -t: the suite runs OneThread.* and TwoThreads.* itself");
      System.exit(2);
      return;
    }
    ResultFormatType format = cli.getResultFormat().orElse(ResultFormatType.JSON);
    Path result =
        Path.of(
            cli.getResult()
                .orElse("target/jmh-result." + format.name().toLowerCase(java.util.Locale.ROOT)));
    if (result.getParent() != null) {
      Files.createDirectories(result.getParent());
    }
    Options options =
        new OptionsBuilder().parent(cli).resultFormat(format).result(result.toString()).build();
    Runner runner = new Runner(options);
    if (cli.shouldList()) {
      runner.list();
      return;
    }
    Collection<RunResult> results = runner.run();

    Path csv = sibling(result, ".csv");
    if (!csv.equals(result)) {
      ResultFormatFactory.getInstance(ResultFormatType.CSV, csv.toString()).writeOut(results);
    }
    String table = ResultTable.render(ResultTable.parse(Files.readAllLines(csv)));
    Path markdown = sibling(result, ".md");
    Files.writeString(markdown, table);
    System.out.println();
    System.out.println(table);
    System.out.println("results: " + result + ", " + csv + ", table: " + markdown);
  }

  private static Path sibling(Path file, String extension) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + extension);
  }
}
