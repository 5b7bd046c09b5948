import { performance } from 'node:perf_hooks';
import { PrefetchBuffer } from './buffer.js';
import type { EndpointHealth } from './endpoint.js';
import { IdMintClosedError, IdMintNamespaceNotFoundError, IdMintUnavailableError } from './errors.js';
import { checkCount, checkNamespace, type ClientConfig, type IdMintClientOptions, type IdType, resolveConfig } from './options.js';
import { Remote } from './remote.js';

/** The ID type an `idType` option selects: a decimal string by default, or a bigint. */
export type IdOf<T extends IdType> = T extends 'bigint' ? bigint : string;

/** The buffers of one namespace; `raw` is undefined when prefetch is off for it. */
class NamespaceState {
  readonly raw: PrefetchBuffer | undefined;
  private publicBuffer: PrefetchBuffer | undefined;

  constructor(
    readonly name: string,
    readonly prefetch: boolean,
    private readonly remote: Remote,
  ) {
    this.raw = prefetch ? new PrefetchBuffer(name, false, remote) : undefined;
  }

  publicIds(): PrefetchBuffer | undefined {
    if (this.prefetch && this.publicBuffer === undefined) {
      this.publicBuffer = new PrefetchBuffer(this.name, true, this.remote);
    }
    return this.publicBuffer;
  }

  close(): void {
    this.raw?.close();
    this.publicBuffer?.close();
  }
}

/**
 * The idmint client for Node.js: new IDs from one or more nodes over gRPC, served from a local
 * prefetch buffer per namespace, with failover between nodes and a deadline per call.
 *
 * Raw IDs are 63-bit: they come back as decimal strings (default) or bigints (`idType: 'bigint'`),
 * never as a `number`, which would round every ID above 2^53. The constructor only validates the
 * options (all problems at once, in an `IdMintConfigurationError`); the first call connects.
 * One client per process, shared; `close()` drops buffered IDs and fails calls still waiting.
 */
export class IdMintClient<T extends IdType = 'string'> {
  private readonly config: ClientConfig;
  private readonly remote: Remote;
  private readonly namespaces = new Map<string, NamespaceState>();
  private readonly now: () => number;
  private readonly convert: (id: string) => IdOf<T>;
  private closed = false;

  constructor(options: IdMintClientOptions<T>) {
    this.config = resolveConfig(options);
    this.now = () => performance.now();
    this.remote = new Remote(this.config, this.now);
    this.convert = (this.config.idType === 'bigint' ? (id: string) => BigInt(id) : (id: string) => id) as (id: string) => IdOf<T>;
  }

  /** One raw ID: from the buffer when warm, else from a node within the deadline. */
  async nextId(namespace: string): Promise<IdOf<T>> {
    const s = this.state(namespace);
    const buffer = s.raw;
    if (buffer !== undefined) {
      const id = buffer.take();
      if (id !== undefined) {
        return this.convert(id);
      }
    }
    const deadline = this.now() + this.config.deadlineMs;
    if (buffer === undefined) {
      const batch = await this.forget(s, this.remote.call(s.name, 1, deadline, false));
      return this.convert(batch.ids[0]!);
    }
    return this.convert(await this.forget(s, this.fromBuffer(buffer, deadline)));
  }

  /** `count` raw IDs (1 to 1,000,000): first from the buffer, the rest straight from a node in batches of `maxBatchSize`. */
  async nextIds(namespace: string, count: number): Promise<IdOf<T>[]> {
    const s = this.state(namespace);
    checkCount(count);
    const out: string[] = [];
    const buffer = s.raw;
    if (buffer !== undefined) {
      buffer.takeInto(out, count);
      if (out.length < count) {
        buffer.requestRefill();
      }
    }
    if (out.length < count) {
      const deadline = this.now() + this.config.deadlineMs;
      await this.forget(
        s,
        (async () => {
          while (out.length < count) {
            const n = Math.min(this.config.maxBatchSize, count - out.length);
            const batch = await this.remote.call(s.name, n, deadline, false);
            for (const id of batch.ids) {
              out.push(id);
            }
          }
        })(),
      );
    }
    return this.config.idType === 'bigint' ? out.map(this.convert) : (out as IdOf<T>[]);
  }

  /** One ID in its public form (e.g. `ord_2Vx7kQ9bM1pTz`); only for namespaces with a public-ID codec. */
  async nextPublicId(namespace: string): Promise<string> {
    const s = this.state(namespace);
    const buffer = s.publicIds();
    const deadline = this.now() + this.config.deadlineMs;
    if (buffer === undefined) {
      const batch = await this.forget(s, this.remote.call(s.name, 1, deadline, true));
      return batch.publicIds![0]!;
    }
    const id = buffer.take();
    if (id !== undefined) {
      return id;
    }
    return this.forget(s, this.fromBuffer(buffer, deadline));
  }

  /** Raw IDs buffered right now for `namespace`. */
  bufferedIds(namespace: string): number {
    return this.namespaces.get(namespace)?.raw?.buffered() ?? 0;
  }

  /** Each endpoint's state (`AVAILABLE`, `NOT_READY`, `SET_ASIDE`, `PROBING`): for a health indicator. */
  endpoints(): EndpointHealth[] {
    return this.remote.endpoints.all.map((e) => e.health());
  }

  /** Drops the buffered IDs, fails calls still waiting, closes the connections. Idempotent. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const s of this.namespaces.values()) {
      s.close();
    }
    this.namespaces.clear();
    this.remote.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Never prints the token. */
  toString(): string {
    return `IdMintClient[endpoints=${this.config.endpoints.map((e) => e.name).join(',')}, token=${this.config.token === undefined ? 'none' : '(set)'}, tls=${this.config.tls}]`;
  }

  /**
   * Takes from `buffer`, waiting for refills while it is empty, until `deadline`. A failed refill
   * is not the end while time is left: the next round starts another one.
   */
  private async fromBuffer(buffer: PrefetchBuffer, deadline: number): Promise<string> {
    for (;;) {
      const id = buffer.take();
      if (id !== undefined) {
        return id;
      }
      const remaining = deadline - this.now();
      if (remaining <= 0) {
        throw buffer.timedOut();
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      });
      try {
        const outcome = await Promise.race([buffer.awaitChunk(), timedOut]);
        if (outcome === 'timeout') {
          throw buffer.timedOut();
        }
      } catch (error) {
        if (!(error instanceof IdMintUnavailableError) || this.now() >= deadline || this.closed) {
          throw error;
        }
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** A namespace the server does not know is not kept (its buffers would stay empty anyway). */
  private async forget<R>(s: NamespaceState, work: Promise<R>): Promise<R> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof IdMintNamespaceNotFoundError && this.namespaces.get(s.name) === s) {
        this.namespaces.delete(s.name);
        s.close();
      }
      throw error;
    }
  }

  private state(namespace: string): NamespaceState {
    if (this.closed) {
      throw new IdMintClosedError();
    }
    let s = this.namespaces.get(namespace);
    if (s === undefined) {
      checkNamespace(namespace);
      s = new NamespaceState(namespace, this.config.prefetchNamespaces.get(namespace) ?? this.config.prefetch, this.remote);
      this.namespaces.set(namespace, s);
    }
    return s;
  }
}
