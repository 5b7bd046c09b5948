package dev.idmint.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a round's {@link Campaign.Outcome} into figures, each of which can fail:
 *
 * <ul>
 *   <li><b>duplicates</b>: every acknowledged ID of a namespace, sorted; equal neighbours counted.
 *   <li><b>fenced-node IDs</b>: a snowflake ID from a raw call decodes to worker {@code w} and tick
 *       {@code t}; the node process that answered must have logged a claim of {@code w} whose
 *       timestamp range contains {@code t}. A claim's range runs from its previous horizon
 *       (exclusive) to the next claim's previous horizon (inclusive), as the claims of one worker
 *       are ordered by fencing token. An ID is also fenced if its call was sent after another
 *       process had already logged a claim of the same worker — unless that claim's floor was
 *       raised because the coordinator lost writes (Redis restarted empty): the lost claim cannot
 *       be fenced then, and such IDs are counted apart, as they lie below the new holder's floor.
 *   <li><b>beyond the horizon</b>: {@code t} must not exceed the worker's reserved horizon read
 *       from the coordinator by the first poll that started after the ID was acknowledged.
 *   <li><b>IDs from a refusing node</b>: a raw call to a node that was paused, or whose clock was
 *       behind, that was sent and answered inside such a window must not carry an ID.
 * </ul>
 */
final class Checker {
  static final long EPOCH_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
  static final int SEQUENCE_BITS = 12;

  /** Figures of one fault type (or of the whole round). */
  static final class Row {
    int injected;
    long ids;
    long duplicates;
    long fenced;
    long clientCalls;
    long clientFailed;
    long longestClientGapMillis;
    long longestServiceGapMillis;
    final List<Long> clientLatencies = new ArrayList<>();
    final List<Long> rawLatencies = new ArrayList<>();

    long p99(List<Long> latencies) {
      if (latencies.isEmpty()) {
        return -1;
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    }
  }

  /** One injection's own figures, for the list of faults in order. */
  record Injection(
      Campaign.Fault fault, long clientFailed, long clientGapMillis, long serviceGapMillis) {}

  /** The checks' results. */
  static final class Result {
    final Campaign.Outcome outcome;
    long ids;
    long snowflakeIds;
    long calls;
    long failedCalls;
    long clientCalls;
    long clientFailedCalls;
    long clientFailedSingleNode;
    long duplicates;
    long duplicatesPrimaryKey = -1;
    long fencedNodeIds;

    /**
     * IDs a process issued under a claim the coordinator lost, once another process held the worker
     * with a floor raised for the loss; within this claim's range, so not fenced-node IDs.
     */
    long afterLostClaim;

    long beyondHorizon;

    /**
     * IDs above the last polled horizon, answered just before a poll that found the worker's
     * horizon gone back (the coordinator lost writes: a restore or a killed engine), and at most
     * one reserve ahead of their answer: the horizon they were issued under was written after the
     * last poll that could see it and lost with the writes, so no poll can confirm or refute it.
     * What a later holder makes of the loss shows as duplicates or fenced-node IDs, which stay
     * checked.
     */
    long aboveLostHorizon;

    long refusingNodeIds;
    long outsideAnyLease;
    final List<String> examples = new ArrayList<>();
    final Map<FaultType, Row> byFault = new EnumMap<>(FaultType.class);
    final List<Injection> injections = new ArrayList<>();
    final Row overall = new Row();
    final Map<String, Long> clientErrors = new TreeMap<>();
    final List<Ledger.Call> duplicateCalls = new ArrayList<>();
    final List<Ledger.Call> fencedCalls = new ArrayList<>();
    final TreeMap<Long, long[]> perSecond = new TreeMap<>(); // second -> {ok, all} client calls

    Result(Campaign.Outcome outcome) {
      this.outcome = outcome;
    }

    /** Every safety figure that must be zero, by name. */
    Map<String, Long> violations() {
      Map<String, Long> v = new LinkedHashMap<>();
      v.put("duplicates (in memory)", duplicates);
      v.put("duplicates (PRIMARY KEY table)", Math.max(0, duplicatesPrimaryKey));
      v.put("fenced-node IDs", fencedNodeIds);
      v.put("IDs beyond the reserved horizon", beyondHorizon);
      v.put("IDs from a paused or clock-behind node", refusingNodeIds);
      v.put("snowflake IDs outside every lease", outsideAnyLease);
      return v;
    }

    long totalViolations() {
      return violations().values().stream().mapToLong(Long::longValue).sum();
    }

    void example(String text) {
      if (examples.size() < 20) {
        examples.add(text);
      }
    }
  }

  private record Range(NodeProcess.Claim claim, long low, long high, NodeProcess.Claim next) {}

  private Checker() {}

  static Result check(Campaign.Outcome outcome) {
    Result result = new Result(outcome);
    int workerBits = outcome.spec().workerBits();
    Map<Integer, List<Range>> ranges = ranges(outcome.claims(), result);
    List<HorizonPoller.Snapshot> snapshots = highestSoFar(outcome.horizons());
    long[] snapshotStarts =
        snapshots.stream().mapToLong(HorizonPoller.Snapshot::startMillis).toArray();

    List<Campaign.Window> windows = refusalWindows(outcome);
    // Every namespace's IDs go into one array, sized first, then sorted in place for the
    // duplicate count: a round of hundreds of millions of IDs holds them twice, never more.
    long[] namespaceCounts = new long[Load.NAMESPACES.length];
    for (Ledger.Book book : outcome.ledger().books()) {
      for (Ledger.Call call : book.calls) {
        namespaceCounts[call.namespace()] += call.idCount();
      }
    }
    long[][] idsByNamespace = new long[namespaceCounts.length][];
    int[] filled = new int[namespaceCounts.length];
    for (int ns = 0; ns < namespaceCounts.length; ns++) {
      if (namespaceCounts[ns] > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException(
            "a round holds at most 2^31 IDs per namespace; run shorter rounds (more seeds)");
      }
      idsByNamespace[ns] = new long[(int) namespaceCounts[ns]];
    }
    List<Ledger.Call> allCalls = new ArrayList<>();
    for (Ledger.Book book : outcome.ledger().books()) {
      for (Ledger.Call call : book.calls) {
        allCalls.add(call);
        result.calls++;
        if (!call.ok()) {
          result.failedCalls++;
        }
        if (call.via() == Ledger.Via.CLIENT) {
          result.clientCalls++;
          if (!call.ok()) {
            result.clientFailedCalls++;
          }
          long second = call.sendMillis() / 1000;
          long[] counts = result.perSecond.computeIfAbsent(second, s -> new long[2]);
          counts[1]++;
          if (call.ok()) {
            counts[0]++;
          } else {
            result.clientErrors.merge(call.error(), 1L, Long::sum);
          }
        }
        if (call.idCount() > 0) {
          checkRefusal(result, call, book.id(call.firstId()), windows);
        }
        long[] sink = idsByNamespace[call.namespace()];
        for (int i = 0; i < call.idCount(); i++) {
          long id = book.id(call.firstId() + i);
          sink[filled[call.namespace()]++] = id;
          result.ids++;
          if (call.namespace() == 0) {
            result.snowflakeIds++;
            checkSnowflake(result, call, id, workerBits, ranges, snapshots, snapshotStarts);
          }
        }
      }
    }
    Map<Integer, Set<Long>> duplicated = new HashMap<>();
    for (int ns = 0; ns < idsByNamespace.length; ns++) {
      long[] ids = idsByNamespace[ns];
      Arrays.sort(ids);
      for (int i = 1; i < ids.length; i++) {
        if (ids[i] == ids[i - 1]) {
          result.duplicates++;
          duplicated.computeIfAbsent(ns, k -> new HashSet<>()).add(ids[i]);
          result.example("duplicate " + Load.NAMESPACES[ns] + " ID " + ids[i]);
        }
      }
      idsByNamespace[ns] = null;
    }
    // Which calls carried a duplicate, for the per-fault figures.
    for (Ledger.Book book : outcome.ledger().books()) {
      for (Ledger.Call call : book.calls) {
        Set<Long> set = duplicated.get(call.namespace());
        if (set == null) {
          continue;
        }
        for (int i = 0; i < call.idCount(); i++) {
          if (set.contains(book.id(call.firstId() + i))) {
            result.duplicateCalls.add(call);
          }
        }
      }
    }
    figuresByFault(result, allCalls);
    return result;
  }

  /**
   * A call sent and answered inside a window in which its node must refuse may carry no ID; every
   * ID it carried counts ({@code firstId} names the first in the report).
   */
  private static void checkRefusal(
      Result result, Ledger.Call call, long firstId, List<Campaign.Window> windows) {
    for (Campaign.Window window : windows) {
      // A clock step concerns snowflake IDs only; a paused node answers nothing at all.
      if (window.snowflakeOnly() && call.namespace() != 0) {
        continue;
      }
      if (call.slot() == window.slot()
          && call.sendMillis() >= window.fromMillis()
          && call.ackMillis() <= window.toMillis()) {
        result.refusingNodeIds += call.idCount();
        result.example(
            call.idCount()
                + " IDs (the first "
                + firstId
                + ") from node"
                + call.slot()
                + " while "
                + window.why()
                + " (sent "
                + call.sendMillis()
                + ", answered "
                + call.ackMillis()
                + ")");
      }
    }
  }

  /**
   * The windows in which a node must refuse, each clock window ended where the node's clock caught
   * up with the latest time it surely saw: the send time of its last snowflake answer before the
   * step (it read its clock after that) plus the step, less the 5 ms it absorbs. A node that issued
   * nothing before the step saw nothing, and may issue at once: its window is dropped.
   */
  static List<Campaign.Window> refusalWindows(Campaign.Outcome outcome) {
    List<Campaign.Window> result = new ArrayList<>();
    for (Campaign.Window window : outcome.mustRefuse()) {
      if (window.stepMillis() == 0) {
        result.add(window);
        continue;
      }
      long stepAt = window.fromMillis() - Campaign.FAKETIME_LAG.toMillis();
      long lastSeen = Long.MIN_VALUE;
      for (Ledger.Book book : outcome.ledger().books()) {
        for (Ledger.Call call : book.calls) {
          if (call.slot() == window.slot()
              && call.namespace() == 0
              && call.ok()
              && call.idCount() > 0
              && call.ackMillis() < stepAt) {
            lastSeen = Math.max(lastSeen, call.sendMillis());
          }
        }
      }
      if (lastSeen == Long.MIN_VALUE) {
        continue;
      }
      long until = Math.min(window.toMillis(), lastSeen + window.stepMillis() - 10);
      if (until > window.fromMillis()) {
        result.add(
            new Campaign.Window(
                window.why(),
                window.slot(),
                window.fromMillis(),
                until,
                window.snowflakeOnly(),
                window.stepMillis()));
      }
    }
    return result;
  }

  /**
   * Each snapshot with every worker's highest horizon read up to then. A horizon only grows, except
   * when the database is restored from a backup: an ID issued under a horizon that was recorded and
   * then lost was still issued under a recorded horizon (what a later holder of the worker makes of
   * the lost horizon shows as duplicates and fenced-node IDs, not here).
   */
  static List<HorizonPoller.Snapshot> highestSoFar(List<HorizonPoller.Snapshot> snapshots) {
    List<HorizonPoller.Snapshot> result = new ArrayList<>(snapshots.size());
    Map<Integer, Long> highest = new HashMap<>();
    for (HorizonPoller.Snapshot snapshot : snapshots) {
      snapshot.horizons().forEach((worker, horizon) -> highest.merge(worker, horizon, Math::max));
      result.add(new HorizonPoller.Snapshot(snapshot.startMillis(), Map.copyOf(highest)));
    }
    return result;
  }

  private static Map<Integer, List<Range>> ranges(List<NodeProcess.Claim> claims, Result result) {
    Map<Integer, List<NodeProcess.Claim>> byWorker = new HashMap<>();
    for (NodeProcess.Claim claim : claims) {
      byWorker.computeIfAbsent(claim.worker(), w -> new ArrayList<>()).add(claim);
    }
    Map<Integer, List<Range>> ranges = new HashMap<>();
    for (Map.Entry<Integer, List<NodeProcess.Claim>> e : byWorker.entrySet()) {
      List<NodeProcess.Claim> list = new ArrayList<>(e.getValue());
      // In the order the claims were logged: a database restored from a backup hands out fencing
      // tokens again that the lost history had used, so the token alone does not order them.
      list.sort(
          Comparator.comparingLong(NodeProcess.Claim::seenMillis)
              .thenComparingLong(NodeProcess.Claim::fencingToken));
      List<Range> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        NodeProcess.Claim claim = list.get(i);
        NodeProcess.Claim next = i + 1 < list.size() ? list.get(i + 1) : null;
        if (next != null && next.fencingToken() == claim.fencingToken()) {
          result.example(
              "two claims of worker "
                  + e.getKey()
                  + " with one fencing token: "
                  + claim
                  + ", "
                  + next);
        }
        out.add(
            new Range(
                claim,
                claim.previousHorizon(),
                next == null ? Long.MAX_VALUE : next.previousHorizon(),
                next));
      }
      ranges.put(e.getKey(), out);
    }
    return ranges;
  }

  private static void checkSnowflake(
      Result result,
      Ledger.Call call,
      long id,
      int workerBits,
      Map<Integer, List<Range>> ranges,
      List<HorizonPoller.Snapshot> snapshots,
      long[] snapshotStarts) {
    int worker = (int) ((id >>> SEQUENCE_BITS) & ((1L << workerBits) - 1));
    long millis =
        (id >>> (SEQUENCE_BITS + workerBits)) * result.outcome.spec().tickMillis() + EPOCH_MILLIS;
    List<Range> workerRanges = ranges.getOrDefault(worker, List.of());
    if (call.slot() >= 0) {
      Range held = null;
      for (Range range : workerRanges) {
        int incarnation = range.claim().incarnation();
        if ((incarnation == call.incarnationAtSend() || incarnation == call.incarnationAtAck())
            && millis > range.low()
            && millis <= range.high()) {
          held = range;
          break;
        }
      }
      if (held == null) {
        result.fencedNodeIds++;
        result.fencedCalls.add(call);
        result.example(
            "fenced-node ID "
                + id
                + " (worker "
                + worker
                + ", "
                + Instant.ofEpochMilli(millis)
                + ") from node"
                + call.slot()
                + " incarnation "
                + call.incarnationAtSend()
                + "/"
                + call.incarnationAtAck()
                + ": no lease of that process covers it");
      } else if (held.next() != null
          && held.next().incarnation() != held.claim().incarnation()
          && held.next().seenMillis() < call.sendMillis()
          && held.next().raisedForLostWrites()) {
        // The coordinator lost this process's claim (no persistence, a restore) and handed the
        // worker on while the claim was still valid here: no fencing can stop that, but the new
        // holder issues only above its raised floor, which this ID lies under (its range).
        result.afterLostClaim++;
      } else if (held.next() != null
          && held.next().incarnation() != held.claim().incarnation()
          && held.next().seenMillis() < call.sendMillis()) {
        result.fencedNodeIds++;
        result.fencedCalls.add(call);
        result.example(
            "fenced-node ID "
                + id
                + " from node"
                + call.slot()
                + ": sent at "
                + call.sendMillis()
                + ", after worker "
                + worker
                + " was claimed by incarnation "
                + held.next().incarnation());
      }
    } else {
      boolean covered = false;
      for (Range range : workerRanges) {
        if (millis > range.low() && millis <= range.high()) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        result.outsideAnyLease++;
        result.example(
            "client-acknowledged ID " + id + " (worker " + worker + ") outside every lease");
      }
    }
    int at = Arrays.binarySearch(snapshotStarts, call.ackMillis());
    int index = at >= 0 ? at : -at - 1;
    if (index >= snapshots.size()) {
      index = snapshots.size() - 1;
    }
    Long horizon = index < 0 ? null : snapshots.get(index).horizons().get(worker);
    if (horizon != null
        && millis > horizon
        && underLostHorizon(result, snapshots, call, worker, millis, at)) {
      result.aboveLostHorizon++;
    } else if (horizon == null || millis > horizon) {
      result.beyondHorizon++;
      result.example(
          "ID "
              + id
              + " (worker "
              + worker
              + ", "
              + millis
              + ") from node"
              + call.slot()
              + " (sent "
              + call.sendMillis()
              + ", answered "
              + call.ackMillis()
              + ") beyond the recorded horizon "
              + horizon
              + horizonHistory(result.outcome.horizons(), index, worker));
    }
  }

  /**
   * Whether an ID above the polled horizon was answered in the blind spot of a lost write: the
   * first poll after its answer read the worker's horizon lower than an earlier poll (only lost
   * durable writes move it back), and the ID lies at most one reserve ({@link Campaign#HORIZON})
   * ahead of its answer, which bounds any horizon a renewal before the answer could have written.
   */
  private static boolean underLostHorizon(
      Result result,
      List<HorizonPoller.Snapshot> highestSoFar,
      Ledger.Call call,
      int worker,
      long millis,
      int searchAt) {
    List<HorizonPoller.Snapshot> raw = result.outcome.horizons();
    int after = searchAt >= 0 ? searchAt : -searchAt - 1;
    if (after <= 0 || after >= raw.size()) {
      return false;
    }
    Long then = raw.get(after).horizons().get(worker);
    Long before = highestSoFar.get(after - 1).horizons().get(worker);
    boolean wentBack = before != null && (then == null || then < before);
    return wentBack && millis <= call.ackMillis() + Campaign.HORIZON.toMillis();
  }

  /**
   * The worker's horizon as read in the snapshots around one, for the report of an ID beyond it.
   */
  private static String horizonHistory(
      List<HorizonPoller.Snapshot> snapshots, int index, int worker) {
    StringBuilder text = new StringBuilder(" (read at");
    for (int i = Math.max(0, index - 3); i < Math.min(snapshots.size(), index + 3); i++) {
      HorizonPoller.Snapshot snapshot = snapshots.get(i);
      text.append(i == index ? " [" : " ")
          .append(snapshot.startMillis())
          .append(": ")
          .append(snapshot.horizons().get(worker))
          .append(i == index ? "]" : "");
    }
    return text.append(')').toString();
  }

  private static void figuresByFault(Result result, List<Ledger.Call> calls) {
    calls.sort((a, b) -> Long.compare(a.ackMillis(), b.ackMillis()));
    for (Campaign.Fault fault : result.outcome.faults()) {
      Row row = result.byFault.computeIfAbsent(fault.type(), t -> new Row());
      row.injected++;
      long from = fault.startMillis();
      long to = Math.max(fault.settledMillis(), fault.liftedMillis()) + 1_000;
      long lastClientOk = from;
      long lastAnyOk = from;
      long clientFailed = 0;
      long clientGap = 0;
      long serviceGap = 0;
      for (Ledger.Call call : calls) {
        if (call.sendMillis() < from || call.sendMillis() > to) {
          continue;
        }
        row.ids += call.idCount();
        if (call.via() == Ledger.Via.CLIENT) {
          row.clientCalls++;
          row.clientLatencies.add(call.latencyMicros());
          if (!call.ok()) {
            clientFailed++;
            if (fault.type().singleNode) {
              result.clientFailedSingleNode++;
            }
          }
        } else {
          row.rawLatencies.add(call.latencyMicros());
        }
        if (call.ok()) {
          long ack = Math.min(call.ackMillis(), to);
          if (call.via() == Ledger.Via.CLIENT) {
            clientGap = Math.max(clientGap, ack - lastClientOk);
            lastClientOk = Math.max(lastClientOk, ack);
          }
          serviceGap = Math.max(serviceGap, ack - lastAnyOk);
          lastAnyOk = Math.max(lastAnyOk, ack);
        }
      }
      clientGap = Math.max(clientGap, to - lastClientOk);
      serviceGap = Math.max(serviceGap, to - lastAnyOk);
      result.injections.add(new Injection(fault, clientFailed, clientGap, serviceGap));
      row.clientFailed += clientFailed;
      row.longestClientGapMillis = Math.max(row.longestClientGapMillis, clientGap);
      row.longestServiceGapMillis = Math.max(row.longestServiceGapMillis, serviceGap);
      // A duplicate counts against every fault during which one of its copies was asked for.
      for (Ledger.Call call : result.duplicateCalls) {
        if (call.sendMillis() >= from && call.sendMillis() <= to) {
          row.duplicates++;
        }
      }
      for (Ledger.Call call : result.fencedCalls) {
        if (call.sendMillis() >= from && call.sendMillis() <= to) {
          row.fenced++;
        }
      }
    }
    for (Ledger.Call call : calls) {
      result.overall.ids += call.idCount();
      (call.via() == Ledger.Via.CLIENT
              ? result.overall.clientLatencies
              : result.overall.rawLatencies)
          .add(call.latencyMicros());
    }
  }
}
