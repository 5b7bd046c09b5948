package dev.idmint.bench.insert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joining runs that went side by side: every sample of every run comes back out, each run's facts
 * are kept and said to belong to its keys, and each engine gets one chart with all its key types.
 */
class MergedReportTest {
  @TempDir Path dir;

  @Test
  void joinsRunsIntoOneReportPerEngine() throws Exception {
    Path slow = run("slow", List.of(KeyType.UUID_V4), 3, 5_000);
    Path fast = run("fast", List.of(KeyType.SNOWFLAKE, KeyType.SERIAL), 3, 200_000);

    List<Path> files = MergedReport.write(dir.resolve("joined"), List.of(slow, fast));

    Path csv = dir.resolve("joined").resolve(Report.CSV);
    assertThat(MergedReport.readCsv(csv)).hasSize(9);
    assertThat(MergedReport.readCsv(csv))
        .containsExactlyInAnyOrderElementsOf(
            concat(
                MergedReport.readCsv(slow.resolve(Report.CSV)),
                MergedReport.readCsv(fast.resolve(Report.CSV))));
    String markdown = Files.readString(dir.resolve("joined").resolve(Report.MARKDOWN));
    assertThat(markdown)
        .contains("- Run 1: MariaDB random UUIDv4\n")
        .contains(
            "- Run 2: MariaDB idmint snowflake (bigint), MariaDB bigserial / AUTO_INCREMENT\n")
        .contains("  - Command: `run.sh --keys uuid_v4`")
        .contains("| random UUIDv4 | 3,000 | 5,000 | 5,000 | 1.00 | 5,000 |")
        .contains("| idmint snowflake (bigint) | 3,000 | 200,000 | 200,000 | 1.00 | 200,000 |")
        .contains(
            "| rows (M) | idmint snowflake (bigint) | bigserial / AUTO_INCREMENT | random UUIDv4 |")
        .doesNotContain("#### PostgreSQL");
    Path chart = dir.resolve("joined").resolve("insert-rate-mariadb.png");
    assertThat(files).contains(chart);
    BufferedImage image = ImageIO.read(chart.toFile());
    assertThat(image.getWidth()).isEqualTo(1000);
  }

  @Test
  void aDirectoryWithoutARunIsRefusedByName() {
    Path empty = dir.resolve("empty");
    assertThatThrownBy(() -> MergedReport.write(dir.resolve("out"), List.of(empty)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "invalid insert benchmark runs to merge: not a run's output: "
                + empty.resolve(Report.CSV)
                + " is missing");
  }

  /** Writes a run's output as the benchmark would, with rows/s fixed by the chunk's duration. */
  private Path run(String name, List<KeyType> keys, int chunks, int rowsPerSecond) {
    Path out = dir.resolve(name);
    List<String> keyIds = keys.stream().map(KeyType::id).toList();
    InsertBenchConfig config =
        InsertBenchConfig.parse(
            List.of(
                "--engines",
                "mariadb",
                "--keys",
                String.join(",", keyIds),
                "--rows",
                "3000",
                "--chunk",
                "1000",
                "--out",
                out.toString()),
            Map.of(),
            "run.sh --keys " + String.join(",", keyIds));
    List<Sample> samples = new ArrayList<>();
    Instant at = Instant.parse("2026-12-01T19:33:00Z");
    for (int round = 0; round < chunks; round++) {
      for (KeyType key : keys) {
        at = at.plusSeconds(1);
        samples.add(
            new Sample(
                Engine.MARIADB,
                key,
                round,
                (round + 1) * 1000L,
                1000,
                1000L * 1_000_000_000L / rowsPerSecond,
                (round + 1) << 20,
                (round + 1) << 20,
                100_000,
                1.5,
                at));
      }
    }
    new Report(
            config,
            samples,
            Map.of(
                Engine.MARIADB, Map.of("version", "10.11", "innodb_buffer_pool_size", "134217728")),
            Instant.parse("2026-12-01T19:33:00Z"),
            at,
            "1.0 1.0 1.0",
            "2.0 2.0 2.0",
            "every table reached 3,000 rows")
        .write();
    return out;
  }

  private static List<Sample> concat(List<Sample> a, List<Sample> b) {
    List<Sample> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
