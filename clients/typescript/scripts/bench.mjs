// Warm-buffer throughput of the Node.js client: `await ids.nextId(ns)` in a loop on one event
// loop, after the prefetch buffer was filled, so no call leaves the process.
// Usage: npm run build && node scripts/bench.mjs [host:port]   (no endpoint: starts a node from the
// server jar on embedded H2, like the tests). Prints one line per round and the best round.
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { IdMintClient } from '../dist/esm/index.js';
import { TestNode } from '../test/nodes.mjs';

const CALLS = 900_000;
const BUFFER = 2_000_000;
const ROUNDS = 5;

const node = process.argv[2] === undefined ? await TestNode.start(undefined) : undefined;
const endpoint = process.argv[2] ?? node.endpoint;
const ids = new IdMintClient({ endpoints: [endpoint], prefetchMinIds: BUFFER, prefetchMaxIds: BUFFER, deadlineMs: 30_000, attemptTimeoutMs: 10_000 });
try {
  const rates = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await ids.nextId('default'); // starts the refill
    while (ids.bufferedIds('default') < BUFFER * 0.95) {
      await new Promise((r) => setTimeout(r, 50));
    }
    let last = '';
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) {
      last = await ids.nextId('default');
    }
    const seconds = (performance.now() - started) / 1000;
    if (!last) throw new Error('no ID');
    rates.push(CALLS / seconds);
    console.log(`round ${round}: ${CALLS} nextId() in ${seconds.toFixed(3)} s = ${(CALLS / seconds / 1e6).toFixed(2)} M IDs/s`);
  }
  console.log(`best ${(Math.max(...rates) / 1e6).toFixed(2)} M IDs/s, median ${(rates.sort((a, b) => a - b)[2] / 1e6).toFixed(2)} M IDs/s; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  ids.close();
  await node?.close();
}
