package dev.idmint.chaos;

import dev.idmint.client.IdMintClient;
import dev.idmint.testkit.TcpFaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One round of the fault campaign: a fresh coordinator space, N server processes, load from many
 * threads, faults one after another at seeded random times, then the checks ({@link Checker}).
 */
final class Campaign {
  /** Lease timing of every node in the campaign: short, so pauses around the TTL fit a run. */
  static final Duration TTL = Duration.ofSeconds(4);

  static final Duration RENEW = Duration.ofMillis(250);
  static final Duration HORIZON = Duration.ofMillis(1500);

  /** Slack for a clock step to reach the node (libfaketime re-reads its file on every call). */
  static final Duration FAKETIME_LAG = Duration.ofMillis(100);

  /**
   * What to run.
   *
   * @param label names the schema/database and the output directory
   * @param tickMillis the snowflake time unit: 1 (ms) or 1000 (s)
   * @param nodes node slots (all get load; the first {@code initialNodes} start at once)
   * @param negativeControl null, or the {@link NegativeControl} every node runs (its id)
   * @param faults the plan, run in this order (shuffled by the seed when {@code shuffle})
   * @param minDuration repeat the plan (reshuffled) until at least this long has passed
   * @param rawCount IDs per REST and gRPC call of the load (10 in the short form; the long form's
   *     billion-ID runs ask for 1,000)
   */
  record Spec(
      String label,
      CoordinatorUnderTest.Kind coordinator,
      long seed,
      int nodes,
      int initialNodes,
      int workerBits,
      long tickMillis,
      String negativeControl,
      List<FaultType> faults,
      boolean shuffle,
      Duration minDuration,
      int rawCount) {
    /** The same round with {@code count} IDs per raw call. */
    Spec withRawCount(int count) {
      if (count < 1 || count > 10_000) {
        throw new IllegalArgumentException(
            "raw count must be in [1, 10000] (a node's default limits.max-count): " + count);
      }
      return new Spec(
          label,
          coordinator,
          seed,
          nodes,
          initialNodes,
          workerBits,
          tickMillis,
          negativeControl,
          faults,
          shuffle,
          minDuration,
          count);
    }
  }

  /** One fault as it happened (campaign clock, epoch millis). */
  record Fault(
      FaultType type,
      int slot,
      long startMillis,
      long liftedMillis,
      long settledMillis,
      String note) {}

  /** A time span in which a node must answer nothing but errors (paused, clock behind). */
  /**
   * A time span in which a node must answer nothing but errors: paused, or its clock stepped back
   * by {@code stepMillis} (0 for a pause) at {@code fromMillis} minus the step's lag.
   */
  record Window(
      String why,
      int slot,
      long fromMillis,
      long toMillis,
      boolean snowflakeOnly,
      long stepMillis) {}

  /** What a round produced, for the checker. */
  record Outcome(
      Spec spec,
      Ledger ledger,
      List<NodeProcess.Claim> claims,
      List<HorizonPoller.Snapshot> horizons,
      List<Fault> faults,
      List<Window> mustRefuse,
      List<String> skipped,
      List<String> problems,
      String outageMethod,
      long startMillis,
      long endMillis) {}

  private final Spec spec;
  private final Path serverJar;
  private final Path dir;
  private final boolean faketime;
  private final Consumer<String> log;
  private final Random random;
  private final List<NodeProcess.Claim> claims = new CopyOnWriteArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private final List<Window> mustRefuse = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<NodeProcess> slots = new ArrayList<>();
  private final List<TcpFaultProxy> clientProxies = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofMillis(500))
          .build();
  private CoordinatorUnderTest coordinator;
  private String baseConfig;

  Campaign(Spec spec, Path serverJar, Path outputDir, boolean faketime, Consumer<String> log) {
    this.spec = spec;
    this.serverJar = serverJar;
    this.dir = outputDir.resolve(spec.label());
    this.faketime = faketime;
    this.log = log;
    this.random = new Random(spec.seed());
  }

  Outcome run() throws Exception {
    Files.createDirectories(dir);
    log.accept(
        "round "
            + spec.label()
            + ": coordinator "
            + spec.coordinator().id
            + ", seed "
            + spec.seed()
            + ", "
            + spec.nodes()
            + " nodes"
            + (spec.negativeControl() == null
                ? ""
                : ", NEGATIVE CONTROL " + spec.negativeControl()));
    coordinator = CoordinatorUnderTest.create(spec.coordinator(), spec.label(), dir);
    Ledger ledger = new Ledger();
    HorizonPoller poller = null;
    Load load = null;
    IdMintClient client = null;
    long start = System.currentTimeMillis();
    try {
      coordinator.start();
      baseConfig = coordinator.nodeConfigYaml() + nodeConfig(spec.workerBits(), spec.tickMillis());
      NegativeControl control =
          spec.negativeControl() == null ? null : NegativeControl.of(spec.negativeControl());
      for (int i = 0; i < spec.nodes(); i++) {
        int port = CoordinatorUnderTest.freePort();
        slots.add(
            new NodeProcess(
                i,
                port,
                dir.resolve("node" + i),
                serverJar,
                baseConfig,
                faketime,
                control,
                claims::add));
        clientProxies.add(TcpFaultProxy.start("127.0.0.1", port));
      }
      startSlot(slots.get(0));
      List<Thread> starters = new ArrayList<>();
      for (int i = 1; i < spec.initialNodes(); i++) {
        NodeProcess slot = slots.get(i);
        Thread t = new Thread(() -> startSlot(slot), "chaos-start-" + i);
        t.start();
        starters.add(t);
      }
      for (Thread t : starters) {
        t.join();
      }
      poller = new HorizonPoller(coordinator, Duration.ofMillis(100)).start();
      List<String> endpoints = new ArrayList<>();
      for (TcpFaultProxy proxy : clientProxies) {
        endpoints.add("127.0.0.1:" + proxy.port());
      }
      client =
          IdMintClient.builder()
              .endpoints(endpoints)
              .deadline(Duration.ofSeconds(2))
              .attemptTimeout(Duration.ofMillis(500))
              .healthCheckInterval(Duration.ofMillis(500))
              .build();
      load =
          new Load(slots, client, ledger, spec.seed(), 2, 2, spec.rawCount(), Duration.ofMillis(4))
              .start();
      Thread.sleep(3_000);
      long deadline = start + spec.minDuration().toMillis();
      int pass = 0;
      do {
        List<FaultType> plan = new ArrayList<>(spec.faults());
        if (spec.shuffle()) {
          Collections.shuffle(plan, random);
        }
        for (FaultType type : plan) {
          Thread.sleep(1_000 + random.nextInt(1_500));
          inject(type);
        }
        pass++;
      } while (System.currentTimeMillis() < deadline);
      log.accept("round " + spec.label() + ": " + pass + " pass(es) of the fault plan done");
      Thread.sleep(2_000);
    } finally {
      if (load != null) {
        load.close();
      }
      if (client != null) {
        client.close();
      }
      if (poller != null) {
        poller.close();
      }
      for (NodeProcess slot : slots) {
        slot.stopGracefully();
      }
      for (TcpFaultProxy proxy : clientProxies) {
        proxy.close();
      }
      coordinator.close();
    }
    return new Outcome(
        spec,
        ledger,
        List.copyOf(claims),
        poller.snapshots(),
        List.copyOf(faults),
        List.copyOf(mustRefuse),
        List.copyOf(skipped),
        List.copyOf(problems),
        coordinator.outageMethod(),
        start,
        System.currentTimeMillis());
  }

  static String nodeConfig(int workerBits, long tickMillis) {
    return "node:\n  lease: { ttl: "
        + TTL.toMillis()
        + "ms, renew-interval: "
        + RENEW.toMillis()
        + "ms, horizon-ahead: "
        + HORIZON.toMillis()
        + "ms }\n"
        + "namespaces:\n"
        + "  flake: { strategy: snowflake, snowflake: { worker-bits: "
        + workerBits
        + (tickMillis == 1000 ? ", time-unit: s" : "")
        + " } }\n"
        + "  seg: { strategy: segment, segment: { step: 1000 } }\n"
        + "server: { worker-threads: 1, shutdown-grace: 1s }\n";
  }

  private void startSlot(NodeProcess slot) {
    for (int attempt = 1; attempt <= 6; attempt++) {
      NodeProcess.Start started = slot.start(Duration.ofSeconds(60));
      if (started.listening()) {
        log.accept("  node" + slot.slot + " up: " + started.output());
        return;
      }
      log.accept(
          "  node"
              + slot.slot
              + " did not start (attempt "
              + attempt
              + ", exit "
              + started.exitCode()
              + "): "
              + lastLine(started.output()));
      sleep(1_000);
    }
    problems.add("node" + slot.slot + " could not be started after 6 attempts");
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1];
  }

  private void inject(FaultType type) {
    if (type.needsFaketime && !faketime) {
      skipped.add(type.id());
      return;
    }
    int slotIndex = random.nextInt(spec.initialNodes());
    NodeProcess slot = slots.get(slotIndex);
    long start = System.currentTimeMillis();
    String note = "";
    switch (type) {
      case KILL_RESTART -> {
        slot.kill();
        long downMillis = random.nextInt(5_001);
        sleep(downMillis);
        startSlot(slot);
        note = "down " + downMillis + " ms before the restart";
      }
      case PAUSE_UNDER_TTL -> pause(slot, TTL.dividedBy(2));
      case PAUSE_OVER_TTL -> pause(slot, TTL.plusSeconds(1));
      case PAUSE_3X_TTL -> pause(slot, TTL.multipliedBy(3));
      case CLOCK_BACK_5MS -> clockStep(slot, "-0.005", Duration.ofMillis(5));
      case CLOCK_BACK_2S -> clockStep(slot, "-2", Duration.ofSeconds(2));
      case CLOCK_BACK_1H -> clockStep(slot, "-3600", Duration.ofHours(1));
      case RESTART_CLOCK_BACK_1S -> restartBehind(slot, "-1");
      case RESTART_CLOCK_BACK_10S -> restartBehind(slot, "-10");
      case RESTART_CLOCK_BACK_1H -> restartBehind(slot, "-3600");
      case COORDINATOR_OUTAGE_UNDER_TTL -> {
        slotIndex = -1;
        coordinator.outageBegin();
        sleep(TTL.toMillis() / 4);
        coordinator.outageEnd();
        note = coordinator.outageMethod();
      }
      case COORDINATOR_OUTAGE_OVER_TTL -> {
        slotIndex = -1;
        coordinator.outageBegin();
        sleep(TTL.toMillis() * 2);
        coordinator.outageEnd();
        note = coordinator.outageMethod();
      }
      case CLIENT_PATH_CUT -> {
        TcpFaultProxy proxy = clientProxies.get(slotIndex);
        proxy.cut();
        sleep(5_000);
        proxy.restore();
      }
      case DUPLICATE_STATIC_WORKER -> {
        slotIndex = -1;
        note = duplicateStaticWorker();
      }
      case PAUSE_WHILE_TAKEN_OVER -> note = pauseWhileTakenOver(slot);
      case DB_STOP_IMMEDIATE -> {
        slotIndex = -1;
        coordinator.engineStopImmediate();
        sleep(1_000);
        note = engineBack("pg_ctl stop -m immediate", start);
      }
      case DB_KILL_UNDER_HORIZON -> {
        slotIndex = -1;
        note = killEngine(HORIZON.dividedBy(3), start);
      }
      case DB_KILL_OVER_HORIZON -> {
        slotIndex = -1;
        note = killEngine(HORIZON.multipliedBy(2), start);
      }
      case DB_KILL_OVER_TTL -> {
        slotIndex = -1;
        note = killEngine(TTL.multipliedBy(2), start);
      }
      case DB_RESTORE_BACKUP -> {
        slotIndex = -1;
        note = restoreBackup();
      }
      case ZK_LEADER_KILL -> {
        slotIndex = -1;
        String killed = coordinator.killLeader();
        sleep(2_000);
        coordinator.restartKilledServer();
        note = killed + ", restarted after " + (System.currentTimeMillis() - start) + " ms";
      }
    }
    long lifted = System.currentTimeMillis();
    // A negative control's resumed node is broken on purpose and may never be ready again: the
    // checks need its calls, not its readiness, so the round does not wait the full 20 s for it.
    long settled =
        awaitReady(Duration.ofSeconds(type == FaultType.PAUSE_WHILE_TAKEN_OVER ? 3 : 20));
    faults.add(new Fault(type, slotIndex, start, lifted, settled, note));
    log.accept(
        "  fault "
            + type.id()
            + (slotIndex >= 0 ? " on node" + slotIndex : "")
            + ": "
            + (lifted - start)
            + " ms, all ready "
            + (settled - lifted)
            + " ms later"
            + (note.isEmpty() ? "" : " (" + note + ")"));
  }

  private String killEngine(Duration down, long start) {
    coordinator.engineKill();
    sleep(down.toMillis());
    return engineBack("kill -9, down " + down.toMillis() + " ms", start);
  }

  /** Starts the engine again; says how long it was away in all. */
  private String engineBack(String what, long start) {
    coordinator.engineStart();
    return what + ", back after " + (System.currentTimeMillis() - start) + " ms";
  }

  /**
   * Takes an online backup, lets the nodes renew (and so raise their horizons) for a while, then
   * kills the database and starts it from the backup: every horizon recorded since goes back.
   */
  private String restoreBackup() {
    coordinator.engineBackup();
    long backupAt = System.currentTimeMillis();
    sleep(RENEW.toMillis() * 4);
    long killAt = System.currentTimeMillis();
    coordinator.engineRestoreBackup();
    return "backup taken "
        + (killAt - backupAt)
        + " ms before the kill, restored and back after "
        + (System.currentTimeMillis() - killAt)
        + " ms";
  }

  private void pause(NodeProcess slot, Duration length) {
    long from = System.currentTimeMillis();
    slot.signal("STOP");
    sleep(length.toMillis());
    long to = System.currentTimeMillis();
    slot.signal("CONT");
    mustRefuse.add(new Window("paused", slot.slot, from + 200, to - 50, false, 0));
  }

  private void clockStep(NodeProcess slot, String offset, Duration step) {
    long from = System.currentTimeMillis();
    slot.setClockOffset(offset);
    sleep(3_000);
    long to = System.currentTimeMillis();
    slot.setClockOffset("+0");
    if (step.toMillis() > 5) {
      // The node sees the step within FAKETIME_LAG; from then until its clock has caught up with
      // the latest time it saw (or until the step is undone) it must refuse. The checker ends the
      // window by the node's last snowflake answer before the step, the latest time it surely saw.
      mustRefuse.add(
          new Window(
              "clock " + step.toMillis() + " ms behind",
              slot.slot,
              from + FAKETIME_LAG.toMillis(),
              to,
              true,
              step.toMillis()));
    }
  }

  private void restartBehind(NodeProcess slot, String offset) {
    slot.kill();
    slot.setClockOffset(offset);
    startSlot(slot);
    sleep(4_000);
    slot.setClockOffset("+0");
  }

  /** Another process configured with a worker number that a running node holds must not start. */
  private String duplicateStaticWorker() {
    int worker = freeWorker();
    String config = baseConfig + "  # static worker\n";
    config = config.replace("node:\n", "node:\n  worker: " + worker + "\n");
    NodeProcess first =
        new NodeProcess(
            100,
            CoordinatorUnderTest.freePort(),
            dir.resolve("static-a"),
            serverJar,
            config,
            false,
            null,
            claims::add);
    NodeProcess second =
        new NodeProcess(
            101,
            CoordinatorUnderTest.freePort(),
            dir.resolve("static-b"),
            serverJar,
            config,
            false,
            null,
            claims::add);
    try {
      NodeProcess.Start a = first.start(Duration.ofSeconds(60));
      if (!a.listening()) {
        problems.add(
            "static worker " + worker + ": the first node did not start: " + lastLine(a.output()));
        return "first node did not start";
      }
      NodeProcess.Start b = second.start(Duration.ofSeconds(60));
      if (b.listening()) {
        problems.add(
            "static worker " + worker + ": a second node with the same number STARTED: " + b);
        return "second node started (BUG)";
      }
      String message = lastLine(b.output());
      if (b.exitCode() == null || b.exitCode() != 1 || !message.contains("already claimed")) {
        problems.add(
            "static worker "
                + worker
                + ": the second node should exit 1 with 'already claimed', got exit "
                + b.exitCode()
                + ": "
                + message);
      }
      return "second node refused: exit " + b.exitCode() + ", \"" + message + "\"";
    } finally {
      second.kill();
      first.stopGracefully();
    }
  }

  /**
   * A worker number no running node holds: one never claimed if there is one, else the one whose
   * latest claim is oldest (its holder long gone), so that the first static node can start.
   */
  private int freeWorker() {
    java.util.Set<Integer> running = new java.util.HashSet<>();
    for (NodeProcess slot : slots) {
      running.add(slot.incarnation());
    }
    java.util.Map<Integer, NodeProcess.Claim> latest = new java.util.HashMap<>();
    for (NodeProcess.Claim claim : claims) {
      latest.merge(claim.worker(), claim, (a, b) -> a.fencingToken() >= b.fencingToken() ? a : b);
    }
    int best = -1;
    long bestSeen = Long.MAX_VALUE;
    for (int worker = (1 << spec.workerBits()) - 1; worker >= 0; worker--) {
      NodeProcess.Claim last = latest.get(worker);
      if (last == null) {
        return worker;
      }
      if (!running.contains(last.incarnation()) && last.seenMillis() < bestSeen) {
        best = worker;
        bestSeen = last.seenMillis();
      }
    }
    return best < 0 ? (1 << spec.workerBits()) - 1 : best;
  }

  /**
   * Negative control: pauses the node, lets its lease expire, starts the spare slot (which claims
   * the freed worker), then resumes the paused node.
   */
  private String pauseWhileTakenOver(NodeProcess slot) {
    NodeProcess spare = slots.get(spec.nodes() - 1);
    long from = System.currentTimeMillis();
    slot.signal("STOP");
    sleep(TTL.toMillis() + 1_500);
    startSlot(spare);
    long rest = TTL.toMillis() * 3 - (System.currentTimeMillis() - from);
    sleep(Math.max(0, rest));
    long to = System.currentTimeMillis();
    slot.signal("CONT");
    mustRefuse.add(new Window("paused", slot.slot, from + 200, to - 50, false, 0));
    return "node" + spare.slot + " started while node" + slot.slot + " was paused";
  }

  /** Waits until every running node says it is ready; returns when that was (or the timeout). */
  private long awaitReady(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (NodeProcess slot : slots) {
        if (slot.incarnation() >= 0 && !ready(slot)) {
          all = false;
          break;
        }
      }
      if (all) {
        return System.currentTimeMillis();
      }
      sleep(100);
    }
    return System.currentTimeMillis();
  }

  private boolean ready(NodeProcess slot) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slot.port + "/health/ready"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
