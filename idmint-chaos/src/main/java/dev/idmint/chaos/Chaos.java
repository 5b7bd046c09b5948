package dev.idmint.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs rounds of the campaign and their checks. The short form (a fixed seed, every fault once per
 * coordinator, plus the negative controls) runs in {@code ./mvnw verify}; the long form repeats the
 * plan for a given time with several seeds ({@code scripts/chaos/run.sh}).
 */
public final class Chaos {
  private Chaos() {}

  /**
   * Every fault of the campaign proper that the coordinator can undergo (not the negative control's
   * special one; the database faults only on a private engine).
   */
  static List<FaultType> fullPlan(CoordinatorUnderTest.Kind kind) {
    List<FaultType> plan = new ArrayList<>(EnumSet.allOf(FaultType.class));
    plan.remove(FaultType.PAUSE_WHILE_TAKEN_OVER);
    plan.removeIf(fault -> !kind.supports(fault));
    return plan;
  }

  /**
   * The long form's plan for a coordinator: every fault it can undergo ({@link #fullPlan}), or only
   * those named in {@code only} (comma-separated ids such as {@code pause-over-ttl}; blank for all)
   * that it can undergo.
   *
   * @throws IllegalArgumentException for an id that names no fault
   */
  static List<FaultType> plan(CoordinatorUnderTest.Kind kind, String only) {
    List<FaultType> plan = fullPlan(kind);
    if (only == null || only.isBlank()) {
      return plan;
    }
    List<FaultType> named = new ArrayList<>();
    for (String id : only.split(",")) {
      FaultType fault =
          EnumSet.allOf(FaultType.class).stream()
              .filter(f -> f.id().equals(id.strip()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no fault is called '"
                              + id.strip()
                              + "'; the faults: "
                              + fullPlan(CoordinatorUnderTest.Kind.POSTGRES_PRIVATE).stream()
                                  .map(FaultType::id)
                                  .toList()));
      named.add(fault);
    }
    plan.retainAll(named);
    return plan;
  }

  /**
   * PostgreSQL (private) in the short form: every fault but {@code restart-clock-back-1s} and
   * {@code -10s} (the restart behind the previous horizon runs as {@code -1h}), {@code
   * pause-3x-ttl} (a pause past the TTL runs as {@code pause-over-ttl}), and the database faults
   * but one kill -9 and the backup restore. The long form runs them all.
   */
  static List<FaultType> shortPostgresPlan() {
    List<FaultType> plan = fullPlan(CoordinatorUnderTest.Kind.POSTGRES_PRIVATE);
    plan.removeAll(
        List.of(
            FaultType.RESTART_CLOCK_BACK_1S,
            FaultType.RESTART_CLOCK_BACK_10S,
            FaultType.PAUSE_3X_TTL,
            FaultType.DB_STOP_IMMEDIATE,
            FaultType.DB_KILL_OVER_HORIZON,
            FaultType.DB_KILL_OVER_TTL));
    return plan;
  }

  /**
   * ZooKeeper in the short form: what concerns the coordinator — a node killed and one paused past
   * its session (the lease and its takeover are ZooKeeper's own), and both server outages. The
   * faults that exercise the node or the client (pauses within or far beyond the TTL, clock steps,
   * restarts behind the clock, the cut client path, the static worker) ran on PostgreSQL; the long
   * form runs them all on every coordinator.
   */
  static List<FaultType> shortZooKeeperPlan() {
    return List.of(
        FaultType.KILL_RESTART,
        FaultType.PAUSE_OVER_TTL,
        FaultType.COORDINATOR_OUTAGE_UNDER_TTL,
        FaultType.COORDINATOR_OUTAGE_OVER_TTL);
  }

  /** MariaDB (private) in the short form: its SQL paths under a kill, a pause and both outages. */
  static List<FaultType> shortMariaDbPlan() {
    return List.of(
        FaultType.KILL_RESTART,
        FaultType.PAUSE_OVER_TTL,
        FaultType.COORDINATOR_OUTAGE_OVER_TTL,
        FaultType.DB_KILL_UNDER_HORIZON);
  }

  /**
   * Redis (private, no persistence) in the short form: restarted empty under the horizon, with a
   * node killed and restarted afterwards (it starts knowing nothing of the loss).
   */
  static List<FaultType> shortRedisPlan() {
    return List.of(FaultType.DB_KILL_UNDER_HORIZON, FaultType.KILL_RESTART);
  }

  static Campaign.Spec round(
      CoordinatorUnderTest.Kind kind, long seed, List<FaultType> plan, Duration minDuration) {
    return new Campaign.Spec(
        kind.id + "_" + seed, kind, seed, 3, 3, 3, 1, null, plan, true, minDuration, 10);
  }

  /**
   * Negative control: clock checks off, a 2 s backward step under load must give duplicates. The
   * namespace counts time in seconds, so that the light load of a busy 2-core machine still reuses
   * a (tick, sequence) pair within the step for certain.
   */
  static Campaign.Spec clockControl(long seed) {
    return new Campaign.Spec(
        "nc_clock_" + seed,
        CoordinatorUnderTest.Kind.POSTGRES,
        seed,
        3,
        3,
        3,
        1000,
        "skip-clock-check",
        List.of(FaultType.CLOCK_BACK_2S),
        false,
        Duration.ZERO,
        10);
  }

  /**
   * Negative control: lease checks off, two workers only; a paused node's worker is claimed by a
   * new node, and the paused node goes on issuing when resumed. On ZooKeeper: on PostgreSQL a node
   * paused inside its renewal transaction keeps the worker's row locked, so the new node cannot
   * claim the worker until the paused one resumes (see docs/reliability.md).
   */
  static Campaign.Spec leaseControl(long seed) {
    return new Campaign.Spec(
        "nc_lease_" + seed,
        CoordinatorUnderTest.Kind.ZOOKEEPER,
        seed,
        3,
        2,
        1,
        1000,
        "skip-lease-check",
        List.of(FaultType.PAUSE_WHILE_TAKEN_OVER),
        false,
        Duration.ZERO,
        10);
  }

  static boolean faketimeAvailable() {
    return Files.isReadable(Path.of(NodeProcess.FAKETIME_LIBRARY));
  }

  /** Runs one round and checks it; writes the report next to the nodes' logs. */
  static Checker.Result run(
      Campaign.Spec spec, Path serverJar, Path outputDir, Consumer<String> log) throws Exception {
    Campaign.Outcome outcome =
        new Campaign(spec, serverJar, outputDir, faketimeAvailable(), log).run();
    Checker.Result result = Checker.check(outcome);
    result.duplicatesPrimaryKey = PrimaryKeyCheck.duplicates(spec.label(), outcome.ledger());
    String report = Report.render(result);
    Campaign.write(outputDir.resolve(spec.label()).resolve("report.md"), report);
    log.accept(report);
    return result;
  }

  /**
   * {@code Chaos SERVER_JAR OUTPUT_DIR MINUTES SEEDS COORDINATORS [RAW_COUNT]}: the long form, e.g.
   * {@code Chaos idmint-server/target/idmint-server.jar target/chaos 30 1,2,3 postgres,zookeeper}.
   * Exit code 1 if any round found a violation.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 5 && args.length != 6) {
      System.err.println(
          "usage: Chaos SERVER_JAR OUTPUT_DIR MINUTES SEEDS COORDINATORS [RAW_COUNT]");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path out = Path.of(args[1]);
    long minutes = Long.parseLong(args[2]);
    List<Long> seeds = new ArrayList<>();
    for (String s : args[3].split(",")) {
      seeds.add(Long.parseLong(s.strip()));
    }
    List<CoordinatorUnderTest.Kind> kinds = new ArrayList<>();
    for (String s : args[4].split(",")) {
      kinds.add(CoordinatorUnderTest.Kind.of(s));
    }
    int rawCount = args.length == 6 ? Integer.parseInt(args[5]) : 10;
    Duration perRound = Duration.ofMinutes(minutes).dividedBy((long) seeds.size() * kinds.size());
    long violations = 0;
    StringBuilder summary = new StringBuilder();
    for (long seed : seeds) {
      for (CoordinatorUnderTest.Kind kind : kinds) {
        Checker.Result r =
            run(
                round(kind, seed, fullPlan(kind), perRound).withRawCount(rawCount),
                jar,
                out,
                System.out::println);
        violations += r.totalViolations();
        summary.append(Report.render(r)).append('\n');
      }
    }
    Campaign.write(out.resolve("long-form-report.md"), summary.toString());
    System.out.println(
        violations == 0
            ? "no violations"
            : "VIOLATIONS FOUND: " + violations + " (see the reports)");
    System.exit(violations == 0 ? 0 : 1);
  }
}
