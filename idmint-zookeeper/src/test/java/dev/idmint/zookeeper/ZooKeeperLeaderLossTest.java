package dev.idmint.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.Clock;
import dev.idmint.core.IdMintException;
import dev.idmint.core.lease.LeaseConfig;
import dev.idmint.core.lease.LeaseManager;
import dev.idmint.core.lease.WorkerLease;
import dev.idmint.core.lease.WorkerTakenException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/**
 * A three-server ensemble loses its leader while a node holds a worker and a second node,
 * configured with the same worker number, keeps trying to claim it.
 */
class ZooKeeperLeaderLossTest {
  private static final int WORKER = 9;

  @Test
  void theHolderKeepsItsWorkerThroughALeaderElectionAndThereAreNeverTwoHolders() throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      specs.add(
          new InstanceSpec(
              null, -1, -1, -1, true, id, 500, -1, Map.of("maxSessionTimeout", "60000")));
    }
    String hosts =
        specs.stream().map(s -> "127.0.0.1:" + s.getPort()).collect(Collectors.joining(","));
    try (TestingCluster cluster = new TestingCluster(specs);
        TestZooKeeper.Opened opened = new TestZooKeeper.Opened()) {
      cluster.start();
      ZooKeeperCoordinator.Builder builder =
          ZooKeeperCoordinator.builder("zookeeper://" + hosts + "/leader-loss")
              .connectTimeout(Duration.ofSeconds(30));
      LeaseManager holder =
          new LeaseManager(opened.open(builder).workerLeases(), config("holder"), Clock.system());
      LeaseManager rival =
          new LeaseManager(opened.open(builder).workerLeases(), config("rival"), Clock.system());
      holder.start();
      WorkerLease before = holder.current();
      assertThat(before.worker()).isEqualTo(WORKER);
      assertThatThrownBy(rival::start).isInstanceOf(WorkerTakenException.class);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean overlap = new AtomicBoolean();
      AtomicBoolean holderFenced = new AtomicBoolean();
      AtomicLong rivalClaims = new AtomicLong();
      Thread watcher =
          new Thread(
              () -> {
                while (!stop.get()) {
                  boolean holderValid = holder.isValid();
                  if (holderValid && rival.isValid()) {
                    overlap.set(true);
                  }
                  if (!holderValid) {
                    holderFenced.set(true);
                  }
                  Thread.onSpinWait();
                }
              },
              "overlap-watcher");
      Thread claimant =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    rival.renewNow();
                    rivalClaims.incrementAndGet();
                  } catch (IdMintException expected) {
                    // taken, or the ensemble is electing a leader
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "rival-claimant");
      watcher.start();
      claimant.start();
      try {
        InstanceSpec leader = leader(specs);
        long killedAt = System.nanoTime();
        cluster.killServer(leader);

        long validity = holder.config().localValidityNanos(holder.config().ttl().toMillis());
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
        WorkerLease after = holder.current();
        while (after == null || after.validUntilNanos() - validity < killedAt) {
          assertThat(System.nanoTime())
              .as("the holder renewed within 30 s of the leader's loss")
              .isLessThan(deadline);
          Thread.sleep(20);
          after = holder.current();
        }
        assertThat(after.worker()).isEqualTo(WORKER);
        assertThat(after.fencingToken())
            .as("kept its claim: sessions and ephemeral nodes survive a leader election")
            .isEqualTo(before.fencingToken());
      } finally {
        stop.set(true);
        watcher.join();
        claimant.interrupt();
        claimant.join();
      }
      assertThat(overlap).as("both nodes could issue with worker " + WORKER).isFalse();
      assertThat(rivalClaims).as("the rival never claimed the held worker").hasValue(0);
      assertThat(holderFenced)
          .as("the holder stopped issuing while its connection was suspended")
          .isTrue();
      rival.close();
      holder.close();
    }
  }

  private static LeaseConfig config(String owner) {
    return LeaseConfig.builder(owner)
        .staticWorker(WORKER)
        .ttl(Duration.ofSeconds(10))
        .renewInterval(Duration.ofMillis(250))
        .horizonAhead(Duration.ofSeconds(2))
        .safetyMargin(Duration.ofMillis(200))
        .build();
  }

  /** The server that answers {@code srvr} with {@code Mode: leader}. */
  private static InstanceSpec leader(List<InstanceSpec> specs) throws IOException {
    for (InstanceSpec spec : specs) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", spec.getPort()), 2_000);
        socket.setSoTimeout(2_000);
        OutputStream out = socket.getOutputStream();
        out.write("srvr".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.equals("Mode: leader")) {
            return spec;
          }
        }
      }
    }
    throw new AssertionError("no server of the ensemble is leading");
  }
}
