package dev.idmint.bench.insert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InsertBenchConfigTest {
  @Test
  void defaultsAreTheFullRunOnBothEnginesWithEveryKey() {
    InsertBenchConfig config = InsertBenchConfig.parse(List.of(), Map.of(), "cmd");
    assertThat(config.rowsPerKey()).isEqualTo(20_000_000L);
    assertThat(config.chunkRows()).isEqualTo(1_000_000);
    assertThat(config.batchRows()).isEqualTo(1_000);
    assertThat(config.budget()).isEqualTo(Duration.ZERO);
    assertThat(config.engines()).containsExactly(Engine.POSTGRESQL, Engine.MARIADB);
    assertThat(config.keys()).containsExactly(KeyType.values());
    assertThat(config.database()).isEqualTo("idmint_insert_bench");
    assertThat(config.keepDatabase()).isFalse();
    assertThat(config.postgres().port()).isEqualTo(5432);
    assertThat(config.mariadb().port()).isEqualTo(3306);
  }

  @Test
  void readsEveryOptionAndTheEnginesAddressesFromTheEnvironment() {
    InsertBenchConfig config =
        InsertBenchConfig.parse(
            List.of(
                "--rows",
                "20_000",
                "--chunk",
                "5,000",
                "--batch",
                "500",
                "--budget",
                "45m",
                "--engines",
                "mariadb",
                "--keys",
                "uuid_v7,snowflake",
                "--database",
                "bench_x",
                "--keep-database"),
            Map.of("IDMINT_PG_HOST", "pg.local", "IDMINT_MARIADB_PORT", "3307"),
            "cmd");
    assertThat(config.rowsPerKey()).isEqualTo(20_000L);
    assertThat(config.chunkRows()).isEqualTo(5_000);
    assertThat(config.batchRows()).isEqualTo(500);
    assertThat(config.budget()).isEqualTo(Duration.ofMinutes(45));
    assertThat(config.engines()).containsExactly(Engine.MARIADB);
    assertThat(config.keys()).containsExactly(KeyType.UUID_V7, KeyType.SNOWFLAKE);
    assertThat(config.database()).isEqualTo("bench_x");
    assertThat(config.keepDatabase()).isTrue();
    assertThat(config.postgres().host()).isEqualTo("pg.local");
    assertThat(config.mariadb().port()).isEqualTo(3307);
  }

  @Test
  void reportsEveryBadOptionAtOnceNamingTheValue() {
    assertThatThrownBy(
            () ->
                InsertBenchConfig.parse(
                    List.of(
                        "--rows",
                        "many",
                        "--budget",
                        "soon",
                        "--keys",
                        "uuid_v4,guid",
                        "--frobnicate",
                        "1"),
                    Map.of(),
                    "cmd"))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--rows must be a whole number: many",
                        "--budget must be a duration like 90s, 45m or 2h: soon",
                        "--keys has an unknown entry: guid",
                        "unknown option --frobnicate (see run.sh --help)"));
  }

  @Test
  void rejectsValuesOutOfRangeAllTogether() {
    assertThatThrownBy(
            () ->
                InsertBenchConfig.parse(
                    List.of(
                        "--rows",
                        "0",
                        "--chunk",
                        "0",
                        "--batch",
                        "100001",
                        "--database",
                        "Bad-Name"),
                    Map.of(),
                    "cmd"))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "rows must be at least 1: rows=0",
                        "chunk must be at least 1: chunk=0",
                        "batch must be in [1, 100000]: batch=100001",
                        "database must match [a-z][a-z0-9_]{0,62}: database=Bad-Name"));
  }

  @Test
  void aBadPortInTheEnvironmentIsAProblem() {
    assertThatThrownBy(
            () -> InsertBenchConfig.parse(List.of(), Map.of("IDMINT_PG_PORT", "five"), "cmd"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("invalid insert benchmark options: IDMINT_PG_PORT must be a port number: five");
  }

  @Test
  void anOptionWithoutAValueIsAProblem() {
    assertThatThrownBy(() -> InsertBenchConfig.parse(List.of("--rows"), Map.of(), "cmd"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("invalid insert benchmark options: option --rows needs a value");
  }
}
