package dev.idmint.chaos;

import java.time.Duration;
import java.util.Map;

/** Renders a round's figures as Markdown (the tables docs/reliability.md publishes). */
final class Report {
  private Report() {}

  static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", Java "
        + System.getProperty("java.version");
  }

  static String render(Checker.Result r) {
    Campaign.Outcome o = r.outcome;
    Campaign.Spec spec = o.spec();
    StringBuilder out = new StringBuilder();
    out.append("### ")
        .append(spec.label())
        .append(": ")
        .append(spec.coordinator().id)
        .append(
            spec.negativeControl() == null
                ? ""
                : " (NEGATIVE CONTROL " + spec.negativeControl() + ")")
        .append("\n\n");
    out.append("seed ")
        .append(spec.seed())
        .append(", ")
        .append(format(Duration.ofMillis(o.endMillis() - o.startMillis())))
        .append(", ")
        .append(spec.nodes())
        .append(" node slots, lease TTL ")
        .append(Campaign.TTL.toSeconds())
        .append(" s, machine: ")
        .append(machine())
        .append("; coordinator outage: ")
        .append(o.outageMethod())
        .append("\n\n");
    out.append("| check | figure |\n| --- | ---: |\n");
    row(out, "IDs acknowledged (snowflake)", r.ids + " (" + r.snowflakeIds + ")");
    row(out, "calls (failed)", r.calls + " (" + r.failedCalls + ")");
    row(out, "Java-client calls (failed)", r.clientCalls + " (" + r.clientFailedCalls + ")");
    row(
        out,
        "Java-client calls failed during single-node faults (goal 0)",
        r.clientFailedSingleNode);
    if (!r.clientErrors.isEmpty()) {
      row(out, "Java-client failures by kind", r.clientErrors.toString());
    }
    for (Map.Entry<String, Long> v : r.violations().entrySet()) {
      row(out, "**" + v.getKey() + "**", v.getValue());
    }
    if (r.afterLostClaim > 0) {
      row(
          out,
          "IDs issued under a claim the coordinator lost, after another node took the worker"
              + " (below its raised floor: not duplicates)",
          r.afterLostClaim);
    }
    if (r.aboveLostHorizon > 0) {
      row(
          out,
          "IDs above the last polled horizon, answered just before a poll found it gone back (the"
              + " horizon they used was lost with the coordinator's writes)",
          r.aboveLostHorizon);
    }
    row(out, "worst second: share of Java-client calls that succeeded", worstSecond(r));
    if (!o.skipped().isEmpty()) {
      row(out, "faults skipped (no libfaketime)", String.join(", ", o.skipped()));
    }
    if (!o.problems().isEmpty()) {
      row(out, "harness problems", String.join("; ", o.problems()));
    }
    out.append(
        "\n| fault | injected | IDs | duplicates | fenced-node IDs | longest client gap | longest gap, all paths | client calls failed | p99 client | p99 raw call |\n");
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map.Entry<FaultType, Checker.Row> e : r.byFault.entrySet()) {
      Checker.Row row = e.getValue();
      out.append("| ")
          .append(e.getKey().id())
          .append(" | ")
          .append(row.injected)
          .append(" | ")
          .append(row.ids)
          .append(" | ")
          .append(row.duplicates)
          .append(" | ")
          .append(row.fenced)
          .append(" | ")
          .append(row.longestClientGapMillis)
          .append(" ms | ")
          .append(row.longestServiceGapMillis)
          .append(" ms | ")
          .append(row.clientFailed)
          .append(" of ")
          .append(row.clientCalls)
          .append(" | ")
          .append(millis(row.p99(row.clientLatencies)))
          .append(" | ")
          .append(millis(row.p99(row.rawLatencies)))
          .append(" |\n");
    }
    Checker.Row all = r.overall;
    out.append("| (whole round) | | ")
        .append(all.ids)
        .append(" | ")
        .append(r.duplicates)
        .append(" | ")
        .append(r.fencedNodeIds)
        .append(" | | | ")
        .append(r.clientFailedCalls)
        .append(" of ")
        .append(r.clientCalls)
        .append(" | ")
        .append(millis(all.p99(all.clientLatencies)))
        .append(" | ")
        .append(millis(all.p99(all.rawLatencies)))
        .append(" |\n");
    if (!r.examples.isEmpty()) {
      out.append("\nFirst findings:\n\n");
      for (String example : r.examples) {
        out.append("- ").append(example).append('\n');
      }
    }
    out.append("\nFaults in order (with the client's failed calls and longest gaps of each):\n\n");
    for (Checker.Injection injection : r.injections) {
      Campaign.Fault f = injection.fault();
      out.append("- ")
          .append(f.type().id())
          .append(f.slot() >= 0 ? " on node" + f.slot() : "")
          .append(": lifted after ")
          .append(f.liftedMillis() - f.startMillis())
          .append(" ms, all nodes ready ")
          .append(f.settledMillis() - f.liftedMillis())
          .append(" ms later")
          .append(f.note().isEmpty() ? "" : " (" + f.note() + ")")
          .append("; client ")
          .append(injection.clientFailed())
          .append(" failed, gap ")
          .append(injection.clientGapMillis())
          .append(" ms, all paths ")
          .append(injection.serviceGapMillis())
          .append(" ms\n");
    }
    return out.toString();
  }

  private static String worstSecond(Checker.Result r) {
    double worst = 1;
    for (long[] counts : r.perSecond.values()) {
      if (counts[1] >= 20) { // a second at the very start or end of the load has a few calls
        worst = Math.min(worst, counts[0] / (double) counts[1]);
      }
    }
    return String.format(java.util.Locale.ROOT, "%.1f %%", worst * 100);
  }

  private static void row(StringBuilder out, String name, Object value) {
    out.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }

  private static String millis(long micros) {
    return micros < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
  }
}
