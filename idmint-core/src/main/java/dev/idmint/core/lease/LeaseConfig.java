package dev.idmint.core.lease;

import dev.idmint.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Timing of a node's worker lease. Immutable; {@link Builder#build()} reports every problem at
 * once.
 *
 * <p>What the defaults mean: the lease lives 30 s in the coordinator and is renewed every 2 s; the
 * node stops issuing on its own 30 s × (1 − 0.001) − 500 ms ≈ 29.5 s after the start of its last
 * successful renewal (DESIGN.md rule 2); each renewal reserves timestamps up to 10 s ahead of the
 * wall clock (rule 3). So a coordinator outage is served through for about 8 to 10 s (the reserved
 * horizon runs out first), and a node that crashed is taken over after 30 s at most. A longer
 * {@code horizonAhead} serves through longer outages, at the price that a node reclaiming the
 * <em>same</em> worker after a crash waits up to that long for its clock to pass the old horizon.
 *
 * <p>Before every claim and renewal the node compares its wall clock with the coordinator's clock
 * and with the highest horizon any worker recorded (DESIGN.md rule 8); disagreeing by more than
 * {@code maxClockSkew} (default 1 s) it issues no snowflake ID until a renewal finds them agreeing.
 * A larger value keeps a badly synchronised node serving, at the price that its IDs' timestamps may
 * be off by that much and sort below other nodes' (behind) or push every later horizon ahead
 * (ahead). The horizon comparison allows this node's own {@code horizonAhead}: nodes sharing a
 * coordinator should use the same one.
 *
 * @param owner identifies this node in the coordinator
 * @param staticWorker a fixed worker number to claim, or empty to claim any free one
 * @param maxWorker the highest worker number to claim (must fit every layout the node serves)
 * @param ttl lease time in the coordinator
 * @param renewInterval time between renewals
 * @param horizonAhead how far ahead of the wall clock each renewal reserves timestamps
 * @param clockDriftRate ρ, the assumed worst relative rate error between node and coordinator
 * @param safetyMargin m, subtracted from the local deadline on top of the drift allowance
 * @param maxClockSkew the largest disagreement of clocks a node serves snowflake namespaces with
 */
public record LeaseConfig(
    String owner,
    OptionalInt staticWorker,
    int maxWorker,
    Duration ttl,
    Duration renewInterval,
    Duration horizonAhead,
    double clockDriftRate,
    Duration safetyMargin,
    Duration maxClockSkew) {

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_HORIZON_AHEAD = Duration.ofSeconds(10);
  public static final double DEFAULT_CLOCK_DRIFT_RATE = 0.001;
  public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(1);

  /**
   * The largest {@code max-clock-skew} accepted: beyond it the check would no longer keep decoded
   * timestamps meaningful, and a configuration could switch rule 8 off.
   */
  public static final Duration MAX_CLOCK_SKEW_CEILING = Duration.ofMinutes(5);

  /**
   * How long after the start of a successful renewal the node may keep issuing: {@code L·(1−ρ) − m}
   * for a granted lease time {@code L}.
   */
  public long localValidityNanos(long grantedTtlMillis) {
    long ttlNanos = Duration.ofMillis(Math.min(grantedTtlMillis, ttl.toMillis())).toNanos();
    return (long) (ttlNanos * (1.0 - clockDriftRate)) - safetyMargin.toNanos();
  }

  public static Builder builder(String owner) {
    return new Builder(owner);
  }

  /** Builds a {@link LeaseConfig} with the documented defaults. */
  public static final class Builder {
    private final String owner;
    private OptionalInt staticWorker = OptionalInt.empty();
    private int maxWorker = 1023;
    private Duration ttl = DEFAULT_TTL;
    private Duration renewInterval = DEFAULT_RENEW_INTERVAL;
    private Duration horizonAhead = DEFAULT_HORIZON_AHEAD;
    private double clockDriftRate = DEFAULT_CLOCK_DRIFT_RATE;
    private Duration safetyMargin = DEFAULT_SAFETY_MARGIN;
    private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;

    private Builder(String owner) {
      this.owner = owner;
    }

    /** Claims exactly this worker number; still claimed in the coordinator (rule 4). */
    public Builder staticWorker(int worker) {
      this.staticWorker = OptionalInt.of(worker);
      return this;
    }

    public Builder maxWorker(int maxWorker) {
      this.maxWorker = maxWorker;
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder renewInterval(Duration renewInterval) {
      this.renewInterval = renewInterval;
      return this;
    }

    public Builder horizonAhead(Duration horizonAhead) {
      this.horizonAhead = horizonAhead;
      return this;
    }

    public Builder clockDriftRate(double clockDriftRate) {
      this.clockDriftRate = clockDriftRate;
      return this;
    }

    public Builder safetyMargin(Duration safetyMargin) {
      this.safetyMargin = safetyMargin;
      return this;
    }

    /**
     * The largest disagreement between this node's wall clock and the coordinator's (or the highest
     * recorded horizon) it still serves snowflake namespaces with; default 1 s, at most {@link
     * #MAX_CLOCK_SKEW_CEILING}.
     */
    public Builder maxClockSkew(Duration maxClockSkew) {
      this.maxClockSkew = maxClockSkew;
      return this;
    }

    /**
     * @throws InvalidConfigurationException listing every problem
     */
    public LeaseConfig build() {
      List<String> problems = new ArrayList<>();
      if (owner == null || owner.isBlank()) {
        problems.add("owner must not be blank: owner=" + owner);
      }
      if (maxWorker < 0) {
        problems.add("max-worker must be >= 0: max-worker=" + maxWorker);
      }
      if (staticWorker.isPresent()
          && (staticWorker.getAsInt() < 0 || staticWorker.getAsInt() > maxWorker)) {
        problems.add("worker must be in [0, " + maxWorker + "]: worker=" + staticWorker.getAsInt());
      }
      requirePositive(problems, "ttl", ttl);
      requirePositive(problems, "renew-interval", renewInterval);
      requirePositive(problems, "horizon-ahead", horizonAhead);
      if (!(clockDriftRate >= 0 && clockDriftRate < 0.5)) {
        problems.add("clock-drift-rate must be in [0, 0.5): clock-drift-rate=" + clockDriftRate);
      }
      if (safetyMargin == null || safetyMargin.isNegative()) {
        problems.add("safety-margin must be >= 0: safety-margin=" + safetyMargin);
      }
      requirePositive(problems, "max-clock-skew", maxClockSkew);
      if (maxClockSkew != null && maxClockSkew.compareTo(MAX_CLOCK_SKEW_CEILING) > 0) {
        problems.add(
            "max-clock-skew must be at most "
                + MAX_CLOCK_SKEW_CEILING.toSeconds()
                + " s, or decoded timestamps mean little: max-clock-skew="
                + maxClockSkew);
      }
      if (problems.isEmpty()) {
        LeaseConfig candidate =
            new LeaseConfig(
                owner,
                staticWorker,
                maxWorker,
                ttl,
                renewInterval,
                horizonAhead,
                clockDriftRate,
                safetyMargin,
                maxClockSkew);
        long validityNanos = candidate.localValidityNanos(ttl.toMillis());
        if (validityNanos < 2 * renewInterval.toNanos()) {
          problems.add(
              "ttl*(1-clock-drift-rate)-safety-margin must allow at least two renewals:"
                  + " ttl="
                  + ttl
                  + ", renew-interval="
                  + renewInterval
                  + ", safety-margin="
                  + safetyMargin);
        }
        if (horizonAhead.compareTo(renewInterval.multipliedBy(2)) < 0) {
          problems.add(
              "horizon-ahead must be at least twice renew-interval, or the horizon runs out"
                  + " between renewals: horizon-ahead="
                  + horizonAhead
                  + ", renew-interval="
                  + renewInterval);
        }
        if (problems.isEmpty()) {
          return candidate;
        }
      }
      throw new InvalidConfigurationException("worker lease configuration", problems);
    }

    private static void requirePositive(List<String> problems, String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        problems.add(name + " must be positive: " + name + "=" + value);
      }
    }
  }

  public LeaseConfig {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(staticWorker, "staticWorker");
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
  }
}
