import type { ClientConfig, HostAndPort } from './options.js';

/** How `Endpoints.pick` ranks an endpoint; lower goes first. */
export const RANK_TRIAL = 0;
const RANK_READY = 1;
const RANK_NOT_READY = 2;
const RANK_LAST_RESORT = 3;

export type EndpointState = 'AVAILABLE' | 'NOT_READY' | 'SET_ASIDE' | 'PROBING';

/** One endpoint's state, for a health indicator. */
export interface EndpointHealth {
  readonly endpoint: string;
  readonly state: EndpointState;
  readonly consecutiveFailures: number;
  readonly lastFailure: string | null;
}

export type ProbeOutcome = 'READY' | 'NOT_READY' | 'NO_HEALTH_ENDPOINT' | 'FAILED';

type Mode = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/**
 * One node as the client sees it: a circuit breaker, the same as the Java client's.
 *
 * CLOSED: in use; `failureThreshold` consecutive failures (calls or probes) open it. OPEN: set
 * aside for a back-off that starts at `setAsideMs` and doubles per further trip up to
 * `setAsideMaxMs`; when it is over, a passing probe (or with probes off, the time alone) makes it
 * HALF_OPEN. HALF_OPEN: one call at a time may try it; success closes the breaker, failure opens it
 * for longer; with no call to try it, the next passing probe closes it. An open endpoint is still
 * tried as a last resort, and a success there closes it at once.
 *
 * Independently, an endpoint is "not ready" when its last probe answered 503 or it answered
 * UNAVAILABLE with retry-after (until then): ranked behind ready endpoints, not excluded.
 *
 * `onRetire` is called when the breaker opens, so that the next use gets a new connection.
 */
export class Endpoint {
  readonly address: HostAndPort;
  readonly name: string;
  private mode: Mode = 'CLOSED';
  private consecutiveFailures = 0;
  private trips = 0;
  private openUntilMs = 0;
  private trialInFlight = false;
  private probeSaysReady = true;
  private notBeforeMs: number | undefined;
  private lastFailure: string | null = null;

  constructor(
    address: HostAndPort,
    private readonly config: ClientConfig,
    private readonly now: () => number,
    private readonly onRetire: () => void,
  ) {
    this.address = address;
    this.name = address.name;
  }

  /** The rank for a new attempt; RANK_TRIAL also reserves the one trial call of a half-open breaker. */
  rankAndReserve(now: number): number {
    if (this.mode === 'OPEN' && !this.config.healthChecks && now >= this.openUntilMs) {
      this.mode = 'HALF_OPEN';
      this.trialInFlight = false;
    }
    switch (this.mode) {
      case 'HALF_OPEN':
        if (!this.trialInFlight) {
          this.trialInFlight = true;
          return RANK_TRIAL;
        }
        return RANK_LAST_RESORT;
      case 'OPEN':
        return RANK_LAST_RESORT;
      default: {
        const waiting = this.notBeforeMs !== undefined && now < this.notBeforeMs;
        return this.probeSaysReady && !waiting ? RANK_READY : RANK_NOT_READY;
      }
    }
  }

  /** The node answered (with IDs, or with an error that is the request's fault, not the node's). */
  onAnswer(): void {
    this.mode = 'CLOSED';
    this.consecutiveFailures = 0;
    this.trips = 0;
    this.trialInFlight = false;
    this.notBeforeMs = undefined;
  }

  /**
   * An attempt failed. `counts`: whether it says something about the node (a rate limit, or a
   * deadline cut short by the call's own deadline, does not). `retryAfterMs`: how long the node
   * asked to be left alone, or -1.
   */
  onFailure(reason: string, counts: boolean, retryAfterMs: number): void {
    const now = this.now();
    this.lastFailure = reason;
    if (retryAfterMs >= 0) {
      this.notBeforeMs = now + Math.min(retryAfterMs, this.config.setAsideMaxMs);
    }
    if (this.mode === 'HALF_OPEN') {
      this.open(now);
      return;
    }
    if (counts) {
      this.consecutiveFailures++;
      if (this.mode === 'CLOSED' && this.consecutiveFailures >= this.config.failureThreshold) {
        this.open(now);
      }
    }
  }

  /** Whether the health checker should probe now: always, except while set aside. */
  probeDue(now: number): boolean {
    return this.mode !== 'OPEN' || now >= this.openUntilMs;
  }

  onProbe(outcome: ProbeOutcome, detail: string): void {
    const now = this.now();
    switch (outcome) {
      case 'READY':
      case 'NO_HEALTH_ENDPOINT':
        this.probeSaysReady = true;
        if (this.mode === 'OPEN') {
          this.mode = 'HALF_OPEN';
          this.trialInFlight = false;
        } else if (this.mode === 'HALF_OPEN' && !this.trialInFlight) {
          this.mode = 'CLOSED';
          this.consecutiveFailures = 0;
        }
        break;
      case 'NOT_READY':
        this.probeSaysReady = false;
        this.lastFailure = detail;
        if (this.mode === 'OPEN') {
          this.openUntilMs = now + this.backoffMs();
        }
        break;
      default:
        this.lastFailure = detail;
        if (this.mode === 'OPEN') {
          this.trips++;
          this.openUntilMs = now + this.backoffMs();
        } else {
          this.consecutiveFailures++;
          if (this.consecutiveFailures >= this.config.failureThreshold) {
            this.open(now);
          }
        }
    }
  }

  private open(now: number): void {
    this.mode = 'OPEN';
    this.trialInFlight = false;
    this.trips++;
    this.openUntilMs = now + this.backoffMs();
    this.onRetire();
  }

  private backoffMs(): number {
    const doublings = Math.min(Math.max(this.trips - 1, 0), 30);
    return Math.min(this.config.setAsideMs * 2 ** doublings, this.config.setAsideMaxMs);
  }

  describe(): string {
    switch (this.mode) {
      case 'OPEN':
        return `set aside after ${this.consecutiveFailures} failures, last ${this.lastFailure ?? 'none'}`;
      case 'HALF_OPEN':
        return 'probe passed, trial call in flight';
      default:
        return this.probeSaysReady ? 'available' : `not ready: ${this.lastFailure ?? 'unknown'}`;
    }
  }

  health(): EndpointHealth {
    const now = this.now();
    let state: EndpointState;
    if (this.mode === 'OPEN') {
      state = 'SET_ASIDE';
    } else if (this.mode === 'HALF_OPEN') {
      state = 'PROBING';
    } else {
      const waiting = this.notBeforeMs !== undefined && now < this.notBeforeMs;
      state = this.probeSaysReady && !waiting ? 'AVAILABLE' : 'NOT_READY';
    }
    return Object.freeze({
      endpoint: this.name,
      state,
      consecutiveFailures: this.consecutiveFailures,
      lastFailure: this.lastFailure,
    });
  }
}

/**
 * The configured endpoints and the choice among them: a half-open endpoint whose trial call is
 * free, then available ones, then reachable ones that are not ready, and last set-aside ones; ties
 * go round-robin.
 */
export class Endpoints {
  private rotation = 0;

  constructor(readonly all: readonly Endpoint[]) {}

  /** The best endpoint not in `tried`, or undefined when every one was tried. */
  pick(tried: ReadonlySet<Endpoint>, now: number): Endpoint | undefined {
    const n = this.all.length;
    const start = this.rotation++ % n;
    if (this.rotation >= n * 1_000_000) {
      this.rotation = 0;
    }
    let best: Endpoint | undefined;
    let bestRank = Number.MAX_SAFE_INTEGER;
    for (let k = 0; k < n; k++) {
      const e = this.all[(start + k) % n]!;
      if (tried.has(e)) {
        continue;
      }
      const rank = e.rankAndReserve(now);
      if (rank === RANK_TRIAL) {
        return e;
      }
      if (rank < bestRank) {
        best = e;
        bestRank = rank;
      }
    }
    return best;
  }

  describeAll(): Map<string, string> {
    return new Map(this.all.map((e) => [e.name, e.describe()]));
  }
}
