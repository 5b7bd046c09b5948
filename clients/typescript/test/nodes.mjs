// Real idmint nodes for the tests: each a `java -jar idmint-server.jar serve` child process on a
// free 127.0.0.1 port with its own temporary directory. One node alone runs on its embedded H2;
// several nodes share the PostgreSQL at 127.0.0.1:5432 (user postgres, database test) in a schema
// of this suite's own, which the nodes create and migrate themselves.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const SERVER_JAR =
  process.env.IDMINT_SERVER_JAR ?? resolve(here, '..', '..', '..', 'idmint-server', 'target', 'idmint-server.jar');
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
export const PG_HOST = process.env.IDMINT_TEST_PG_HOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.IDMINT_TEST_PG_PORT ?? 5432);
const CI = (process.env.CI ?? '').toLowerCase() === 'true';

/**
 * A test's way to say it cannot run here: a skip with how to fix it locally, a failure under
 * CI=true (where every test must run).
 */
export function unavailable(t, message) {
  if (CI) {
    throw new Error(`CI=true, so this test may not skip: ${message}`);
  }
  t.skip(message);
}

/** Why no node can be started here, or undefined when one can. */
export function whyNoServer() {
  if (!existsSync(SERVER_JAR)) {
    return `no server jar at ${SERVER_JAR}: build it with ./mvnw -o -q -B -pl idmint-server -am -DskipTests package (or set IDMINT_SERVER_JAR)`;
  }
  if (spawnSync(JAVA, ['-version']).error !== undefined) {
    return `no java at ${JAVA}: install a JDK 17+ or set JAVA_HOME`;
  }
  return undefined;
}

/** Why the shared PostgreSQL cannot be used, or undefined when it answers. */
export function whyNoPostgres() {
  return new Promise((done) => {
    const socket = createConnection({ host: PG_HOST, port: PG_PORT, timeout: 1_000 });
    const fail = (why) => {
      socket.destroy();
      done(`PostgreSQL is not reachable at ${PG_HOST}:${PG_PORT} (${why}): start it (user postgres, trust, database test) or set IDMINT_TEST_PG_HOST/IDMINT_TEST_PG_PORT`);
    };
    socket.on('connect', () => {
      socket.destroy();
      done(undefined);
    });
    socket.on('timeout', () => fail('timeout'));
    socket.on('error', (e) => fail(e.message));
  });
}

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** A PostgreSQL coordinator in `schema` (created by the nodes on first start). */
export function postgresConfig(schema) {
  return (
    `coordinator:\n  url: jdbc:postgresql://${PG_HOST}:${PG_PORT}/test?currentSchema=${schema}\n` +
    '  options: { user: postgres, pool-size: 2 }\n'
  );
}

export class TestNode {
  constructor(port, dir, child, output) {
    this.port = port;
    this.dir = dir;
    this.child = child;
    this.output = output;
    this.endpoint = `127.0.0.1:${port}`;
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  }

  /** Starts a node and resolves once it says it listens; `configYaml` undefined: embedded H2. */
  static async start(configYaml, withinMs = 90_000) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'idmint-ts-node-'));
    const args = [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-XX:-UsePerfData',
      '-Djava.net.preferIPv4Stack=true',
      '-jar',
      SERVER_JAR,
      'serve',
      '--port',
      String(port),
      '--data-dir',
      join(dir, 'data'),
    ];
    if (configYaml !== undefined) {
      writeFileSync(join(dir, 'idmint.yaml'), configYaml);
      args.push('--config', join(dir, 'idmint.yaml'));
    }
    const child = spawn(JAVA, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    const node = new TestNode(port, dir, child, output);
    await new Promise((done, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`node on port ${port} did not listen within ${withinMs} ms:\n${output.join('')}`));
      }, withinMs);
      const onData = (chunk) => {
        const text = chunk.toString();
        output.push(text);
        if (output.join('').includes('idmint listening on port')) {
          clearTimeout(timer);
          done();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (e) => {
        clearTimeout(timer);
        fail(new Error(`could not start ${JAVA}: ${e.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`node on port ${port} exited (${code ?? signal}) before listening:\n${output.join('')}`));
      });
    });
    // Keep reading so the child never blocks on a full pipe.
    return node;
  }

  /** kill -9, and wait until the process is gone. */
  async kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  async close() {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The worker number in a raw ID of the default layout (41 bits time, 10 worker, 12 sequence). */
export function workerOf(id) {
  return Number((BigInt(id) >> 12n) & 1023n);
}

/** The wall-clock milliseconds in a raw ID of the default layout (epoch 2025-01-01T00:00:00Z). */
export function millisOf(id) {
  return Number(BigInt(id) >> 22n) + Date.UTC(2025, 0, 1);
}

/** Asserts no duplicate among `ids` (decimal strings); returns how many there are. */
export function assertUnique(ids) {
  const sorted = BigInt64Array.from(ids, (s) => BigInt(s)).sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new Error(`ID ${sorted[i]} was handed out twice (among ${sorted.length})`);
    }
    if (sorted[i - 1] <= 0n) {
      throw new Error(`a raw ID is not positive: ${sorted[i - 1]}`);
    }
  }
  return sorted.length;
}
