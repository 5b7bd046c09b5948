import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Endpoint, Endpoints, type ProbeOutcome } from './endpoint.js';
import {
  type Attempt,
  IdMintClosedError,
  IdMintInvalidArgumentError,
  IdMintNamespaceNotFoundError,
  IdMintPermissionDeniedError,
  IdMintPublicIdUnsupportedError,
  IdMintUnauthenticatedError,
  IdMintUnavailableError,
} from './errors.js';
import { IDMINT_PROTO_JSON } from './generated/idmint-proto.js';
import type { ClientConfig } from './options.js';

/** IDs from one answer, as decimal strings; `publicIds` is undefined when the node sent none. */
export interface Batch {
  readonly ids: readonly string[];
  readonly publicIds: readonly string[] | undefined;
  readonly endpoint: string;
}

interface NextIdsResponse {
  namespace?: string;
  ids?: unknown[];
  publicIds?: unknown[];
}

type UnaryCall = (
  request: { namespace: string; count: number },
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: NextIdsResponse) => void,
) => grpc.ClientUnaryCall;

// int64 as decimal strings: a JavaScript number would round IDs above 2^53.
const definition = protoLoader.fromJSON(IDMINT_PROTO_JSON as never, {
  longs: String,
  enums: String,
  defaults: true,
});
const IdService = (grpc.loadPackageDefinition(definition) as unknown as {
  idmint: { v1: { IdService: grpc.ServiceClientConstructor } };
}).idmint.v1.IdService;

const MIN_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 500;
const MIN_ATTEMPT_MS = 1;
const MAX_INT64 = '9223372036854775807';

/** True for the decimal form of a positive signed 64-bit integer. */
export function isPositiveInt64(s: unknown): s is string {
  return (
    typeof s === 'string' &&
    /^[1-9][0-9]{0,18}$/.test(s) &&
    (s.length < 19 || s <= MAX_INT64)
  );
}

/**
 * Everything remote: one gRPC channel per endpoint (created on first use, replaced when the
 * endpoint is set aside), the health probes, and `call()`, which carries one NextIds request to
 * some endpoint before a deadline.
 *
 * Attempts are sequential: the best untried endpoint gets at most `attemptTimeoutMs`; a failure
 * another node might not have (unreachable, UNAVAILABLE, too slow, rate-limited, a malformed
 * answer) moves on to the next. When every endpoint failed once, the round starts again after 25 ms
 * doubling to 500 ms (jittered), until the deadline. INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED
 * and PERMISSION_DENIED end the call at once with a typed error. Retrying is safe: IDs a node
 * issued into an attempt that timed out are never seen by anyone, which leaves a gap, never a
 * duplicate.
 */
export class Remote {
  readonly endpoints: Endpoints;
  private readonly clients = new Map<Endpoint, grpc.Client>();
  private readonly calls = new Set<grpc.ClientUnaryCall>();
  private readonly sleepers = new Set<() => void>();
  private closed = false;
  private healthTimer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    readonly config: ClientConfig,
    readonly now: () => number,
  ) {
    this.endpoints = new Endpoints(
      config.endpoints.map((address) => {
        const endpoint: Endpoint = new Endpoint(address, config, now, () => this.retire(endpoint));
        return endpoint;
      }),
    );
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Starts the health probes (once); called on the first remote call, never in a constructor. */
  startHealthChecks(): void {
    if (this.healthTimer !== undefined || this.closed || !this.config.healthChecks) {
      return;
    }
    this.healthTimer = setInterval(() => void this.probeAll(), this.config.healthCheckIntervalMs);
    this.healthTimer.unref();
  }

  /** Asks for `count` IDs; rejects with a typed error, at the latest at `deadline`. */
  async call(
    namespace: string,
    count: number,
    deadline: number,
    wantPublic: boolean,
    attempts: Attempt[] = [],
  ): Promise<Batch> {
    this.startHealthChecks();
    const tried = new Set<Endpoint>();
    let round = 0;
    for (;;) {
      if (this.closed) {
        throw new IdMintClosedError();
      }
      const now = this.now();
      const remaining = deadline - now;
      if (remaining < MIN_ATTEMPT_MS) {
        throw this.unavailable(namespace, attempts);
      }
      const endpoint = this.endpoints.pick(tried, now);
      if (endpoint === undefined) {
        tried.clear();
        round++;
        await this.sleep(Math.min(backoffMs(round), remaining));
        continue;
      }
      tried.add(endpoint);
      const outcome = await this.attempt(endpoint, namespace, count, wantPublic, remaining);
      if (typeof outcome === 'string') {
        attempts.push(Object.freeze({ endpoint: endpoint.name, reason: outcome }));
        continue;
      }
      return outcome;
    }
  }

  unavailable(namespace: string, attempts: readonly Attempt[]): IdMintUnavailableError {
    return new IdMintUnavailableError(namespace, this.config.deadlineMs, attempts, this.endpoints.describeAll());
  }

  /** One attempt: a Batch, or the reason it failed in a way another endpoint might not. */
  private async attempt(
    endpoint: Endpoint,
    namespace: string,
    count: number,
    wantPublic: boolean,
    remainingMs: number,
  ): Promise<Batch | string> {
    const budget = Math.min(this.config.attemptTimeoutMs, remainingMs);
    const fullBudget = budget === this.config.attemptTimeoutMs;
    const started = this.now();
    let response: NextIdsResponse;
    try {
      response = await this.unary(endpoint, namespace, count, budget);
    } catch (e) {
      if (this.closed) {
        throw new IdMintClosedError();
      }
      const error = e as grpc.ServiceError;
      const description = error.details || grpc.status[error.code] || String(e);
      switch (error.code) {
        case grpc.status.INVALID_ARGUMENT:
          endpoint.onAnswer();
          throw new IdMintInvalidArgumentError(description, endpoint.name);
        case grpc.status.NOT_FOUND:
          endpoint.onAnswer();
          throw new IdMintNamespaceNotFoundError(namespace, description, endpoint.name);
        case grpc.status.UNAUTHENTICATED:
          endpoint.onAnswer();
          throw new IdMintUnauthenticatedError(description, endpoint.name);
        case grpc.status.PERMISSION_DENIED:
          endpoint.onAnswer();
          throw new IdMintPermissionDeniedError(description, endpoint.name);
        default:
          break;
      }
      const retryAfterMs = retryAfter(error);
      const details = (error.details ?? String(e)).replace(/\s*Resolution note:\s*$/, '');
      let reason = `${grpc.status[error.code] ?? 'UNKNOWN'}: ${details}`;
      if (error.code === grpc.status.DEADLINE_EXCEEDED) {
        reason += ` after ${Math.round(this.now() - started)} ms`;
      }
      if (retryAfterMs >= 0) {
        reason += `, retry after ${Math.round(retryAfterMs / 1000)} s`;
      }
      const counts =
        error.code === grpc.status.RESOURCE_EXHAUSTED
          ? false
          : error.code === grpc.status.DEADLINE_EXCEEDED
            ? fullBudget
            : true;
      endpoint.onFailure(reason, counts, retryAfterMs);
      return reason;
    }
    const problem = check(response, namespace, count);
    if (problem !== undefined) {
      endpoint.onFailure(problem, true, -1);
      return problem;
    }
    endpoint.onAnswer();
    const publicIds = response.publicIds as string[];
    if (wantPublic && publicIds.length === 0) {
      throw new IdMintPublicIdUnsupportedError(namespace, endpoint.name);
    }
    return Object.freeze({
      ids: response.ids as string[],
      publicIds: publicIds.length > 0 ? publicIds : undefined,
      endpoint: endpoint.name,
    });
  }

  private unary(endpoint: Endpoint, namespace: string, count: number, budgetMs: number): Promise<NextIdsResponse> {
    const client = this.client(endpoint);
    const metadata = new grpc.Metadata();
    if (this.config.token !== undefined) {
      metadata.set('authorization', `Bearer ${this.config.token}`);
    }
    return new Promise((resolve, reject) => {
      let call: grpc.ClientUnaryCall | undefined = undefined;
      try {
        call = (client as unknown as { nextIds: UnaryCall }).nextIds(
          { namespace, count },
          metadata,
          { deadline: Date.now() + budgetMs },
          (error, response) => {
            if (call !== undefined) {
              this.calls.delete(call);
            }
            if (error !== null) {
              reject(error);
            } else {
              resolve(response ?? {});
            }
          },
        );
        this.calls.add(call);
      } catch (e) {
        reject(Object.assign(new Error(String(e)), { code: grpc.status.UNAVAILABLE, details: String(e) }));
      }
    });
  }

  private client(endpoint: Endpoint): grpc.Client {
    let client = this.clients.get(endpoint);
    if (client === undefined) {
      const credentials = this.config.tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
      client = new IdService(endpoint.address.name, credentials, {
        'grpc.primary_user_agent': 'idmint-client-node',
        // An ID is at most 10 bytes on the wire, a public ID some 20-40; leave room for both.
        'grpc.max_receive_message_length': Math.max(4 << 20, this.config.maxBatchSize * 64 + (64 << 10)),
        // The breaker paces a failing node; gRPC's own reconnect back-off would keep a restarted
        // node unused for up to two minutes.
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1_000,
      });
      this.clients.set(endpoint, client);
    }
    return client;
  }

  /** A connection that stopped answering may never say so: the next use gets a new one. */
  private retire(endpoint: Endpoint): void {
    const client = this.clients.get(endpoint);
    if (client !== undefined) {
      this.clients.delete(endpoint);
      client.close();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private async probeAll(): Promise<void> {
    if (this.probing || this.closed) {
      return;
    }
    this.probing = true;
    try {
      const timeoutMs = Math.max(100, Math.min(1_000, this.config.attemptTimeoutMs));
      await Promise.all(
        this.endpoints.all.map(async (endpoint) => {
          if (!endpoint.probeDue(this.now())) {
            return;
          }
          const [outcome, detail] = await probe(endpoint, this.config.tls, timeoutMs);
          if (!this.closed) {
            endpoint.onProbe(outcome, detail);
          }
        }),
      );
    } finally {
      this.probing = false;
    }
  }

  /** Cancels calls in flight and wakes sleepers (they then see the client closed). Idempotent. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (this.healthTimer !== undefined) {
      clearInterval(this.healthTimer);
    }
    for (const call of this.calls) {
      call.cancel();
    }
    this.calls.clear();
    for (const wake of [...this.sleepers]) {
      wake();
    }
    for (const client of this.clients.values()) {
      client.close();
    }
    this.clients.clear();
  }
}

/** Why an answer cannot be used, or undefined when it can. */
function check(response: NextIdsResponse, namespace: string, count: number): string | undefined {
  const ids = response.ids;
  if (!Array.isArray(ids)) {
    return 'protocol error: the call completed without an answer';
  }
  if (ids.length < 1 || ids.length > count) {
    return `protocol error: asked for ${count} IDs, got ${ids.length}`;
  }
  if (response.namespace && response.namespace !== namespace) {
    return `protocol error: asked for namespace ${namespace}, got ${response.namespace}`;
  }
  for (const id of ids) {
    if (!isPositiveInt64(id)) {
      return `protocol error: raw IDs are positive 64-bit integers, got ${String(id)}`;
    }
  }
  const publicIds = Array.isArray(response.publicIds) ? response.publicIds : [];
  response.publicIds = publicIds;
  if (publicIds.length !== 0 && publicIds.length !== ids.length) {
    return `protocol error: ${ids.length} IDs but ${publicIds.length} public IDs`;
  }
  for (const p of publicIds) {
    if (typeof p !== 'string' || p.length === 0) {
      return 'protocol error: an empty public ID';
    }
  }
  return undefined;
}

function retryAfter(error: grpc.ServiceError): number {
  const values = error.metadata?.get('retry-after') ?? [];
  const value = values.length > 0 ? String(values[0]).trim() : '';
  if (!/^[0-9]{1,9}$/.test(value)) {
    return -1;
  }
  return Math.min(Number.parseInt(value, 10), 3_600) * 1_000;
}

function backoffMs(round: number): number {
  const backoff = Math.min(MIN_BACKOFF_MS * 2 ** Math.min(round - 1, 10), MAX_BACKOFF_MS);
  // Jitter (±20 %) so that many clients losing the same node do not retry in step.
  return backoff * (0.8 + 0.4 * Math.random());
}

/** `GET /health/ready` on the node's one port. */
function probe(endpoint: Endpoint, tls: boolean, timeoutMs: number): Promise<[ProbeOutcome, string]> {
  return new Promise((resolve) => {
    let connected = false;
    const request = (tls ? httpsRequest : httpRequest)(
      {
        host: endpoint.address.host,
        port: endpoint.address.port,
        path: '/health/ready',
        method: 'GET',
        headers: { 'user-agent': 'idmint-client-node', connection: 'close' },
        timeout: timeoutMs,
        agent: false,
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status === 200) {
          resolve(['READY', 'ready']);
        } else if (status === 503) {
          resolve(['NOT_READY', 'health probe: 503 not ready']);
        } else {
          resolve(['NO_HEALTH_ENDPOINT', `health probe: HTTP ${status}`]);
        }
      },
    );
    request.on('socket', (socket) => socket.on('connect', () => (connected = true)));
    request.on('timeout', () => {
      request.destroy();
      resolve(['FAILED', `health probe: no answer within ${timeoutMs} ms`]);
    });
    request.on('error', (e) => {
      // Connected, then closed or reset: something listens there, only not our health endpoint.
      resolve([connected ? 'NO_HEALTH_ENDPOINT' : 'FAILED', `health probe: ${e.message}`]);
    });
    request.end();
  });
}
