package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The long form: {@code scripts/chaos/run.sh --minutes 30 --seeds 1,2,3} (or {@code
 * -Dchaos.form=long -Dchaos.minutes=30 -Dchaos.seeds=1,2,3}). The plan repeats, reshuffled, until
 * each round's share of the time has passed. {@code --raw-count 1000} ({@code -Dchaos.rawCount})
 * asks for that many IDs per REST and gRPC call, for the billion-ID runs; {@code --faults
 * pause-over-ttl,kill-restart} ({@code -Dchaos.faults}) runs only those faults. Skipped in the
 * short form.
 */
class ChaosLongFormTest {
  @Test
  void everyCoordinatorAndSeedForTheGivenTime() throws Exception {
    Assumptions.assumeTrue(
        "long".equals(System.getProperty("chaos.form")),
        "the long form runs with -Dchaos.form=long");
    Path jar = Path.of(System.getProperty("chaos.serverJar"));
    Path output = Path.of(System.getProperty("chaos.outputDir"));
    long minutes = Long.parseLong(System.getProperty("chaos.minutes", "30"));
    int rawCount = Integer.parseInt(System.getProperty("chaos.rawCount", "10"));
    String faults = System.getProperty("chaos.faults", "");
    List<Long> seeds = new ArrayList<>();
    for (String s : System.getProperty("chaos.seeds").split(",")) {
      seeds.add(Long.parseLong(s.strip()));
    }
    List<CoordinatorUnderTest.Kind> kinds = new ArrayList<>();
    for (String s : System.getProperty("chaos.coordinators").split(",")) {
      kinds.add(CoordinatorUnderTest.Kind.of(s));
    }
    Duration perRound = Duration.ofMinutes(minutes).dividedBy((long) seeds.size() * kinds.size());
    StringBuilder all = new StringBuilder();
    long violations = 0;
    List<String> problems = new ArrayList<>();
    for (long seed : seeds) {
      for (CoordinatorUnderTest.Kind kind : kinds) {
        List<FaultType> plan = Chaos.plan(kind, faults);
        if (plan.isEmpty()) {
          System.out.println("no round on " + kind.id + ": it can undergo none of " + faults);
          continue;
        }
        Checker.Result r =
            Chaos.run(
                Chaos.round(kind, seed, plan, perRound).withRawCount(rawCount),
                jar,
                output,
                System.out::println);
        violations += r.totalViolations();
        problems.addAll(r.outcome.problems());
        all.append(Report.render(r)).append('\n');
      }
    }
    Campaign.write(output.resolve("long-form-report.md"), all.toString());
    assertThat(problems).as("harness problems").isEmpty();
    assertThat(violations)
        .as("violations over every round; see target/chaos/long-form-report.md")
        .isZero();
  }
}
