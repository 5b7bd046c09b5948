package dev.idmint.bench.insert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.testkit.Engines;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark end to end at a tiny size, on the real engines: 20,000 rows per key type in chunks
 * of 5,000. Checks that it ran, filled every table with the rows it reports and wrote its CSV,
 * markdown and one chart per engine. No timing is asserted. Uses a database of its own, so a full
 * run in {@code idmint_insert_bench} is not disturbed.
 */
class InsertBenchSmokeTest {
  private static final String DATABASE = "idmint_insert_bench_smoke";
  private static final int ROWS = 20_000;
  private static final int CHUNK = 5_000;

  private static InsertBenchConfig config;
  private static InsertBench.Result result;

  @BeforeAll
  static void run() throws Exception {
    config =
        InsertBenchConfig.parse(
            List.of(
                "--rows",
                String.valueOf(ROWS),
                "--chunk",
                String.valueOf(CHUNK),
                "--database",
                DATABASE,
                "--keep-database",
                "--out",
                System.getProperty("insertbench.outputDir", "target/insert-bench-smoke")),
            System.getenv(),
            "smoke test");
    Engines.require(
        "PostgreSQL",
        config.postgres().host(),
        config.postgres().port(),
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    Engines.require(
        "MariaDB", config.mariadb().host(), config.mariadb().port(), "service mariadb start");
    result = new InsertBench(config).run();
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    if (config == null || result == null) {
      return;
    }
    for (Engine engine : Engine.values()) {
      try (Connection admin = engine.admin(config.server(engine))) {
        engine.dropDatabase(admin, DATABASE);
      }
    }
  }

  @Test
  void everyTableHoldsTheRowsOfEveryChunkWithDistinctKeys() throws SQLException {
    assertThat(result.stopReason()).isEqualTo("reached " + ROWS + " rows per table");
    for (Engine engine : Engine.values()) {
      try (Connection connection = engine.open(config.server(engine), DATABASE);
          Statement statement = connection.createStatement()) {
        for (KeyType key : KeyType.values()) {
          try (ResultSet rows =
              statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + key.table())) {
            rows.next();
            assertThat(rows.getLong(1)).as(engine + " " + key).isEqualTo(ROWS);
            assertThat(rows.getLong(2)).as(engine + " " + key).isEqualTo(ROWS);
          }
        }
      }
    }
  }

  @Test
  void samplesEveryChunkOfEveryTableInRoundRobinOrder() {
    List<Sample> samples = result.samples();
    int tables = Engine.values().length * KeyType.values().length;
    assertThat(samples).hasSize(tables * ROWS / CHUNK);
    for (int round = 0; round < ROWS / CHUNK; round++) {
      int r = round;
      List<Sample> ofRound = samples.stream().filter(s -> s.round() == r).toList();
      assertThat(ofRound).hasSize(tables);
      assertThat(ofRound).allSatisfy(s -> assertThat(s.rowsAfter()).isEqualTo((r + 1L) * CHUNK));
    }
    assertThat(samples)
        .allSatisfy(
            s -> {
              assertThat(s.chunkRows()).isEqualTo(CHUNK);
              assertThat(s.chunkNanos()).isPositive();
              assertThat(s.indexBytes()).isPositive();
              assertThat(s.tableBytes()).isGreaterThanOrEqualTo(s.indexBytes());
              assertThat(s.logBytes()).isPositive();
            });
  }

  @Test
  void writesTheCsvTheMarkdownAndOneChartPerEngine() throws IOException {
    Path dir = config.outputDir();
    assertThat(result.files())
        .containsExactly(
            dir.resolve(Report.CSV),
            dir.resolve(Report.MARKDOWN),
            dir.resolve(Charts.fileName(Engine.POSTGRESQL)),
            dir.resolve(Charts.fileName(Engine.MARIADB)));
    List<String> csv = Files.readAllLines(dir.resolve(Report.CSV));
    assertThat(csv).hasSize(1 + result.samples().size());
    String markdown = Files.readString(dir.resolve(Report.MARKDOWN));
    assertThat(markdown).contains("- Date: ", "- Command: `smoke test`", "#### PostgreSQL");
    assertThat(markdown)
        .contains("#### MariaDB", "shared_buffers = ", "innodb_buffer_pool_size = ");
    for (KeyType key : KeyType.values()) {
      assertThat(markdown).contains("| " + key.label() + " | 20,000 |");
    }
    for (Engine engine : Engine.values()) {
      BufferedImage chart = ImageIO.read(dir.resolve(Charts.fileName(engine)).toFile());
      assertThat(chart).as(engine.label() + " chart").isNotNull();
      assertThat(chart.getWidth()).isEqualTo(1000);
      assertThat(chart.getHeight()).isEqualTo(560);
    }
  }
}
