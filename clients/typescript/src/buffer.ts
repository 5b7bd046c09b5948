import { type Attempt, IdMintClosedError, IdMintPublicIdUnsupportedError, type IdMintUnavailableError } from './errors.js';
import type { Batch, Remote } from './remote.js';

const UNSUPPORTED_MEMORY_MS = 30_000;
const MIN_SAMPLE_MS = 1;

/** One batch from one answer, exactly as the node issued it. */
class Chunk {
  index = 0;
  /** The slot whose taker asks for a refill, or -1; set before the chunk becomes current. */
  refillAt = -1;
  readonly size: number;

  constructor(
    readonly ids: readonly string[],
    readonly publicIds: readonly string[] | undefined,
  ) {
    this.size = ids.length;
  }

  remaining(): number {
    return Math.max(0, this.size - this.index);
  }
}

interface Signal {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function signal(): Signal {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A refill may fail with nobody waiting: that must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * IDs of one namespace (raw, or public: never both from one buffer) fetched ahead of use, so that
 * taking one is a local operation: an index increment on the current chunk.
 *
 * Node runs this on one thread, so every slot is handed out at most once without any atomics:
 * `take()` reads and advances the index in one synchronous step. Refill follows the Java client:
 * the target is the recent consumption rate × `prefetchAheadMs`, within [`prefetchMinIds`,
 * `prefetchMaxIds`]; when the buffered count falls to target / 2 one refill starts and fetches
 * batches of at most `maxBatchSize` until the target is reached again. A caller that finds the
 * buffer empty waits on `awaitChunk()`; every waiter shares the one refill. `close()` drops every
 * buffered ID: gaps, never duplicates.
 */
export class PrefetchBuffer {
  private current = new Chunk([], undefined);
  private readonly ready: Chunk[] = [];
  private queued = 0;
  private fetchedTotal = 0;
  private refilling = false;
  private refillAttempts: Attempt[] = [];
  private lastFailedAttempts: readonly Attempt[] = [];
  private waiting = signal();
  private target: number;
  private ratePerMs = 0;
  private lastSampleMs: number;
  private lastConsumed = 0;
  private closed = false;
  private unsupported: IdMintPublicIdUnsupportedError | undefined;
  private unsupportedUntilMs = 0;

  constructor(
    readonly namespace: string,
    private readonly publicIds: boolean,
    private readonly remote: Remote,
  ) {
    this.target = remote.config.prefetchMinIds;
    this.lastSampleMs = remote.now();
  }

  /** A raw ID (or a public one for a public buffer), or undefined when none is buffered. Never waits. */
  take(): string | undefined {
    for (;;) {
      const c = this.current;
      if (c.index < c.size) {
        const i = c.index++;
        if (i === c.refillAt) {
          this.requestRefill();
        }
        return this.publicIds ? c.publicIds![i] : c.ids[i];
      }
      if (!this.swap()) {
        return undefined;
      }
    }
  }

  /** Moves up to `n` raw IDs into `out`; returns how many. */
  takeInto(out: string[], n: number): number {
    let filled = 0;
    while (filled < n) {
      const c = this.current;
      if (c.index >= c.size) {
        if (!this.swap()) {
          break;
        }
        continue;
      }
      const from = c.index;
      const got = Math.min(n - filled, c.size - from);
      c.index += got;
      for (let k = 0; k < got; k++) {
        out.push(c.ids[from + k]!);
      }
      filled += got;
      if (c.refillAt >= from && c.refillAt < from + got) {
        this.requestRefill();
      }
    }
    return filled;
  }

  private swap(): boolean {
    if (this.closed) {
      return false;
    }
    const next = this.ready.shift();
    if (next === undefined) {
      return false;
    }
    this.queued -= next.size;
    this.install(next);
    return true;
  }

  /** Makes `next` current with its low-water slot. */
  private install(next: Chunk): void {
    const lowWater = Math.floor(this.target / 2);
    // After slot i is taken, size - i - 1 + queued IDs are left.
    const at = next.size - 1 + this.queued - lowWater;
    next.refillAt = at > 0 && at < next.size ? at : -1;
    this.current = next;
    if (at <= 0) {
      this.startRefill();
    }
  }

  /** Starts a refill if none runs and the buffer is at or below its low-water mark. */
  requestRefill(): void {
    if (!this.closed && !this.refilling && this.buffered() <= this.target / 2) {
      this.startRefill();
    }
  }

  private startRefill(): void {
    if (this.closed || this.refilling) {
      return;
    }
    this.refilling = true;
    void this.refill();
  }

  /**
   * Resolves when a chunk arrives (then try again), or rejects with why none will: the refill
   * failed, the client closed, or the namespace has no public IDs. Starts a refill if none runs.
   */
  awaitChunk(): Promise<void> {
    if (this.closed) {
      return Promise.reject(new IdMintClosedError());
    }
    if (this.unsupported !== undefined && this.remote.now() < this.unsupportedUntilMs) {
      return Promise.reject(this.unsupported);
    }
    if (this.buffered() > 0) {
      return Promise.resolve();
    }
    const s = this.waiting.promise;
    this.startRefill();
    return s;
  }

  /** Fetches batches until the target is reached; runs in the background of the event loop. */
  private async refill(): Promise<void> {
    try {
      while (!this.closed) {
        const now = this.remote.now();
        this.sampleRate(now);
        const need = this.target - this.buffered();
        if (need <= 0) {
          return;
        }
        const config = this.remote.config;
        const count = Math.min(config.maxBatchSize, Math.max(need, Math.min(config.prefetchMinIds, config.maxBatchSize)));
        this.refillAttempts = [];
        let batch: Batch;
        try {
          batch = await this.remote.call(this.namespace, count, now + config.deadlineMs, this.publicIds, this.refillAttempts);
        } catch (error) {
          this.lastFailedAttempts = this.refillAttempts;
          if (error instanceof IdMintPublicIdUnsupportedError) {
            this.unsupported = error;
            this.unsupportedUntilMs = this.remote.now() + UNSUPPORTED_MEMORY_MS;
          }
          const s = this.waiting;
          this.waiting = signal();
          s.reject(this.closed ? new IdMintClosedError() : error);
          return;
        }
        if (this.closed) {
          return; // arrived after close: dropped, never handed out
        }
        this.lastFailedAttempts = [];
        const chunk = new Chunk(batch.ids, batch.publicIds);
        this.fetchedTotal += chunk.size;
        if (this.current.remaining() === 0 && this.ready.length === 0) {
          this.install(chunk);
        } else {
          this.ready.push(chunk);
          this.queued += chunk.size;
        }
        const s = this.waiting;
        this.waiting = signal();
        s.resolve();
        if (this.buffered() >= this.target) {
          return;
        }
      }
    } finally {
      this.refilling = false;
    }
  }

  /** Updates the consumption rate and the target from what was taken since the last sample. */
  private sampleRate(now: number): void {
    const consumed = this.fetchedTotal - this.buffered();
    const elapsed = now - this.lastSampleMs;
    if (elapsed >= MIN_SAMPLE_MS) {
      const rate = (consumed - this.lastConsumed) / elapsed;
      this.ratePerMs = rate >= this.ratePerMs ? rate : (this.ratePerMs + rate) / 2;
      this.lastSampleMs = now;
      this.lastConsumed = consumed;
    }
    const config = this.remote.config;
    const wanted = Math.ceil(this.ratePerMs * config.prefetchAheadMs);
    this.target = Math.max(config.prefetchMinIds, Math.min(config.prefetchMaxIds, wanted));
  }

  buffered(): number {
    return this.current.remaining() + this.queued;
  }

  /** For a waiter whose deadline passed while a refill was still trying: what was tried. */
  timedOut(): IdMintUnavailableError {
    return this.remote.unavailable(this.namespace, [...this.lastFailedAttempts, ...(this.refilling ? this.refillAttempts : [])]);
  }

  /** Drops every buffered ID and fails the waiters. Idempotent. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.current = new Chunk([], undefined);
    this.ready.length = 0;
    this.queued = 0;
    this.waiting.reject(new IdMintClosedError());
  }
}

