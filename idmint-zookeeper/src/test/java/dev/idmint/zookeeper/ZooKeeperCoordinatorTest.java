package dev.idmint.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.ClaimRequest;
import dev.idmint.core.lease.LeaseGrant;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.lease.WorkerTakenException;
import dev.idmint.core.segment.Segment;
import dev.idmint.testkit.TcpFaultProxy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Opening, configuration errors, and what this engine adds to the contract tests. */
class ZooKeeperCoordinatorTest {
  private final String chroot = TestZooKeeper.freshChroot("coordinator");
  private final TestZooKeeper.Opened opened = new TestZooKeeper.Opened();

  @AfterEach
  void closeClients() {
    opened.close();
  }

  private static ClaimRequest exactly(String owner, int worker, Duration ttl, long reserveUntil) {
    return new ClaimRequest(owner, OptionalInt.of(worker), 1023, ttl, reserveUntil);
  }

  private CuratorFramework rawClient() {
    CuratorFramework raw =
        CuratorFrameworkFactory.newClient(
            TestZooKeeper.hostPort(), 30_000, 5_000, new RetryNTimes(3, 100));
    raw.start();
    return raw;
  }

  @Test
  void opensThroughTheServiceLoaderAndClosesIdempotently() {
    Coordinator coordinator =
        Coordinators.open("zookeeper://" + TestZooKeeper.hostPort() + chroot, Map.of());
    try {
      assertThat(coordinator.description())
          .isEqualTo("ZooKeeper at " + TestZooKeeper.hostPort() + " under " + chroot);
      LeaseGrant grant =
          coordinator.workerLeases().claim(exactly("node", 1, Duration.ofSeconds(10), 5));
      assertThat(grant.worker()).isEqualTo(1);
      assertThat(coordinator.segments().allocate("order", 10)).isEqualTo(new Segment(1, 11));
    } finally {
      coordinator.close();
      coordinator.close();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "zookeeper://                 | no host",
        "zookeeper:///idmint          | no host",
        "zookeeper://zk1:2181,/x      | '' is not host:port",
        "zookeeper://zk1:99999/x      | port must be in [1, 65535]: port=99999",
        "zookeeper://zk1:abc          | 'zk1:abc' is not host:port",
        "zookeeper://zk1:2181/a//b    | chroot '/a//b' is not a node path",
        "zookeeper://zk1:2181/zookeeper | chroot '/zookeeper' is not a node path",
        "zookeeper://zk1:2181/idmint?x=1 | query parameters",
        "zk://zk1:2181                | it does not start with zookeeper://",
      })
  void aMalformedUrlIsRefusedNamingWhatIsWrong(String url, String problem) {
    assertThatThrownBy(() -> ZooKeeperCoordinator.builder(url).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageStartingWith(
            "invalid ZooKeeper coordinator configuration: malformed ZooKeeper URL")
        .hasMessageContaining(problem)
        .hasMessageContaining("expected zookeeper://host:port[,host:port][/chroot]");
  }

  @Test
  void aPasswordInTheUrlIsNeverEchoed() {
    assertThatThrownBy(() -> ZooKeeperCoordinator.builder("zookeeper://u:s3cret@zk1/x").build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("pass user, password and timeouts as coordinator options")
        .message()
        .doesNotContain("s3cret");
  }

  @Test
  void theUrlDefaultsToPort2181AndChrootIdmint() {
    assertThat(ZooKeeperUrl.parse("zookeeper://zk1,zk2:2182,[::1]:2183"))
        .isEqualTo(new ZooKeeperUrl("zk1:2181,zk2:2182,[::1]:2183", "/idmint"));
    assertThat(ZooKeeperUrl.parse("zookeeper://zk1:2181/apps/idmint/"))
        .isEqualTo(new ZooKeeperUrl("zk1:2181", "/apps/idmint"));
  }

  @Test
  void everyOptionProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                ZooKeeperCoordinator.builder("zookeeper://zk1:2181")
                    .options(
                        Map.of(
                            "sesion-timeout-ms", "1000",
                            "operation-timeout-ms", "5s",
                            "connect-timeout-ms", "0",
                            "user", "idmint"))
                    .build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(
            "unknown option 'sesion-timeout-ms'; known: session-timeout, connect-timeout,"
                + " operation-timeout, user, password")
        .hasMessageContaining(
            "operation-timeout-ms must be a whole number of milliseconds: operation-timeout-ms=5s")
        .hasMessageContaining(
            "connect-timeout-ms must be in [1, 2147483647] ms: connect-timeout-ms=0")
        .hasMessageContaining("user and password must be given together");
  }

  @Test
  void timeoutsAreDurationsInTheOneGrammar() {
    assertThatThrownBy(
            () ->
                ZooKeeperCoordinator.builder("zookeeper://zk1:2181")
                    .options(
                        Map.of(
                            "session-timeout", "soon",
                            "operation-timeout", "0ms",
                            "connect-timeout", "2s",
                            "connect-timeout-ms", "2000"))
                    .build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(
            "session-timeout must be a duration such as 2s, 500ms or PT2S: session-timeout=soon")
        .hasMessageContaining(
            "operation-timeout must be in [1, 2147483647] ms: operation-timeout=0")
        .hasMessageContaining(
            "option connect-timeout is given twice, as connect-timeout and as"
                + " connect-timeout-ms; keep connect-timeout");
    ZooKeeperSettings settings =
        ZooKeeperCoordinator.builder("zookeeper://zk1:2181")
            .options(
                Map.of(
                    "session-timeout", "1m",
                    "operation-timeout", "500ms",
                    "connect-timeout-ms", "1500"))
            .build()
            .settings();
    assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.operationTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.connectTimeout())
        .as("deprecated -ms twin")
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void anUnreachableEnsembleFailsWithinTheConnectTimeoutNamingTheAddress() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                Coordinators.open(
                    "zookeeper://127.0.0.1:" + closedPort + "/idmint",
                    Map.of("connect-timeout-ms", "1000")))
        .isInstanceOf(CoordinatorException.class)
        .hasMessage(
            "cannot reach ZooKeeper at 127.0.0.1:"
                + closedPort
                + " within 1000 ms; check --coordinator"
                + " (zookeeper://host:port[,host:port][/chroot]) and that the ensemble is running"
                + " and reachable from this host");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void callsBeforeStartAreRefused() {
    ZooKeeperCoordinator notStarted =
        ZooKeeperCoordinator.builder("zookeeper://" + TestZooKeeper.hostPort() + chroot).build();
    assertThatThrownBy(
            () -> notStarted.workerLeases().claim(exactly("node", 1, Duration.ofSeconds(5), 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ZooKeeper coordinator not started: call start() first");
    notStarted.close();
    assertThatThrownBy(notStarted::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ZooKeeper coordinator already closed");
  }

  @Test
  void theGrantedTtlNeverOutlivesTheSession() {
    ZooKeeperCoordinator coordinator =
        opened.open(
            ZooKeeperCoordinator.builder("zookeeper://" + TestZooKeeper.hostPort() + chroot)
                .sessionTimeout(Duration.ofSeconds(6)));
    LeaseGrant grant =
        coordinator.workerLeases().claim(exactly("node", 2, Duration.ofMinutes(10), 0));
    assertThat(grant.ttlMillis()).isEqualTo(6_000);
    LeaseGrant renewed = coordinator.workerLeases().renew(grant, 600_000, 0);
    assertThat(renewed.ttlMillis()).isEqualTo(6_000);
  }

  @Test
  void theStateIsReadableByOperatorsAndTheTokenIsTheClaimsCzxid() throws Exception {
    ZooKeeperCoordinator coordinator = opened.open(TestZooKeeper.hostPort(), chroot);
    long before = System.currentTimeMillis();
    LeaseGrant grant =
        coordinator.workerLeases().claim(exactly("node-a", 7, Duration.ofSeconds(20), 5_000));
    coordinator.segments().allocate("order", 100);
    try (CuratorFramework raw = rawClient()) {
      Stat stat = new Stat();
      String claim =
          new String(
              raw.getData().storingStatIn(stat).forPath(chroot + "/workers/claims/7"),
              StandardCharsets.UTF_8);
      assertThat(claim).startsWith("ttl-ms=20000\nclaim=").endsWith("\nowner=node-a");
      assertThat(stat.getEphemeralOwner()).isNotZero();
      assertThat(grant.fencingToken()).isEqualTo(stat.getCzxid());
      assertThat(grant.coordinatorTimeMillis()).isEqualTo(stat.getMtime());
      assertThat(grant.coordinatorTimeMillis()).isBetween(before - 1_000, before + 5_000);
      assertThat(raw.getData().forPath(chroot + "/workers/horizons/7"))
          .asString(StandardCharsets.US_ASCII)
          .isEqualTo("5000");
      assertThat(raw.getData().forPath(chroot + "/segments/order"))
          .asString(StandardCharsets.US_ASCII)
          .isEqualTo("101");
    }
    coordinator.close();
    try (CuratorFramework raw = rawClient()) {
      assertThat(raw.checkExists().forPath(chroot + "/workers/claims/7"))
          .as("closing the session removes its claims at once")
          .isNull();
      assertThat(raw.checkExists().forPath(chroot + "/workers/horizons/7")).isNotNull();
    }
  }

  @Test
  void aSuspendedConnectionSignalsAPossibleLossAtOnce() throws Exception {
    try (TcpFaultProxy proxy =
        TcpFaultProxy.start("127.0.0.1", TestZooKeeper.address().getPort())) {
      WorkerLeaseStore store =
          opened.open(proxy.host() + ":" + proxy.port(), chroot).workerLeases();
      store.claim(exactly("node", 3, Duration.ofSeconds(20), 0));
      CountDownLatch signalled = new CountDownLatch(1);
      store.onPossibleLoss(signalled::countDown);
      proxy.cut();
      assertThat(signalled.await(2, TimeUnit.SECONDS))
          .as("SUSPENDED is signalled without waiting for a timeout")
          .isTrue();
    }
  }

  @Test
  void aClaimWhoseOutcomeWasUnknownIsRecoveredByTheSameStore() throws Exception {
    try (HoldingProxy proxy = new HoldingProxy(TestZooKeeper.address(), "owner=delayed-node");
        CuratorFramework raw = rawClient()) {
      WorkerLeaseStore store =
          opened
              .open(
                  ZooKeeperCoordinator.builder("zookeeper://" + proxy.hostPort() + chroot)
                      .operationTimeout(Duration.ofMillis(800)))
              .workerLeases();
      assertThatThrownBy(() -> store.claim(exactly("delayed-node", 4, Duration.ofMinutes(5), 0)))
          .isInstanceOf(CoordinatorException.class)
          .hasMessage(
              "ZooKeeper at "
                  + proxy.hostPort()
                  + " did not answer within 800 ms (operation-timeout) to claim worker 4;"
                  + " its outcome is unknown");
      assertThat(proxy.hasHeld()).isTrue();
      proxy.release(); // the held claim now reaches ZooKeeper: it is made, but never handed out
      String claimPath = chroot + "/workers/claims/4";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Stat orphan = raw.checkExists().forPath(claimPath);
      while (orphan == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
        orphan = raw.checkExists().forPath(claimPath);
      }
      assertThat(orphan).as("the claim whose answer was lost was made").isNotNull();
      assertThatThrownBy(
              () ->
                  opened
                      .open(TestZooKeeper.hostPort(), chroot)
                      .workerLeases()
                      .claim(exactly("other-node", 4, Duration.ofMinutes(5), 0)))
          .as("to every other client it is a live claim")
          .isInstanceOf(WorkerTakenException.class);

      LeaseGrant grant = store.claim(exactly("delayed-node", 4, Duration.ofMinutes(5), 0));

      assertThat(grant.fencingToken())
          .as("a new claim replaced the one never handed out")
          .isNotEqualTo(orphan.getCzxid())
          .isEqualTo(raw.checkExists().forPath(claimPath).getCzxid());
    }
  }

  @Test
  void digestCredentialsProtectTheNodesFromOtherClients() throws Exception {
    String secured = chroot + "-secured";
    ZooKeeperCoordinator owner =
        opened.open(
            ZooKeeperCoordinator.builder("zookeeper://" + TestZooKeeper.hostPort() + secured)
                .options(Map.of("user", "idmint", "password", "s3cret")));
    owner.workerLeases().claim(exactly("node", 5, Duration.ofSeconds(30), 0));
    assertThat(owner.segments().allocate("order", 5)).isEqualTo(new Segment(1, 6));

    for (Map<String, String> options :
        List.of(Map.<String, String>of(), Map.of("user", "idmint", "password", "wrong"))) {
      assertThatThrownBy(
              () ->
                  opened.open(
                      ZooKeeperCoordinator.builder(
                              "zookeeper://" + TestZooKeeper.hostPort() + secured)
                          .options(options)))
          .isInstanceOf(CoordinatorException.class)
          .hasMessageContaining("ZooKeeper refused to create " + secured + "/workers (NOAUTH)")
          .hasMessageContaining("check the user and password options");
    }
    try (CuratorFramework raw = rawClient()) {
      assertThatThrownBy(() -> raw.getData().forPath(secured + "/workers/horizons/5"))
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
  }
}
