package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.testkit.Engines;
import dev.idmint.testkit.PrivateMariaDb;
import dev.idmint.testkit.PrivatePostgres;
import dev.idmint.testkit.PrivateRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault campaign's short form, part of {@code ./mvnw verify}: three real server processes per
 * coordinator, every fault once (fixed seed), then the checks; and the two negative controls, which
 * must be caught. Reports land in {@code idmint-chaos/target/chaos/<round>/report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosShortFormTest {
  static final long SEED = Long.getLong("chaos.seed", 20261122L);

  static Path serverJar;
  static Path output;

  @BeforeAll
  static void prerequisites() {
    Assumptions.assumeTrue(
        "short".equals(System.getProperty("chaos.form", "short")),
        "chaos.form is not 'short': the long form runs instead");
    serverJar =
        Path.of(System.getProperty("chaos.serverJar", "../idmint-server/target/idmint-server.jar"));
    output = Path.of(System.getProperty("chaos.outputDir", "target/chaos"));
    if (!Files.isReadable(serverJar)) {
      String message =
          "the server jar "
              + serverJar
              + " is missing; build it with ./mvnw -B -pl idmint-server -am package -DskipTests";
      if (Engines.underCi()) {
        throw new AssertionError("CI=true, so the campaign may not skip: " + message);
      }
      Assumptions.abort(message);
    }
    Engines.require(
        "PostgreSQL",
        CoordinatorUnderTest.PG_HOST,
        CoordinatorUnderTest.PG_PORT,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    if (!Chaos.faketimeAvailable()) {
      String message =
          "libfaketime is not installed ("
              + NodeProcess.FAKETIME_LIBRARY
              + "); clock faults are skipped. Install it with: apt-get install -y faketime";
      if (Engines.underCi()) {
        throw new AssertionError("CI=true, so the clock faults may not skip: " + message);
      }
      System.out.println("WARNING: " + message);
    }
  }

  private static Checker.Result run(Campaign.Spec spec) throws Exception {
    return Chaos.run(spec, serverJar, output, System.out::println);
  }

  private static void assertClean(Checker.Result result) {
    assertThat(result.outcome.problems()).as("harness problems").isEmpty();
    assertThat(result.ids).as("IDs acknowledged").isGreaterThan(10_000);
    assertThat(result.violations())
        .as("safety figures, first findings: %s", result.examples)
        .allSatisfy((name, value) -> assertThat(value).as(name).isZero());
    assertThat(result.duplicatesPrimaryKey).as("PRIMARY KEY table checked").isZero();
    List<FaultType> expected = result.outcome.spec().faults();
    for (FaultType type : expected) {
      if (!result.outcome.skipped().contains(type.id())) {
        assertThat(result.byFault).as("fault %s injected", type.id()).containsKey(type);
      }
    }
  }

  @Test
  @Order(1)
  void postgresEveryFaultAndARealKillNoDuplicateNoFencedId() throws Exception {
    PrivatePostgres.requireInstalled();
    Checker.Result result =
        run(
            Chaos.round(
                CoordinatorUnderTest.Kind.POSTGRES_PRIVATE,
                SEED,
                Chaos.shortPostgresPlan(),
                Duration.ZERO));
    assertClean(result);
    assertThat(result.byFault)
        .containsKeys(FaultType.DB_KILL_UNDER_HORIZON, FaultType.DB_RESTORE_BACKUP);
  }

  @Test
  @Order(2)
  void zookeeperEveryFaultNoDuplicateNoFencedId() throws Exception {
    assertClean(
        run(
            Chaos.round(
                CoordinatorUnderTest.Kind.ZOOKEEPER,
                SEED,
                Chaos.shortZooKeeperPlan(),
                Duration.ZERO)));
  }

  /**
   * Redis without persistence, killed and started empty: the nodes see the horizons go back and
   * claim again only above every lost one; the campaign raises the segment counters back as an
   * operator must (docs/coordinators.md).
   */
  @Test
  @Order(4)
  void redisRestartedEmptyNoDuplicateNoFencedId() throws Exception {
    PrivateRedis.requireInstalled();
    assertClean(
        run(
            Chaos.round(
                CoordinatorUnderTest.Kind.REDIS_PRIVATE,
                SEED,
                Chaos.shortRedisPlan(),
                Duration.ZERO)));
  }

  @Test
  @Order(3)
  void mariadbSegmentAndSnowflakeSurviveKillsPausesAnOutageAndARealKill() throws Exception {
    PrivateMariaDb.requireInstalled();
    assertClean(
        run(
            Chaos.round(
                CoordinatorUnderTest.Kind.MARIADB_PRIVATE,
                SEED,
                Chaos.shortMariaDbPlan(),
                Duration.ZERO)));
  }

  @Test
  @Order(5)
  void negativeControlWithoutTheClockCheckIsCaught() throws Exception {
    Assumptions.assumeTrue(Chaos.faketimeAvailable(), "needs libfaketime");
    Checker.Result result = run(Chaos.clockControl(SEED));
    assertThat(result.duplicates).as("duplicates found in memory").isPositive();
    assertThat(result.duplicatesPrimaryKey)
        .as("the PRIMARY KEY table refuses the same number")
        .isEqualTo(result.duplicates);
    assertThat(result.refusingNodeIds).as("IDs from the clock-behind node").isPositive();
  }

  @Test
  @Order(6)
  void negativeControlWithoutTheLeaseCheckIsCaught() throws Exception {
    Checker.Result result = run(Chaos.leaseControl(SEED));
    assertThat(result.fencedNodeIds).as("fenced-node IDs").isPositive();
    assertThat(result.totalViolations()).isPositive();
  }
}
