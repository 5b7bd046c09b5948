package dev.idmint.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idmint.core.ManualClock;
import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each action of the pure reconciliation, from (local, registry entry, running). */
class ReconciliationTest {
  static final ManualClock CLOCK =
      new ManualClock(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
  static final Reconciliation.Limits NO_LEASE =
      new Reconciliation.Limits(Duration.ofMillis(1500), -1);
  static final String KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
  @TempDir Path dir;

  /** The configuration of {@code name} as a node's file would give it. */
  private NamespaceConfig config(String name, String block) {
    try {
      Path file = Files.createTempFile(dir, "ns", ".yaml");
      Files.writeString(file, "namespaces:\n  " + name + ": " + block + "\n");
      ServerConfig config =
          ConfigLoader.load(new ConfigLoader.Flags(null, dir, null, file), Map.of(), CLOCK);
      return config.namespaces().get(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NamespaceEntry entry(NamespaceConfig config, long revision) {
    return new NamespaceEntry(config.name(), Definition.text(config.definition()), revision, false);
  }

  private static Reconciliation.Action decide(
      NamespaceConfig local, NamespaceEntry entry, NamespaceConfig running) {
    return Reconciliation.decide(local, entry, running, NO_LEASE, CLOCK);
  }

  @Test
  void aNamespaceNothingRunsForIsServedAsTheRegistryDefinesIt() {
    NamespaceConfig registry = config("order", "{ snowflake: { max-borrow: 200ms } }");
    Reconciliation.Action action = decide(null, entry(registry, 1), null);
    assertThat(action).isInstanceOf(Reconciliation.Serve.class);
    NamespaceConfig served = ((Reconciliation.Serve) action).config();
    assertThat(served.definition()).isEqualTo(registry.definition());
    assertThat(served.maxBorrow()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aSafeChangeRetunesWhatRuns() {
    NamespaceConfig running = config("order", "{ snowflake: { max-borrow: 1s } }");
    NamespaceConfig changed = config("order", "{ snowflake: { max-borrow: 300ms } }");
    Reconciliation.Action action = decide(running, entry(changed, 2), running);
    assertThat(action).isInstanceOf(Reconciliation.Retune.class);
    assertThat(((Reconciliation.Retune) action).config().maxBorrow())
        .isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void anUnsafeChangeOrNewSegmentSizingReplacesWhatRuns() {
    NamespaceConfig running = config("order", "{ snowflake: { worker-bits: 10 } }");
    NamespaceConfig narrower =
        config("order", "{ snowflake: { worker-bits: 8, sequence-bits: 14 } }");
    assertThat(decide(null, entry(narrower, 2), running))
        .isInstanceOf(Reconciliation.Replace.class);

    NamespaceConfig segment = config("invoice", "{ strategy: segment, segment: { step: 100 } }");
    NamespaceConfig bigger = config("invoice", "{ strategy: segment, segment: { step: 700 } }");
    assertThat(decide(null, entry(bigger, 2), segment)).isInstanceOf(Reconciliation.Replace.class);
    assertThat(decide(null, entry(segment, 2), segment)).isInstanceOf(Reconciliation.Retune.class);
  }

  @Test
  void aLocalDefinitionThatDiffersInAnUnsafeFieldIsRefusedNamingIt() {
    NamespaceConfig local = config("order", "{}");
    NamespaceConfig registry =
        config("order", "{ snowflake: { worker-bits: 8, sequence-bits: 14 } }");
    assertThat(decide(local, entry(registry, 3), null))
        .isEqualTo(
            new Reconciliation.Refuse(
                "namespace order: local layout 41/10/12 differs from the registry's 41/8/14"
                    + " (revision 3); this node does not serve it"));
  }

  @Test
  void whatCannotRunOnThisNodeIsRefusedWithTheReason() {
    NamespaceEntry unreadable = new NamespaceEntry("order", "{not json", 1, false);
    assertThat(decide(null, unreadable, null))
        .isInstanceOfSatisfying(
            Reconciliation.Refuse.class,
            r -> assertThat(r.reason()).contains("revision 1) is unreadable"));

    NamespaceConfig keyed =
        config(
            "order",
            "{ public-id: { prefix: ord, current: 1, keys: { \"1\": \"" + KEY + "\" } } }");
    assertThat(decide(null, entry(keyed, 1), null))
        .isInstanceOfSatisfying(
            Reconciliation.Refuse.class,
            r ->
                assertThat(r.reason())
                    .contains("publicId needs keys, and this node has none for namespace order"));

    NamespaceEntry greedy =
        new NamespaceEntry(
            "order",
            "{\"strategy\":\"snowflake\",\"snowflake\":{\"maxBorrowMillis\":2000}}",
            1,
            false);
    assertThat(decide(null, greedy, null))
        .isInstanceOfSatisfying(
            Reconciliation.Refuse.class,
            r ->
                assertThat(r.reason())
                    .contains(
                        "maxBorrowMillis 2000 ms exceeds node.lease.horizon-ahead -"
                            + " renew-interval = "));

    NamespaceConfig narrow =
        config("order", "{ snowflake: { worker-bits: 2, sequence-bits: 20 } }");
    assertThat(
            Reconciliation.decide(
                null,
                entry(narrow, 1),
                null,
                new Reconciliation.Limits(Duration.ofMillis(1500), 1023),
                CLOCK))
        .isInstanceOfSatisfying(
            Reconciliation.Refuse.class,
            r -> assertThat(r.reason()).contains("its 2 worker bits cannot hold"));
  }
}
