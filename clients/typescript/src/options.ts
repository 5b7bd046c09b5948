import { IdMintConfigurationError, IdMintInvalidArgumentError } from './errors.js';

/** How raw IDs are returned: decimal strings (the default) or bigints. Never a `number`. */
export type IdType = 'string' | 'bigint';

/** The options of `new IdMintClient(...)`; the same as the Java client's builder methods. */
export interface IdMintClientOptions<T extends IdType = IdType> {
  /** Nodes as `host:port` (`[::1]:7070` for IPv6). All must share one coordinator. Required. */
  readonly endpoints: readonly string[];
  /** Sent as `authorization: Bearer <token>`; never printed. */
  readonly token?: string;
  /** TLS with Node's default trust store, for nodes behind a TLS proxy. Default false. */
  readonly tls?: boolean;
  /** `'string'` (default) or `'bigint'`. */
  readonly idType?: T;
  /** The most a call may take, retries and failover included. Default 2000. */
  readonly deadlineMs?: number;
  /** The most one attempt on one node may take before the call moves on. Default 500. */
  readonly attemptTimeoutMs?: number;
  /** The most IDs asked of a node at once; must not exceed the nodes' `limits.max-count`. Default 10000. */
  readonly maxBatchSize?: number;
  /** Serve from a prefetch buffer. Default true. */
  readonly prefetch?: boolean;
  /** Per-namespace override of `prefetch`. */
  readonly prefetchNamespaces?: Readonly<Record<string, boolean>>;
  /** Lower bound of one namespace's buffer. Default 1000. */
  readonly prefetchMinIds?: number;
  /** Upper bound of one namespace's buffer. Default 200000. */
  readonly prefetchMaxIds?: number;
  /** A full buffer should last this long at the recent rate. Default 1000. */
  readonly prefetchAheadMs?: number;
  /** Consecutive failures (calls or probes) that set a node aside. Default 3. */
  readonly failureThreshold?: number;
  /** How long a failing node is first set aside; doubles per failed return. Default 1000. */
  readonly setAsideMs?: number;
  /** The longest a node is set aside. Default 30000. */
  readonly setAsideMaxMs?: number;
  /** Probe `GET /health/ready` on every node in the background. Default true. */
  readonly healthChecks?: boolean;
  /** How often. Default 2000. */
  readonly healthCheckIntervalMs?: number;
}

export const DEFAULTS = Object.freeze({
  deadlineMs: 2_000,
  attemptTimeoutMs: 500,
  maxBatchSize: 10_000,
  prefetchMinIds: 1_000,
  prefetchMaxIds: 200_000,
  prefetchAheadMs: 1_000,
  failureThreshold: 3,
  setAsideMs: 1_000,
  setAsideMaxMs: 30_000,
  healthCheckIntervalMs: 2_000,
});

/** The most IDs one `nextIds` call may ask for. */
export const MAX_COUNT = 1_000_000;
const MAX_PREFETCH_IDS = 100_000_000;
export const NAMESPACE_PATTERN = '[a-z][a-z0-9_-]{0,62}';
const NAMESPACE = new RegExp(`^${NAMESPACE_PATTERN}$`);

export interface HostAndPort {
  readonly host: string;
  readonly port: number;
  /** `host:port`, with brackets around an IPv6 host. */
  readonly name: string;
}

/** The validated, immutable configuration. */
export interface ClientConfig {
  readonly endpoints: readonly HostAndPort[];
  readonly token: string | undefined;
  readonly tls: boolean;
  readonly idType: IdType;
  readonly deadlineMs: number;
  readonly attemptTimeoutMs: number;
  readonly maxBatchSize: number;
  readonly prefetch: boolean;
  readonly prefetchNamespaces: ReadonlyMap<string, boolean>;
  readonly prefetchMinIds: number;
  readonly prefetchMaxIds: number;
  readonly prefetchAheadMs: number;
  readonly failureThreshold: number;
  readonly setAsideMs: number;
  readonly setAsideMaxMs: number;
  readonly healthChecks: boolean;
  readonly healthCheckIntervalMs: number;
}

/** Parses `host:port`; undefined when it is not one. */
export function parseHostAndPort(text: unknown): HostAndPort | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  const s = text.trim();
  const colon = s.lastIndexOf(':');
  if (colon <= 0 || colon === s.length - 1) {
    return undefined;
  }
  let host = s.substring(0, colon);
  if (host.startsWith('[')) {
    if (!host.endsWith(']') || host.length < 3) {
      return undefined;
    }
    host = host.substring(1, host.length - 1);
  } else if (host.includes(':')) {
    return undefined;
  }
  if (host.length === 0 || /[\s/@]/.test(host)) {
    return undefined;
  }
  const portText = s.substring(colon + 1);
  if (!/^[0-9]{1,5}$/.test(portText)) {
    return undefined;
  }
  const port = Number.parseInt(portText, 10);
  if (port < 1 || port > 65_535) {
    return undefined;
  }
  return Object.freeze({ host, port, name: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}` });
}

/** Validates every option and reports every problem at once. */
export function resolveConfig(options: IdMintClientOptions): ClientConfig {
  const problems: string[] = [];
  if (options === null || typeof options !== 'object') {
    throw new IdMintConfigurationError(['options: an object with at least endpoints is required']);
  }
  const endpoints: HostAndPort[] = [];
  const list: unknown = options.endpoints;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('endpoints: at least one host:port is required');
  } else {
    const seen = new Set<string>();
    list.forEach((endpoint: unknown, i) => {
      const parsed = parseHostAndPort(endpoint);
      if (parsed === undefined) {
        problems.push(`endpoints[${i}] must be host:port with a port in [1, 65535]: ${JSON.stringify(endpoint) ?? String(endpoint)}`);
      } else if (seen.has(parsed.name)) {
        problems.push(`endpoints[${i}] is listed twice: ${JSON.stringify(endpoint)}`);
      } else {
        seen.add(parsed.name);
        endpoints.push(parsed);
      }
    });
  }
  const token = options.token;
  if (token !== undefined && token !== null) {
    if (typeof token !== 'string' || token.trim().length === 0) {
      problems.push('token must be a non-blank string (leave it out to send none)');
    } else if (/[^\x21-\x7e]/.test(token)) {
      problems.push('token must be printable ASCII without spaces');
    }
  }
  const idType = options.idType ?? 'string';
  if (idType !== 'string' && idType !== 'bigint') {
    problems.push(`idType must be 'string' or 'bigint': idType=${JSON.stringify(idType)}`);
  }
  const flag = (name: 'tls' | 'prefetch' | 'healthChecks', fallback: boolean): boolean => {
    const v: unknown = options[name];
    if (v === undefined) {
      return fallback;
    }
    if (typeof v !== 'boolean') {
      problems.push(`${name} must be a boolean: ${name}=${JSON.stringify(v)}`);
      return fallback;
    }
    return v;
  };
  const int = (name: keyof typeof DEFAULTS, min: number, max: number): number => {
    const v: unknown = options[name];
    if (v === undefined) {
      return DEFAULTS[name];
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${name} must be a whole number in [${min}, ${max}]: ${name}=${String(v)}`);
      return DEFAULTS[name];
    }
    return v;
  };
  const day = 86_400_000;
  const deadlineMs = int('deadlineMs', 1, day);
  const attemptTimeoutMs = int('attemptTimeoutMs', 1, day);
  if (attemptTimeoutMs > deadlineMs) {
    problems.push(`attemptTimeoutMs must not exceed deadlineMs: attemptTimeoutMs=${attemptTimeoutMs}, deadlineMs=${deadlineMs}`);
  }
  const maxBatchSize = int('maxBatchSize', 1, MAX_COUNT);
  const prefetchNamespaces = new Map<string, boolean>();
  const perNamespace: unknown = options.prefetchNamespaces;
  if (perNamespace !== undefined) {
    if (perNamespace === null || typeof perNamespace !== 'object') {
      problems.push('prefetchNamespaces must be an object of namespace to boolean');
    } else {
      for (const [ns, on] of Object.entries(perNamespace)) {
        if (!NAMESPACE.test(ns)) {
          problems.push(`prefetchNamespaces: namespace must match ${NAMESPACE_PATTERN}: ${JSON.stringify(ns)}`);
        } else if (typeof on !== 'boolean') {
          problems.push(`prefetchNamespaces.${ns} must be a boolean: ${JSON.stringify(on)}`);
        } else {
          prefetchNamespaces.set(ns, on);
        }
      }
    }
  }
  const prefetchMinIds = int('prefetchMinIds', 1, MAX_PREFETCH_IDS);
  const prefetchMaxIds = int('prefetchMaxIds', 1, MAX_PREFETCH_IDS);
  if (prefetchMinIds > prefetchMaxIds) {
    problems.push(`prefetchMinIds must not exceed prefetchMaxIds: prefetchMinIds=${prefetchMinIds}, prefetchMaxIds=${prefetchMaxIds}`);
  }
  const prefetchAheadMs = int('prefetchAheadMs', 1, day);
  const failureThreshold = int('failureThreshold', 1, 1_000_000);
  const setAsideMs = int('setAsideMs', 1, day);
  const setAsideMaxMs = int('setAsideMaxMs', 1, day);
  if (setAsideMs > setAsideMaxMs) {
    problems.push(`setAsideMs must not exceed setAsideMaxMs: setAsideMs=${setAsideMs}, setAsideMaxMs=${setAsideMaxMs}`);
  }
  const healthCheckIntervalMs = int('healthCheckIntervalMs', 1, day);
  const tls = flag('tls', false);
  const prefetch = flag('prefetch', true);
  const healthChecks = flag('healthChecks', true);
  if (problems.length > 0) {
    throw new IdMintConfigurationError(problems);
  }
  return Object.freeze({
    endpoints: Object.freeze(endpoints),
    token: token ?? undefined,
    tls,
    idType,
    deadlineMs,
    attemptTimeoutMs,
    maxBatchSize,
    prefetch,
    prefetchNamespaces,
    prefetchMinIds,
    prefetchMaxIds,
    prefetchAheadMs,
    failureThreshold,
    setAsideMs,
    setAsideMaxMs,
    healthChecks,
    healthCheckIntervalMs,
  });
}

/** The server's namespace rule, checked here so a bad name never leaves the process. */
export function checkNamespace(namespace: unknown): string {
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace)) {
    throw new IdMintInvalidArgumentError(`namespace must match ${NAMESPACE_PATTERN}: ${JSON.stringify(namespace) ?? String(namespace)}`, null);
  }
  return namespace;
}

export function checkCount(count: unknown): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new IdMintInvalidArgumentError(`count must be between 1 and ${MAX_COUNT}, was ${String(count)}`, null);
  }
  return count;
}
