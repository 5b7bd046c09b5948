package dev.idmint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.core.registry.NamespaceExistsException;
import dev.idmint.core.registry.NodeEntry;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.registry.RevisionConflictException;
import dev.idmint.core.registry.UnknownNamespaceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Registry} must do, run against its real engine. A store module extends this
 * class once per engine; {@link #newRegistry()} may be called several times per test and every call
 * must return a new client of the same coordinator. Names are fresh per test, so the engine need
 * not be emptied between tests.
 */
public abstract class RegistryContract {

  /** A new client of the coordinator under test. */
  protected abstract Registry newRegistry();

  /** A namespace name no earlier test used. */
  protected String freshName() {
    return "reg-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aCreatedDefinitionIsReadBackAtRevisionOneFromAnotherClient() {
    String name = freshName();
    NamespaceEntry created = newRegistry().create(name, "{\"a\":1}");
    assertThat(created).isEqualTo(new NamespaceEntry(name, "{\"a\":1}", 1, false));
    assertThat(newRegistry().namespace(name)).contains(created);
    assertThat(newRegistry().namespaces()).contains(created);
    assertThat(newRegistry().namespace(freshName())).isEmpty();
  }

  @Test
  void definitionsKeepTextExactlyIncludingUnicodeAndNewlines() {
    String name = freshName();
    String text = "{\"prefix\":\"ünï_\",\n\"x\":\"a|b=c\"}";
    newRegistry().create(name, text);
    assertThat(newRegistry().namespace(name).orElseThrow().definition()).isEqualTo(text);
  }

  @Test
  void aSecondCreateIsRefusedAndCarriesTheExistingEntry() {
    Registry registry = newRegistry();
    String name = freshName();
    registry.create(name, "first");
    assertThatThrownBy(() -> newRegistry().create(name, "second"))
        .isInstanceOfSatisfying(
            NamespaceExistsException.class,
            e -> assertThat(e.existing().definition()).isEqualTo("first"));
    assertThat(registry.namespace(name).orElseThrow().definition()).isEqualTo("first");
  }

  @Test
  void ofConcurrentCreatesExactlyOneWinsAndTheOthersSeeItsDefinition() throws Exception {
    String name = freshName();
    int clients = 6;
    List<Registry> registries = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      registries.add(newRegistry());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Registry registry = registries.get(i);
        String definition = "def-" + i;
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    return "won:" + registry.create(name, definition).definition();
                  } catch (NamespaceExistsException e) {
                    return "saw:" + e.existing().definition();
                  }
                }));
      }
      go.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get());
      }
      List<String> winners = results.stream().filter(r -> r.startsWith("won:")).toList();
      assertThat(winners).hasSize(1);
      String winning = winners.get(0).substring(4);
      assertThat(results).allMatch(r -> r.substring(4).equals(winning));
      assertThat(newRegistry().namespace(name).orElseThrow().definition()).isEqualTo(winning);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void updatesAreCompareAndSetOnTheRevision() {
    Registry registry = newRegistry();
    String name = freshName();
    registry.create(name, "v1");
    NamespaceEntry second = registry.update(name, 1, "v2");
    assertThat(second.revision()).isEqualTo(2);
    assertThat(second.definition()).isEqualTo("v2");
    assertThatThrownBy(() -> newRegistry().update(name, 1, "stale"))
        .isInstanceOfSatisfying(
            RevisionConflictException.class, e -> assertThat(e.current().revision()).isEqualTo(2));
    assertThat(registry.namespace(name).orElseThrow().definition()).isEqualTo("v2");
  }

  @Test
  void ofConcurrentUpdatesAgainstOneRevisionExactlyOneWins() throws Exception {
    String name = freshName();
    newRegistry().create(name, "v1");
    int clients = 5;
    List<Registry> registries = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      registries.add(newRegistry());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Registry registry = registries.get(i);
        String definition = "u" + i;
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    registry.update(name, 1, definition);
                    return true;
                  } catch (RevisionConflictException e) {
                    return false;
                  }
                }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> outcome : outcomes) {
        won += outcome.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
      assertThat(newRegistry().namespace(name).orElseThrow().revision()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void updatingAnUnknownNamespaceSaysSo() {
    String name = freshName();
    assertThatThrownBy(() -> newRegistry().update(name, 1, "x"))
        .isInstanceOf(UnknownNamespaceException.class)
        .hasMessageContaining(name);
    assertThatThrownBy(() -> newRegistry().markIssued(name))
        .isInstanceOf(UnknownNamespaceException.class);
  }

  @Test
  void markingIssuedBumpsTheRevisionOnceSoAnUpdateReadBeforeItLoses() {
    Registry registry = newRegistry();
    String name = freshName();
    registry.create(name, "v1");
    NamespaceEntry issued = newRegistry().markIssued(name);
    assertThat(issued.issued()).isTrue();
    assertThat(issued.revision()).isEqualTo(2);
    assertThat(newRegistry().markIssued(name).revision()).isEqualTo(2);
    assertThatThrownBy(() -> registry.update(name, 1, "unsafe"))
        .isInstanceOf(RevisionConflictException.class);
    NamespaceEntry updated = registry.update(name, 2, "v2");
    assertThat(updated.issued()).isTrue();
    assertThat(updated.revision()).isEqualTo(3);
  }

  @Test
  void heartbeatsRegisterNodesThatEveryClientLists() {
    // Node ids are host:pid:suffix; any character a host name may hold must survive.
    String node = "host.example:4711/" + UUID.randomUUID();
    assertThat(newRegistry().heartbeat(node, "info-1", Duration.ofSeconds(30))).isFalse();
    NodeEntry entry = find(newRegistry(), node).orElseThrow();
    assertThat(entry.info()).isEqualTo("info-1");
    assertThat(entry.expired()).isFalse();
    // Two readings of the coordinator's clock may lie a few milliseconds apart.
    assertThat(entry.expiresAtMillis() - entry.lastHeartbeatMillis()).isBetween(29_000L, 30_100L);
    assertThat(entry.drainRequested()).isFalse();
    newRegistry().heartbeat(node, "info-2", Duration.ofSeconds(30));
    assertThat(find(newRegistry(), node).orElseThrow().info()).isEqualTo("info-2");
  }

  @Test
  void aNodeThatStopsHeartbeatingExpiresByTheCoordinatorsClock() {
    String node = "node-" + UUID.randomUUID();
    Registry registry = newRegistry();
    registry.heartbeat(node, "x", Duration.ofMillis(700));
    assertThat(find(registry, node).orElseThrow().expired()).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> find(newRegistry(), node).map(NodeEntry::expired).orElse(false));
    registry.heartbeat(node, "back", Duration.ofSeconds(30));
    assertThat(find(registry, node).orElseThrow().expired()).isFalse();
  }

  @Test
  void aDrainRequestReachesTheNodeWithItsNextHeartbeatAndSurvivesLaterOnes() {
    String node = "node-" + UUID.randomUUID();
    Registry registry = newRegistry();
    registry.heartbeat(node, "x", Duration.ofSeconds(30));
    assertThat(newRegistry().requestDrain(node)).isTrue();
    assertThat(registry.heartbeat(node, "y", Duration.ofSeconds(30))).isTrue();
    assertThat(registry.heartbeat(node, "z", Duration.ofSeconds(30))).isTrue();
    assertThat(find(registry, node).orElseThrow().drainRequested()).isTrue();
    assertThat(newRegistry().requestDrain("node-" + UUID.randomUUID())).isFalse();
  }

  @Test
  void deregisteredNodesAreGoneAndDeregisteringTwiceIsHarmless() {
    String node = "node-" + UUID.randomUUID();
    Registry registry = newRegistry();
    registry.heartbeat(node, "x", Duration.ofSeconds(30));
    registry.deregister(node);
    registry.deregister(node);
    assertThat(find(newRegistry(), node)).isEmpty();
  }

  private static Optional<NodeEntry> find(Registry registry, String nodeId) {
    return registry.nodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
  }
}
