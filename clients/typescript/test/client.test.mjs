// The Node.js client against real idmint nodes started from the server jar.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import {
  IdMintClient,
  IdMintClosedError,
  IdMintConfigurationError,
  IdMintInvalidArgumentError,
  IdMintNamespaceNotFoundError,
  IdMintPublicIdUnsupportedError,
  IdMintUnavailableError,
} from '../dist/esm/index.js';
import {
  assertUnique,
  freePort,
  millisOf,
  postgresConfig,
  TestNode,
  unavailable,
  whyNoPostgres,
  whyNoServer,
  workerOf,
} from './nodes.mjs';

const NS = 'default';

/**
 * The first calls to a fresh JVM load classes and open connections for far longer than an attempt
 * timeout; the tests are about failover and uniqueness, not cold starts, so each node serves a few
 * batches first (their IDs are simply never used).
 */
async function warm(node) {
  const client = new IdMintClient({ endpoints: [node.endpoint], prefetch: false, deadlineMs: 60_000, attemptTimeoutMs: 30_000 });
  try {
    for (let i = 0; i < 20; i++) await client.nextIds(NS, 10_000);
  } finally {
    client.close();
  }
}
const TWO_POW_53 = 2n ** 53n;

describe('one node on embedded H2', () => {
  let node;
  let why;

  before(async () => {
    why = whyNoServer();
    if (why === undefined) {
      node = await TestNode.start(undefined);
      await warm(node);
    }
  });

  after(async () => {
    await node?.close();
  });

  test('a 64-bit ID above 2^53 arrives exact, as a string and as a bigint', async (t) => {
    if (why !== undefined) return unavailable(t, why);
    const strings = new IdMintClient({ endpoints: [node.endpoint] });
    const bigints = new IdMintClient({ endpoints: [node.endpoint], idType: 'bigint' });
    try {
      const ids = await strings.nextIds(NS, 2_000);
      let notANumber = 0;
      for (const id of ids) {
        assert.equal(typeof id, 'string');
        assert.match(id, /^[1-9][0-9]*$/);
        assert.ok(BigInt(id) > TWO_POW_53, `${id} is above 2^53`);
        if (String(Number(id)) !== id) notANumber++;
      }
      // A client that went through `number` would have changed most of these.
      assert.ok(notANumber > ids.length / 2, `${notANumber} of ${ids.length} IDs are not exact as a number`);

      // The node takes the same digits apart: its own echo and the time bits agree.
      const id = await strings.nextId(NS);
      const answer = await fetch(`http://${node.endpoint}/v1/namespaces/${NS}/ids/${id}`);
      assert.equal(answer.status, 200);
      const text = await answer.text();
      assert.ok(text.includes(`"id":"${id}"`), text);
      const decoded = JSON.parse(text);
      assert.equal(Date.parse(decoded.timestamp), millisOf(id));
      assert.ok(Math.abs(millisOf(id) - Date.now()) < 60_000, `timestamp of ${id} is now`);

      const big = await bigints.nextId(NS);
      assert.equal(typeof big, 'bigint');
      assert.ok(big > TWO_POW_53);
      const bigBatch = await bigints.nextIds(NS, 10);
      assert.ok(bigBatch.every((b) => typeof b === 'bigint' && b > TWO_POW_53));
      assertUnique([...ids, id, String(big), ...bigBatch.map(String)]);
    } finally {
      strings.close();
      bigints.close();
    }
  });

  test('bad input and unknown namespaces get typed errors, never an ID', async (t) => {
    if (why !== undefined) return unavailable(t, why);
    assert.throws(
      () => new IdMintClient({ endpoints: ['nohost', node.endpoint, node.endpoint], deadlineMs: 0, idType: 'number' }),
      (e) =>
        e instanceof IdMintConfigurationError &&
        e.problems.length === 4 &&
        e.problems.some((p) => p.includes('"nohost"')) &&
        e.problems.some((p) => p.includes('listed twice')) &&
        e.problems.some((p) => p.includes('deadlineMs=0')) &&
        e.problems.some((p) => p.includes('idType')),
    );
    const ids = new IdMintClient({ endpoints: [node.endpoint] });
    try {
      await assert.rejects(ids.nextId('Bad Name'), (e) => e instanceof IdMintInvalidArgumentError && e.endpoint === null && e.message.includes('"Bad Name"'));
      await assert.rejects(ids.nextIds(NS, 0), (e) => e instanceof IdMintInvalidArgumentError && e.message === 'count must be between 1 and 1000000, was 0');
      await assert.rejects(ids.nextIds(NS, 2.5), IdMintInvalidArgumentError);
      await assert.rejects(ids.nextId('nope'), (e) => e instanceof IdMintNamespaceNotFoundError && e.endpoint === node.endpoint && e.namespace === 'nope');
      // The default namespace has no public-ID codec: the raw IDs of that answer are not handed out as public ones.
      await assert.rejects(ids.nextPublicId(NS), (e) => e instanceof IdMintPublicIdUnsupportedError && e.namespace === NS);
      await assert.rejects(ids.nextPublicId(NS), IdMintPublicIdUnsupportedError); // remembered
      const direct = new IdMintClient({ endpoints: [node.endpoint], prefetch: false });
      await assert.rejects(direct.nextPublicId(NS), IdMintPublicIdUnsupportedError);
      direct.close();
    } finally {
      ids.close();
    }
    await assert.rejects(ids.nextId(NS), IdMintClosedError);
  });

  test('the CommonJS build works the same', async (t) => {
    if (why !== undefined) return unavailable(t, why);
    const cjs = createRequire(import.meta.url)('../dist/cjs/index.js');
    const ids = new cjs.IdMintClient({ endpoints: [node.endpoint], idType: 'bigint' });
    try {
      const id = await ids.nextId(NS);
      assert.equal(typeof id, 'bigint');
      assert.ok(id > TWO_POW_53);
      await assert.rejects(ids.nextId('nope'), cjs.IdMintNamespaceNotFoundError);
    } finally {
      ids.close();
    }
  });

  test('all nodes down: IdMintUnavailableError within the deadline, listing every attempt', async (t) => {
    if (why !== undefined) return unavailable(t, why);
    const deadlineMs = 1_500;
    const dead = `127.0.0.1:${await freePort()}`;
    const direct = new IdMintClient({ endpoints: [node.endpoint, dead], deadlineMs, attemptTimeoutMs: 300, prefetch: false });
    const buffered = new IdMintClient({ endpoints: [node.endpoint, dead], deadlineMs, attemptTimeoutMs: 300, prefetchMinIds: 100, prefetchMaxIds: 100 });
    try {
      assert.match(await direct.nextId(NS), /^[1-9][0-9]*$/);
      assert.match(await buffered.nextId(NS), /^[1-9][0-9]*$/);
      await node.kill();

      const started = performance.now();
      const error = await direct.nextId(NS).then(
        (id) => assert.fail(`no node runs, yet got ${id}`),
        (e) => e,
      );
      const tookMs = performance.now() - started;
      assert.ok(error instanceof IdMintUnavailableError, String(error));
      assert.ok(tookMs <= deadlineMs + 300, `failed after ${tookMs} ms, deadline ${deadlineMs} ms`);
      assert.ok(tookMs >= deadlineMs - 100, `kept trying until the deadline: ${tookMs} ms`);
      assert.equal(error.namespace, NS);
      assert.equal(error.deadlineMs, deadlineMs);
      const tried = new Set(error.attempts.map((a) => a.endpoint));
      assert.deepEqual([...tried].sort(), [node.endpoint, dead].sort());
      assert.ok(error.message.includes(node.endpoint) && error.message.includes(dead), error.message);

      // A buffered client hands out what it holds, then fails the same way: never a made-up ID.
      const served = [];
      let last;
      for (let i = 0; i < 1_000 && last === undefined; i++) {
        const t0 = performance.now();
        try {
          served.push(await buffered.nextId(NS));
        } catch (e) {
          last = { e, tookMs: performance.now() - t0 };
        }
      }
      assert.ok(last !== undefined, 'the buffer ran dry');
      assert.ok(last.e instanceof IdMintUnavailableError, String(last.e));
      assert.ok(last.tookMs <= deadlineMs + 300, `failed after ${last.tookMs} ms`);
      assert.ok(served.length < 1_000, `${served.length} IDs served from the buffer`);
      assertUnique(served);
    } finally {
      direct.close();
      buffered.close();
    }
  });
});

describe('two nodes on one PostgreSQL', () => {
  const nodes = [];
  let why;

  before(async () => {
    why = whyNoServer() ?? (await whyNoPostgres());
    if (why === undefined) {
      const config = postgresConfig('clients_ts_test');
      // One after the other: the first migrates the schema.
      nodes.push(await TestNode.start(config));
      nodes.push(await TestNode.start(config));
      await Promise.all(nodes.map(warm));
    }
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  test('1,000,000 IDs from two nodes through one client, none twice', async (t) => {
    if (why !== undefined) return unavailable(t, why);
    const ids = new IdMintClient({ endpoints: nodes.map((n) => n.endpoint) });
    try {
      const all = [];
      const target = 1_000_000;
      // Eight concurrent callers, mixing single IDs (the buffer) and batches (buffer + nodes). Each
      // yields to the event loop between rounds, as a service handling requests does: a caller
      // that never yields would hold back the refill's network I/O until the buffer ran dry.
      await Promise.all(
        Array.from({ length: 8 }, async (_, k) => {
          while (all.length < target) {
            if (k % 2 === 0) {
              for (let i = 0; i < 1_000; i++) all.push(await ids.nextId(NS));
            } else {
              for (const id of await ids.nextIds(NS, 5_000)) all.push(id);
            }
            await new Promise(setImmediate);
          }
        }),
      );
      assert.ok(assertUnique(all) >= target);
      const workers = new Set(all.map(workerOf));
      assert.equal(workers.size, 2, `both nodes served: workers ${[...workers]}`);
    } finally {
      ids.close();
    }
  });

  test('a node killed mid-run: no call fails, none gets an ID twice', async (t) => {
    if (why !== undefined) return unavailable(t, why);
    // Prefetch off: every call goes to a node, so the kill is met by calls, not hidden by a buffer.
    const direct = new IdMintClient({ endpoints: nodes.map((n) => n.endpoint), prefetch: false });
    const buffered = new IdMintClient({ endpoints: nodes.map((n) => n.endpoint) });
    try {
      const got = [];
      const failures = [];
      let stop = false;
      const loop = async (client) => {
        while (!stop) {
          try {
            got.push(await client.nextId(NS));
          } catch (e) {
            failures.push(e);
          }
        }
      };
      const running = [loop(direct), loop(direct), loop(direct), loop(buffered)];
      await new Promise((r) => setTimeout(r, 1_500));
      const before = got.length;
      await nodes[0].kill();
      const killedAt = got.length;
      await new Promise((r) => setTimeout(r, 3_000));
      stop = true;
      await Promise.all(running);
      assert.deepEqual(failures.map(String), []);
      assert.ok(before > 100, `${before} calls before the kill`);
      assert.ok(got.length - killedAt > 100, `${got.length - killedAt} calls after the kill`);
      assertUnique(got);
      const after = await direct.nextIds(NS, 100);
      const survivor = new Set(after.map(workerOf));
      assert.equal(survivor.size, 1, 'only the surviving node serves now');
      assert.ok(direct.endpoints().some((e) => e.endpoint === nodes[0].endpoint && e.consecutiveFailures + (e.state === 'SET_ASIDE' ? 1 : 0) > 0));
    } finally {
      direct.close();
      buffered.close();
    }
  });
});
