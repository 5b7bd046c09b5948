/**
 * Every error the client throws extends IdMintError. None of them carries an ID: a failed call
 * never yields a made-up or reused value.
 */
export class IdMintError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One try of one endpoint and why it gave no IDs. */
export interface Attempt {
  readonly endpoint: string;
  readonly reason: string;
}

/**
 * No endpoint served the call within its deadline and the prefetch buffer (if any) was empty.
 * `attempts` lists every try in order; the message groups them per endpoint and names endpoints
 * not tried. The one failure worth retrying later.
 */
export class IdMintUnavailableError extends IdMintError {
  readonly namespace: string;
  readonly deadlineMs: number;
  readonly attempts: readonly Attempt[];

  constructor(
    namespace: string,
    deadlineMs: number,
    attempts: readonly Attempt[],
    notTried: ReadonlyMap<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message(namespace, deadlineMs, attempts, notTried), options);
    this.namespace = namespace;
    this.deadlineMs = deadlineMs;
    this.attempts = Object.freeze([...attempts]);
  }
}

function message(
  namespace: string,
  deadlineMs: number,
  attempts: readonly Attempt[],
  notTried: ReadonlyMap<string, string>,
): string {
  let out = `no idmint endpoint served namespace ${namespace} within the deadline of ${deadlineMs} ms and no prefetched ID was left`;
  const byEndpoint = new Map<string, string[]>();
  for (const a of attempts) {
    const list = byEndpoint.get(a.endpoint) ?? [];
    list.push(a.reason);
    byEndpoint.set(a.endpoint, list);
  }
  if (byEndpoint.size === 0) {
    out += '; no attempt finished yet';
  }
  for (const [endpoint, reasons] of byEndpoint) {
    out += `; ${endpoint}: ${reasons.length}${reasons.length === 1 ? ' attempt, ' : ' attempts, last '}${reasons[reasons.length - 1]}`;
  }
  for (const [endpoint, state] of notTried) {
    if (!byEndpoint.has(endpoint)) {
      out += `; ${endpoint}: not tried (${state})`;
    }
  }
  return out;
}

/**
 * A request no endpoint can serve as asked; never retried, because every node would answer the
 * same. `endpoint` names the node that answered, or is null when the client refused the request
 * before sending it.
 */
export abstract class IdMintRequestError extends IdMintError {
  readonly endpoint: string | null;

  constructor(message: string, endpoint: string | null) {
    super(endpoint === null ? message : `${message} (answered by ${endpoint})`);
    this.endpoint = endpoint;
  }
}

/** A bad namespace name or count (caught before sending), or the node's INVALID_ARGUMENT. */
export class IdMintInvalidArgumentError extends IdMintRequestError {}

/** The node does not serve the namespace (NOT_FOUND). */
export class IdMintNamespaceNotFoundError extends IdMintRequestError {
  readonly namespace: string;

  constructor(namespace: string, message: string, endpoint: string | null) {
    super(message, endpoint);
    this.namespace = namespace;
  }
}

/** No token, or a token the node does not know. */
export class IdMintUnauthenticatedError extends IdMintRequestError {}

/** The token may not use the namespace. */
export class IdMintPermissionDeniedError extends IdMintRequestError {}

/**
 * `nextPublicId` on a namespace without a public-ID codec. Remembered for 30 s per namespace, so
 * calls fail fast; the raw IDs of that answer are thrown away, never handed out.
 */
export class IdMintPublicIdUnsupportedError extends IdMintRequestError {
  readonly namespace: string;

  constructor(namespace: string, endpoint: string | null) {
    super(
      `namespace ${namespace} has no public-ID codec: the server returned raw IDs without public IDs`,
      endpoint,
    );
    this.namespace = namespace;
  }
}

/** The options given to the constructor have problems; `problems` lists every one. */
export class IdMintConfigurationError extends IdMintError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid idmint client configuration: ${problems.join('; ')}`);
    this.problems = Object.freeze([...problems]);
  }
}

/** A call on a closed client, or a call still waiting when the client was closed. */
export class IdMintClosedError extends IdMintError {
  constructor() {
    super('the idmint client is closed');
  }
}
