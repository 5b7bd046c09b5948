// Drives /console in Debian's headless Chromium through playwright-core (no downloaded browser).
// Run by ConsoleBrowserTest:
//   node console.spec.mjs <base-url> <admin-token> <admin|no-admin> <screenshot.png> [<id-token> [<node-to-drain>]]
// "admin": the node has the admin API on (and <node-to-drain> is drained from its row); "no-admin":
// it answers 403/404 there and the page must say so.
// Exits 0 and prints one JSON line of what it saw; exits 1 with the reason otherwise.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { build as compileTemplates } from './compile-templates.mjs';

const [base, token, mode, screenshot, idToken, drainNode] = process.argv.slice(2);
if (!base || !token || !['admin', 'no-admin'].includes(mode) || !screenshot) {
  console.error('usage: node console.spec.mjs <base-url> <admin-token> <admin|no-admin> <screenshot.png> [<id-token> [<node-to-drain>]]');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT = 20_000;

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

// The page runs precompiled templates: a template edited without recompiling fails here.
const templatesFile = new URL('../../main/resources/console/console.templates.js', import.meta.url);
if (readFileSync(templatesFile, 'utf8') !== compileTemplates()) {
  console.error('console test failed: console.templates.js is stale: run node idmint-server/src/test/console/compile-templates.mjs');
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), 'idmint-console-chromium-'));
let context;
let page;
const problems = [];
try {
  // launchPersistentContext is how playwright takes a fresh --user-data-dir.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  if (process.env.CONSOLE_SPEC_DEBUG) {
    page.on('request', (r) => console.error('request', r.method(), r.url(), JSON.stringify(r.headers())));
  }
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // Failed API calls (4xx the test provokes) log as errors too; only script and CSP errors count.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) {
      problems.push('console error: ' + m.text());
    }
  });
  const seen = {};

  // 1. The shell loads and asks for a token; it shows no data before that.
  const response = await page.goto(base + '/console');
  check(response.status() === 200, 'GET /console answered ' + response.status());
  check((await page.title()) === 'idmint console', 'unexpected title ' + (await page.title()));
  await page.locator('#admin-token').waitFor();
  check((await page.locator('#nodes').count()) === 0, 'node list shown before sign-in');

  // 2. A wrong token is refused with the API's error (only the admin API can tell).
  if (mode === 'admin') {
    await page.fill('#admin-token', 'not-the-admin-token-at-all');
    await page.click('#sign-in');
    const error = await page.locator('#sign-in-error').textContent();
    check(/401/.test(error) && /UNAUTHENTICATED/.test(error), 'wrong token: ' + error);
    check((await page.evaluate(() => sessionStorage.length)) === 0, 'a refused token was stored');
    seen.wrongTokenError = error.trim();
  }

  // 3. Sign in.
  await page.fill('#admin-token', token);
  if (idToken) {
    await page.click('#signin-details summary');
    await page.fill('#id-token', idToken);
  }
  await page.click('#sign-in');

  await page.locator('#namespaces tbody tr').first().waitFor();
  seen.namespaces = await page.locator('#namespaces tbody tr .strong').allTextContents();
  seen.exhaustion = (await page.locator('#namespaces tbody tr', { hasText: 'order' }).locator('td').nth(2).textContent()).trim();

  // 4. The nodes, or a clear message when this node has no admin API.
  if (mode === 'admin') {
    await page.locator('#nodes tbody tr').first().waitFor();
    seen.nodes = await page.locator('#nodes tbody tr').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
  } else {
    seen.adminMessage = (await page.locator('#admin-unavailable').textContent()).trim();
    check(/admin API is (not available|disabled) on this node/.test(seen.adminMessage), 'admin message: ' + seen.adminMessage);
  }

  // 5. Mint a few.
  await page.selectOption('#mint select', 'order');
  await page.fill('#mint-count', '3');
  await page.click('#mint-button');
  await page.locator('#minted tbody tr').nth(2).waitFor();
  seen.minted = await page.locator('#minted tbody tr td.mono').allTextContents();

  // 6. A bad ID shows the JSON error's code and message.
  await page.fill('#decode-input', 'not-an-id');
  await page.click('#decode');
  seen.decodeError = (await page.locator('#decode-error').textContent()).trim();
  check(/HTTP 400 INVALID_ARGUMENT/.test(seen.decodeError), 'decode error: ' + seen.decodeError);

  // 7. Decode the first minted ID by its button, then its public form typed in.
  await page.locator('#minted tbody tr').first().locator('button').click();
  await page.locator('#decoded').waitFor();
  seen.decoded = await facts(page);
  if (seen.decoded['public ID']) {
    await page.fill('#decode-input', seen.decoded['public ID']);
    await page.click('#decode');
    await page.waitForFunction(
      (raw) => document.querySelector('#decoded') && document.querySelector('#decoded').textContent.includes(raw),
      seen.decoded['raw ID']);
    seen.decodedPublic = await facts(page);
  }

  // 7b. The kinds of issue 15, where the node defines them (web: snowflake js-safe, evt: uuid7,
  // ord: pattern). Each definition is shown by its kind. IDs minted from the js-safe namespace are
  // exact in a JavaScript Number (the check is also run on the default layout's IDs above, where
  // it must fail); UUIDs and business numbers are minted, listed and decoded as text.
  const names = await page.locator('#namespaces tbody tr .strong').allTextContents();
  if (['web', 'evt', 'ord'].every((n) => names.includes(n))) {
    seen.formats = {};
    for (const name of ['order', 'web', 'evt', 'ord']) {
      const row = page.locator('#namespaces tbody tr', {
        has: page.locator('.strong', { hasText: new RegExp('^' + name + '$') }),
      });
      seen.formats[name] = (await row.locator('td.format').textContent()).replace(/\s+/g, ' ').trim();
    }
    const exactInNumber = (ids) => page.evaluate(
      (list) => list.map((s) => Number.isSafeInteger(Number(s)) && String(Number(s)) === s), ids);
    seen.defaultLayoutExact = await exactInNumber(seen.minted.filter((t) => /^[0-9]+$/.test(t)));

    await page.selectOption('#mint select', 'web');
    await page.fill('#mint-count', '50');
    await page.click('#mint-button');
    await page.locator('#minted tbody tr').nth(49).waitFor();
    seen.jsSafe = await page.locator('#minted tbody tr td.mono').allTextContents();
    seen.jsSafeExact = await exactInNumber(seen.jsSafe);
    check(seen.jsSafe.length === 50, 'js-safe: minted ' + seen.jsSafe.length);
    check(seen.jsSafeExact.every((x) => x === true), 'a js-safe ID is not exact in a Number: ' + seen.jsSafe);

    await page.selectOption('#mint select', 'evt');
    await page.fill('#mint-count', '3');
    await page.click('#mint-button');
    await page.locator('#minted[data-kind="uuid7"] tbody tr').nth(2).waitFor();
    seen.uuidHeader = (await page.locator('#minted thead th').first().textContent()).trim();
    seen.uuids = await page.locator('#minted tbody tr td.mono').allTextContents();
    await page.locator('#minted tbody tr').first().locator('button').click();
    await page.waitForFunction(
      (u) => document.querySelector('#decoded') && document.querySelector('#decoded').textContent.includes(u),
      seen.uuids[0]);
    seen.decodedUuid = await facts(page);

    await page.selectOption('#mint select', 'ord');
    await page.click('#mint-button');
    await page.locator('#minted[data-kind="pattern"] tbody tr').nth(2).waitFor();
    seen.numberHeader = (await page.locator('#minted thead th').first().textContent()).trim();
    seen.numbers = await page.locator('#minted tbody tr td.mono').allTextContents();
    await page.locator('#minted tbody tr').first().locator('button').click();
    await page.waitForFunction(
      (n) => document.querySelector('#decoded') && document.querySelector('#decoded').textContent.includes(n),
      seen.numbers[0]);
    seen.decodedNumber = await facts(page);
    await page.selectOption('#mint select', 'order');
  }

  // 8. The rate chart draws a line once successive polls saw IDs being issued.
  await page.click('#mint-button');
  await page.waitForFunction(
    () => [...document.querySelectorAll('#rates-namespace path.line')].some((p) => /L/.test(p.getAttribute('d') || '')),
    null, { timeout: 30_000 });
  seen.legend = (await page.locator('#rates-namespace .legend').textContent()).replace(/\s+/g, ' ').trim();

  // 9. Drain a node from its row (after a confirm); the row turns DRAINING or DRAINED.
  if (mode === 'admin' && drainNode) {
    const row = page.locator('#nodes tbody tr', { hasText: drainNode });
    page.once('dialog', (dialog) => dialog.accept());
    await row.locator('button', { hasText: 'Drain' }).click();
    await row.locator('.tag', { hasText: /DRAIN(ING|ED)/ }).waitFor();
    seen.afterDrain = (await row.locator('.tag').textContent()).trim();
  }

  await page.screenshot({ path: screenshot, fullPage: true });

  // 10. Tokens are kept in memory only: nothing in the page's storage while signed in, and a
  // reload asks for the token again. Signing out forgets it too.
  check((await page.evaluate(() => sessionStorage.length + localStorage.length)) === 0,
    'a token was written to web storage');
  check(!(await page.evaluate(() => document.cookie)), 'a cookie was set');
  await page.reload();
  await page.locator('#admin-token').waitFor();
  check((await page.locator('#namespaces').count()) === 0, 'data shown after a reload without a token');
  await page.fill('#admin-token', token);
  if (idToken) {
    await page.click('#signin-details summary');
    await page.fill('#id-token', idToken);
  }
  await page.click('#sign-in');
  await page.locator('#namespaces tbody tr').first().waitFor();
  await page.click('#sign-out');
  await page.locator('#admin-token').waitFor();
  check((await page.evaluate(() => sessionStorage.length + localStorage.length)) === 0,
    'a token was written to web storage');

  check(problems.length === 0, 'browser reported: ' + problems.join(' | '));
  console.log(JSON.stringify(seen));
} catch (e) {
  console.error('console test failed: ' + (e && e.message ? e.message : e));
  if (problems.length) {
    console.error('browser reported: ' + problems.join(' | '));
  }
  process.exitCode = 1;
  if (page) {
    await page.screenshot({ path: screenshot.replace(/\.png$/, '') + '-failed.png', fullPage: true }).catch(() => {});
  }
} finally {
  if (context) {
    await context.close();
  }
  rmSync(profile, { recursive: true, force: true });
}

async function facts(page) {
  return page.locator('#decoded').evaluate((dl) => {
    const out = {};
    const dts = dl.querySelectorAll('dt');
    for (const dt of dts) {
      out[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim();
    }
    return out;
  });
}
