package dev.idmint.server.node;

import dev.idmint.core.Clock;
import dev.idmint.core.IdGenerator;
import dev.idmint.core.lease.WorkerLeaseSource;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.server.config.NamespaceConfig;

/**
 * Builds the generator of a snowflake namespace from the node's lease source and clock. Every node
 * started from the command line uses {@link #STANDARD}; nothing in the server (no flag, property,
 * environment variable or configuration key) selects another. The seam exists for code that builds
 * an {@link dev.idmint.server.IdMintServer} itself: the fault campaign (idmint-chaos) plugs a
 * deliberately broken generator into nodes of its own, to prove that its checks catch one.
 */
@FunctionalInterface
public interface SnowflakeFactory {

  /** The generator of DESIGN.md, with every safety rule. */
  SnowflakeFactory STANDARD =
      (ns, leases, clock) ->
          SnowflakeGenerator.builder(ns.layout(), leases)
              .clock(clock)
              .maxBorrow(ns.maxBorrow())
              .maxBackward(ns.maxBackward())
              .randomSequenceStart(ns.randomSequenceStart())
              .build();

  /** A generator for the snowflake namespace {@code ns}. */
  IdGenerator create(NamespaceConfig ns, WorkerLeaseSource leases, Clock clock);
}
