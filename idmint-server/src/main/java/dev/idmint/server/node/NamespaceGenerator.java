package dev.idmint.server.node;

import dev.idmint.core.Clock;
import dev.idmint.core.IdGenerator;
import dev.idmint.core.IdUnavailableException;
import dev.idmint.core.lease.WorkerLeaseSource;
import dev.idmint.core.pattern.PatternNumberGenerator;
import dev.idmint.core.segment.SegmentGenerator;
import dev.idmint.core.segment.SegmentStore;
import dev.idmint.core.snowflake.SnowflakeGenerator;
import dev.idmint.core.uuid7.Uuid7Generator;
import dev.idmint.server.config.NamespaceConfig;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * A namespace's generator with its lifecycle, as the node holds it: started once, probed for
 * readiness, retuned in place with safe changes, asked for its buffer figures, closed once. The
 * node never asks which kind it holds.
 *
 * <p>These are thin adapters in the server rather than methods of core's generators: the shapes
 * they serve (readiness of a whole node, the node list's buffer figures, a retune from a registry
 * revision) belong to the service, and core's generators keep the small API that embedded users
 * (the client's and the starter's in-process generators) program against.
 */
interface NamespaceGenerator {

  /**
   * The generator that issues raw IDs, for the hot path (snowflake and segment).
   *
   * @throws IllegalStateException for a namespace whose IDs are text (uuid7, pattern)
   */
  IdGenerator ids();

  /**
   * Issues {@code count} IDs as text (uuid7: canonical UUIDs; pattern: business numbers), all or
   * none.
   *
   * @throws IllegalStateException for a namespace whose IDs are raw longs
   * @throws IdUnavailableException if they cannot be issued safely right now
   */
  default String[] nextTexts(int count) {
    throw new IllegalStateException("this namespace issues raw IDs, not text");
  }

  /** Starts background work (a segment's first load); nothing before this. */
  void start();

  /** Null when an ID could be issued now, else why not. */
  IdUnavailableException probe();

  /** Applies the safe settings of {@code config} in place (same definition but for those). */
  void retune(NamespaceConfig config);

  /** The buffer figures of the node list. */
  Stats stats();

  /** Stops background work; the lease of a snowflake namespace belongs to the node. */
  void close();

  /**
   * Buffer figures: IDs left in the current buffer and its size, both null for a generator without
   * buffers.
   */
  record Stats(Long bufferRemaining, Long bufferCapacity) {
    static final Stats NONE = new Stats(null, null);
  }

  /** A segment namespace's two-buffer generator. */
  static NamespaceGenerator segment(NamespaceConfig ns, SegmentStore store, Clock clock) {
    SegmentGenerator generator = new SegmentGenerator(ns.name(), store, ns.segment(), clock);
    return new NamespaceGenerator() {
      @Override
      public IdGenerator ids() {
        return generator;
      }

      @Override
      public void start() {
        generator.start();
      }

      @Override
      public IdUnavailableException probe() {
        return null; // an empty buffer waits and then says so per request
      }

      @Override
      public void retune(NamespaceConfig config) {
        // sizing changes replace the generator (see Reconciliation); nothing else is held here
      }

      @Override
      public Stats stats() {
        return new Stats(generator.remainingInCurrent(), generator.step());
      }

      @Override
      public void close() {
        generator.close();
      }
    };
  }

  /**
   * A uuid7 namespace's generator: a snowflake generator over the node's lease underneath, so the
   * fencing, horizon, clock-back and clock-skew rules are the snowflake's (see {@link
   * Uuid7Generator}).
   */
  static NamespaceGenerator uuid7(NamespaceConfig ns, WorkerLeaseSource leases, Clock clock) {
    Uuid7Generator generator =
        Uuid7Generator.builder(ns.uuid7(), leases)
            .clock(clock)
            .maxBorrow(ns.maxBorrow())
            .maxBackward(ns.maxBackward())
            .build();
    return new TextGenerator() {
      @Override
      public String[] nextTexts(int count) {
        UUID[] uuids = generator.nextUuids(count);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
          out[i] = uuids[i].toString();
        }
        return out;
      }

      @Override
      public void start() {}

      @Override
      public IdUnavailableException probe() {
        return generator.probe();
      }

      @Override
      public void retune(NamespaceConfig config) {
        generator.retune(config.maxBorrow(), config.maxBackward(), false);
      }

      @Override
      public Stats stats() {
        return Stats.NONE;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A pattern namespace's generator: one segment counter per period, the period decided by {@code
   * time} (the node's estimate of the coordinator's clock, never its wall clock), whose timer also
   * prepares the next period's first segment before the boundary.
   */
  static NamespaceGenerator pattern(
      NamespaceConfig ns, SegmentStore store, CoordinatorClock time, Clock clock) {
    PatternNumberGenerator generator =
        PatternNumberGenerator.builder(ns.name(), ns.pattern(), store)
            .segments(ns.segment())
            .clock(clock)
            .build();
    LongConsumer prepare = generator::prepare;
    return new TextGenerator() {
      @Override
      public String[] nextTexts(int count) {
        return generator.nextNumbers(time.nowMillis(), count);
      }

      @Override
      public void start() {
        generator.start();
        time.onTick(prepare);
      }

      @Override
      public IdUnavailableException probe() {
        try {
          time.nowMillis();
          return null;
        } catch (IdUnavailableException e) {
          return e;
        }
      }

      @Override
      public void retune(NamespaceConfig config) {
        // sizing changes replace the generator (see Reconciliation); nothing else is held here
      }

      @Override
      public Stats stats() {
        return Stats.NONE;
      }

      @Override
      public void close() {
        time.remove(prepare);
        generator.close();
      }
    };
  }

  /** A generator whose IDs are text: it has no raw-ID generator. */
  abstract class TextGenerator implements NamespaceGenerator {
    @Override
    public IdGenerator ids() {
      throw new IllegalStateException("this namespace issues text IDs, not raw IDs");
    }

    @Override
    public abstract String[] nextTexts(int count);
  }

  /**
   * What a {@link SnowflakeFactory} made, with its lifecycle: the standard generator is probed and
   * retuned, any other (a fault campaign's) only issues. The one place that looks at what a factory
   * made.
   */
  static NamespaceGenerator snowflake(IdGenerator made) {
    return made instanceof SnowflakeGenerator standard ? snowflake(standard) : plain(made);
  }

  private static NamespaceGenerator snowflake(SnowflakeGenerator generator) {
    return new NamespaceGenerator() {
      @Override
      public IdGenerator ids() {
        return generator;
      }

      @Override
      public void start() {}

      @Override
      public IdUnavailableException probe() {
        return generator.probe();
      }

      @Override
      public void retune(NamespaceConfig config) {
        generator.retune(config.maxBorrow(), config.maxBackward(), config.randomSequenceStart());
      }

      @Override
      public Stats stats() {
        return Stats.NONE;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A generator plugged in through {@link SnowflakeFactory} that is not the standard one: issues,
   * and has nothing to probe, retune or close.
   */
  private static NamespaceGenerator plain(IdGenerator generator) {
    return new NamespaceGenerator() {
      @Override
      public IdGenerator ids() {
        return generator;
      }

      @Override
      public void start() {}

      @Override
      public IdUnavailableException probe() {
        return null;
      }

      @Override
      public void retune(NamespaceConfig config) {}

      @Override
      public Stats stats() {
        return Stats.NONE;
      }

      @Override
      public void close() {}
    };
  }
}
