package dev.idmint.server.node;

import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.NamespaceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a node does with one registry entry, decided from (this node's local definition, the
 * registry's entry, what this node runs now) alone: serve it, retune what runs, replace what runs,
 * or refuse it with a reason. A pure function: no I/O, no state; the node carries the action out.
 *
 * <p>The rules (DESIGN.md rule 7): the registry's definition is the one served; a local definition
 * that differs from it in an unsafe field ({@link NamespaceDefinition#unsafeChangesTo}) makes this
 * node refuse the namespace; a running generator is kept and retuned when only safe settings
 * changed, and replaced when an unsafe field changed (which the registry accepts only while the
 * namespace never issued) or a segment's sizing changed (ranges come from one counter in the
 * coordinator, so a new generator never repeats an ID of the old one).
 */
final class Reconciliation {
  private Reconciliation() {}

  /** What to do. */
  sealed interface Action {}

  /** Nothing runs for the namespace: start a generator for {@code config}. */
  record Serve(NamespaceConfig config) implements Action {}

  /** Keep the running generator and give it {@code config}'s safe settings. */
  record Retune(NamespaceConfig config) implements Action {}

  /** Start a generator for {@code config} and close the running one. */
  record Replace(NamespaceConfig config) implements Action {}

  /** Do not serve the namespace (stop what runs), for this reason. */
  record Refuse(String reason) implements Action {}

  /**
   * What this node can run, whatever the namespace.
   *
   * @param borrowRoom the node's horizon-ahead minus renew-interval: the most a snowflake namespace
   *     may borrow
   * @param leasedMaxWorker the largest worker number of the lease held, or -1 without a lease
   */
  record Limits(Duration borrowRoom, int leasedMaxWorker) {}

  /**
   * @param local this node's configuration of the namespace, or null when its file does not name it
   * @param entry the registry's entry
   * @param running what this node runs for the namespace now, or null
   * @param clock judges a snowflake layout's remaining lifetime
   */
  static Action decide(
      NamespaceConfig local,
      NamespaceEntry entry,
      NamespaceConfig running,
      Limits limits,
      Clock clock) {
    String name = entry.name();
    NamespaceDefinition definition;
    try {
      Definition.parse(name, entry.definition());
    } catch (InvalidConfigurationException e) {
      return new Refuse(
          "namespace "
              + name
              + ": the registry's definition (revision "
              + entry.revision()
              + ") is unreadable: "
              + e.getMessage());
    }
    try {
      definition = Definition.read(name, entry.definition());
    } catch (InvalidConfigurationException e) {
      return cannotRun(entry, e.problems());
    }
    if (local != null) {
      List<NamespaceDefinition.Difference> differences =
          local.definition().unsafeChangesTo(definition);
      if (!differences.isEmpty()) {
        return new Refuse(
            "namespace "
                + name
                + ": "
                + differences.stream()
                    .map(
                        d ->
                            "local "
                                + d.field()
                                + " "
                                + d.from()
                                + " differs from the registry's "
                                + d.to())
                    .collect(Collectors.joining("; "))
                + " (revision "
                + entry.revision()
                + "); this node does not serve it");
      }
    }
    NamespaceConfig.Local settings = local == null ? NamespaceConfig.Local.NONE : local.local();
    if (definition.publicId() != null && settings.publicIdKeys().isEmpty()) {
      return cannotRun(
          entry,
          List.of(
              "publicId needs keys, and this node has none for namespace "
                  + name
                  + " (namespaces."
                  + name
                  + ".public-id.keys in its configuration)"));
    }
    NamespaceConfig planned;
    try {
      planned = NamespaceConfig.of(definition, settings, clock);
    } catch (InvalidConfigurationException e) {
      return cannotRun(entry, e.problems());
    }
    String problem = runProblem(planned, limits);
    if (problem != null) {
      return new Refuse(
          "namespace "
              + name
              + " (revision "
              + entry.revision()
              + "): "
              + problem
              + "; this node does not serve it");
    }
    if (running == null) {
      return new Serve(planned);
    }
    if (!running.definition().unsafeChangesTo(planned.definition()).isEmpty()
        || !Objects.equals(running.segment(), planned.segment())) {
      return new Replace(planned);
    }
    return new Retune(planned);
  }

  private static Refuse cannotRun(NamespaceEntry entry, List<String> problems) {
    return new Refuse(
        "namespace "
            + entry.name()
            + ": the registry's definition (revision "
            + entry.revision()
            + ") cannot run on this node: "
            + String.join("; ", problems)
            + "; this node does not serve it");
  }

  /** Why a namespace's configuration cannot run on this node, or null. */
  private static String runProblem(NamespaceConfig planned, Limits limits) {
    if (!planned.strategy().leased()) {
      return null;
    }
    String borrow = planned.borrowProblem("maxBorrowMillis", limits.borrowRoom());
    if (borrow != null) {
      return borrow;
    }
    if (limits.leasedMaxWorker() > planned.layout().maxWorker()) {
      return "its "
          + planned.layout().workerBits()
          + " worker bits cannot hold this node's worker numbers (up to "
          + limits.leasedMaxWorker()
          + "); restart the node to claim a smaller worker number";
    }
    return null;
  }
}
