// The idmint console: one page, no build step. Vue 3 (global build, from the WebJar the node
// serves) renders it; all data comes from the node's admin and ID APIs with the operator's token.
'use strict';

(function () {
  const root = document.getElementById('app');
  if (!window.Vue) {
    root.textContent =
      'The console could not load Vue from /console/vendor/vue/. Is this jar built with its WebJar?';
    return;
  }
  const { createApp, reactive, computed, onMounted, onBeforeUnmount } = window.Vue;

  const TOKEN_KEY = 'idmint.console.adminToken';
  const ID_TOKEN_KEY = 'idmint.console.idToken';
  const POLL_MS = 2000;
  const WINDOW_MS = 3 * 60 * 1000;
  const COLORS = ['#409eff', '#67c23a', '#e6a23c', '#f56c6c', '#909399', '#9b59b6', '#16a085', '#d35400'];

  // ---- HTTP ---------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
    describe() {
      return (this.status ? 'HTTP ' + this.status + ' ' : '') + this.code + ': ' + this.message;
    }
  }

  /** One call; answers the parsed JSON body (or null), or throws ApiError from the JSON error. */
  async function call(method, path, token) {
    const headers = { Accept: 'application/json' };
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    let response;
    try {
      response = await fetch(path, { method, headers, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'NETWORK', 'could not reach the node (' + e.message + ')');
    }
    const text = await response.text();
    let body = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch (e) {
        body = undefined;
      }
    }
    if (!response.ok) {
      if (body && body.error && body.error.code) {
        throw new ApiError(response.status, body.error.code, body.error.message || '');
      }
      throw new ApiError(
        response.status,
        'HTTP_' + response.status,
        (text || response.statusText || 'no body').slice(0, 200));
    }
    if (body === undefined) {
      throw new ApiError(response.status, 'BAD_RESPONSE', 'the node answered with something that is not JSON');
    }
    return body;
  }

  // ---- Formatting ---------------------------------------------------------------------------

  function duration(ms) {
    const sign = ms < 0 ? '-' : '';
    let s = Math.floor(Math.abs(ms) / 1000);
    const years = Math.floor(s / (365.25 * 86400));
    if (years >= 2) {
      return sign + years + ' years';
    }
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    if (d > 0) {
      return sign + d + 'd ' + h + 'h';
    }
    if (h > 0) {
      return sign + h + 'h ' + m + 'm';
    }
    if (m > 0) {
      return sign + m + 'm ' + s + 's';
    }
    return sign + s + 's';
  }

  function until(iso, now) {
    if (!iso) {
      return '—';
    }
    const left = Date.parse(iso) - now;
    return left >= 0 ? 'in ' + duration(left) : duration(-left) + ' ago';
  }

  /** An instant to the millisecond (decoded IDs). */
  function preciseDate(iso) {
    return iso ? iso.replace('T', ' ').replace(/Z$/, ' UTC') : '—';
  }

  function date(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC') : '—';
  }

  function rateText(r) {
    if (r == null) {
      return '—';
    }
    if (r >= 1e6) {
      return (r / 1e6).toFixed(2) + ' M/s';
    }
    if (r >= 1e3) {
      return (r / 1e3).toFixed(1) + ' k/s';
    }
    return r.toFixed(r < 10 ? 1 : 0) + '/s';
  }

  function format(ns) {
    if (ns.snowflake) {
      const f = ns.snowflake;
      return 'snowflake ' + f.timestampBits + '+' + f.workerBits + '+' + f.sequenceBits + ' bits, '
        + f.timeUnit + ' ticks since ' + String(f.epoch).slice(0, 10);
    }
    if (ns.segment) {
      return 'segment, step ' + ns.segment.step;
    }
    return ns.strategy;
  }

  function publicFormat(ns) {
    const p = ns.publicId;
    return p ? p.prefix + '… (' + p.alphabet + ', ' + p.length + ' chars, key v' + p.current + ')' : '—';
  }

  /** Counters from Prometheus text: idmint_ids_issued_total by namespace (fallback without admin API). */
  function issuedFromMetrics(text) {
    const out = {};
    const re = /^idmint_ids_issued_total\{([^}]*)\}\s+([0-9.eE+]+)/gm;
    let m;
    while ((m = re.exec(text)) !== null) {
      const ns = /namespace="([^"]*)"/.exec(m[1]);
      if (ns) {
        out[ns[1]] = (out[ns[1]] || 0) + Number(m[2]);
      }
    }
    return out;
  }

  // ---- Rates from successive polls ------------------------------------------------------------

  /** Keeps (time, counter) per key; answers a series of rates per key. Counter drops (restart) reset. */
  function rateTracker() {
    const last = new Map();
    const points = new Map();
    return {
      add(key, t, counter) {
        const prev = last.get(key);
        last.set(key, { t, counter });
        if (!points.has(key)) {
          points.set(key, []);
        }
        if (prev && counter >= prev.counter && t > prev.t) {
          const list = points.get(key);
          list.push({ t, v: ((counter - prev.counter) * 1000) / (t - prev.t) });
          while (list.length && list[0].t < t - WINDOW_MS) {
            list.shift();
          }
        }
      },
      latest(key) {
        const list = points.get(key);
        return list && list.length ? list[list.length - 1].v : null;
      },
      series() {
        return [...points.keys()].sort().map((key, i) => ({
          name: key,
          color: COLORS[i % COLORS.length],
          points: points.get(key).slice(),
        }));
      },
      clear() {
        last.clear();
        points.clear();
      },
    };
  }

  // ---- Components -----------------------------------------------------------------------------

  const RateChart = {
    props: { series: Array, now: Number, label: String },
    setup(props) {
      const W = 640;
      const H = 160;
      const max = computed(() => {
        let m = 0;
        for (const s of props.series) {
          for (const p of s.points) {
            m = Math.max(m, p.v);
          }
        }
        return m <= 0 ? 1 : niceCeil(m);
      });
      const hasPoints = computed(() => props.series.some((s) => s.points.length > 0));
      function x(t) {
        return ((t - (props.now - WINDOW_MS)) / WINDOW_MS) * W;
      }
      function y(v) {
        return H - (v / max.value) * (H - 8);
      }
      function path(points) {
        return points.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1)).join(' ');
      }
      return { W, H, max, hasPoints, path, rateText, y };
    },
    template: `
      <div class="chart" :aria-label="label">
        <svg :viewBox="'0 0 ' + W + ' ' + (H + 18)" role="img">
          <line v-for="f in [0, 0.5, 1]" :key="f" class="grid" x1="0" :x2="W" :y1="y(max * f)" :y2="y(max * f)" />
          <path v-for="s in series" :key="s.name" class="line" :d="path(s.points)" :stroke="s.color" />
          <text class="axis" x="4" y="12">{{ rateText(max) }}</text>
          <text class="axis" x="4" :y="H + 14">3 min ago</text>
          <text class="axis" :x="W - 4" :y="H + 14" text-anchor="end">now</text>
        </svg>
        <p v-if="!hasPoints" class="muted">Rates appear after two polls.</p>
        <ul class="legend">
          <li v-for="s in series" :key="s.name">
            <span class="swatch" :style="{ background: s.color }"></span>{{ s.name }}
            <b>{{ rateText(s.points.length ? s.points[s.points.length - 1].v : null) }}</b>
          </li>
        </ul>
      </div>`,
  };

  function niceCeil(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const f of [1, 2, 5, 10]) {
      if (v <= f * p) {
        return f * p;
      }
    }
    return 10 * p;
  }

  const Meter = {
    props: { remaining: Number, capacity: Number },
    setup(props) {
      const pct = computed(() =>
        props.capacity > 0 ? Math.max(0, Math.min(100, (100 * props.remaining) / props.capacity)) : null);
      const level = computed(() => (pct.value == null ? '' : pct.value < 10 ? 'danger' : pct.value < 30 ? 'warning' : 'ok'));
      return { pct, level };
    },
    template: `
      <span class="meter" :class="level">
        <span v-if="pct != null" class="bar"><span class="fill" :style="{ width: pct + '%' }"></span></span>
        <span class="meter-text">{{ remaining == null ? '—' : remaining.toLocaleString('en') }}<template v-if="capacity != null"> / {{ capacity.toLocaleString('en') }}</template></span>
      </span>`,
  };

  // ---- The page -----------------------------------------------------------------------------

  const App = {
    components: { RateChart, 'meter-bar': Meter },
    setup() {
      const state = reactive({
        token: sessionStorage.getItem(TOKEN_KEY) || '',
        idToken: sessionStorage.getItem(ID_TOKEN_KEY) || '',
        tokenInput: '',
        idTokenInput: '',
        signingIn: false,
        signInError: null,
        admin: 'unknown', // available | missing | disabled | unknown
        adminMessage: '',
        nodes: [],
        nodesError: null,
        namespaces: [],
        namespacesError: null,
        namespacesSource: '',
        now: Date.now(),
        lastPoll: null,
        nsSeries: [],
        nodeSeries: [],
        errors: [],
        decodeNs: '',
        decodeInput: '',
        decoded: null,
        decodeError: null,
        mintNs: '',
        mintCount: 5,
        minted: null,
        mintError: null,
        busy: false,
        insecure: '', // the node's --insecure-no-auth warning from /health, shown as a banner
      });
      const nsRates = rateTracker();
      const nodeRates = rateTracker();
      let timer = null;
      let clockTimer = null;

      const signedIn = computed(() => state.token !== '');
      const idToken = () => state.idToken || state.token;

      function report(where, e) {
        const text = e instanceof ApiError ? e.describe() : String(e);
        // A failure repeated by every poll is one entry, not a growing list.
        const rest = state.errors.filter((x) => x.where !== where || x.text !== text);
        state.errors = [{ where, text, at: new Date().toISOString() }, ...rest].slice(0, 5);
        return text;
      }

      async function signIn() {
        const token = state.tokenInput.trim();
        state.signInError = null;
        if (!token) {
          state.signInError = 'Enter the admin token.';
          return;
        }
        state.signingIn = true;
        try {
          const admin = await probeAdmin(token);
          if (admin === 'rejected') {
            return;
          }
          state.token = token;
          state.idToken = state.idTokenInput.trim();
          sessionStorage.setItem(TOKEN_KEY, state.token);
          if (state.idToken) {
            sessionStorage.setItem(ID_TOKEN_KEY, state.idToken);
          } else {
            sessionStorage.removeItem(ID_TOKEN_KEY);
          }
          state.tokenInput = '';
          state.idTokenInput = '';
          start();
        } finally {
          state.signingIn = false;
        }
      }

      /** Checks the token on the admin API; answers 'rejected' when it must not be kept. */
      async function probeAdmin(token) {
        try {
          await call('GET', '/v1/admin/nodes', token);
          state.admin = 'available';
          state.adminMessage = '';
          return 'ok';
        } catch (e) {
          if (!(e instanceof ApiError)) {
            throw e;
          }
          if (e.status === 401) {
            state.signInError = 'The admin token was not accepted (' + e.describe() + ').';
            return 'rejected';
          }
          if (e.status === 404 || e.status === 405) {
            state.admin = 'missing';
            state.adminMessage = 'The admin API is not available on this node (' + e.describe()
              + '). Namespaces, decoding and minting still work; rates are this node\'s own, from /metrics.';
            return 'ok';
          }
          if (e.status === 403) {
            state.admin = 'disabled';
            state.adminMessage = 'The admin API is disabled on this node (' + e.describe() + ').';
            return 'ok';
          }
          state.signInError = 'Could not check the token: ' + e.describe();
          return 'rejected';
        }
      }

      function signOut() {
        stop();
        sessionStorage.removeItem(TOKEN_KEY);
        sessionStorage.removeItem(ID_TOKEN_KEY);
        Object.assign(state, {
          token: '', idToken: '', admin: 'unknown', adminMessage: '', nodes: [], namespaces: [],
          nsSeries: [], nodeSeries: [], errors: [], decoded: null, minted: null, nodesError: null,
          namespacesError: null, decodeError: null, mintError: null,
        });
        nsRates.clear();
        nodeRates.clear();
      }

      let polling = false;

      async function poll() {
        if (polling) {
          return; // the previous poll is still waiting for a slow node
        }
        polling = true;
        try {
          await pollOnce();
        } finally {
          polling = false;
        }
      }

      async function pollOnce() {
        const t = Date.now();
        state.now = t;
        if (state.admin === 'available') {
          await Promise.all([pollNodes(t), pollAdminNamespaces()]);
        } else {
          await Promise.all([pollPublicNamespaces(), pollMetrics(t)]);
        }
        if (!signedIn.value) {
          return;
        }
        state.lastPoll = new Date(t).toISOString();
        state.nsSeries = nsRates.series();
        state.nodeSeries = nodeRates.series();
      }

      async function pollNodes(t) {
        try {
          const body = await call('GET', '/v1/admin/nodes', state.token);
          if (!signedIn.value) {
            return; // signed out while the call was under way
          }
          state.nodes = body.nodes || [];
          state.nodesError = null;
          const perNs = {};
          for (const node of state.nodes) {
            let total = 0;
            for (const [ns, v] of Object.entries(node.namespaces || {})) {
              total += v.issued || 0;
              perNs[ns] = (perNs[ns] || 0) + (v.issued || 0);
            }
            nodeRates.add(node.nodeId, t, total);
          }
          // A node leaving the list makes the namespace sum drop; the tracker then restarts.
          for (const [ns, total] of Object.entries(perNs)) {
            nsRates.add(ns, t, total);
          }
        } catch (e) {
          state.nodesError = report('nodes', e);
          if (e.status === 401) {
            signOut();
            state.signInError = 'The admin token is no longer accepted (' + e.describe() + '). Sign in again.';
          }
        }
      }

      async function pollAdminNamespaces() {
        try {
          const body = await call('GET', '/v1/admin/namespaces', state.token);
          setNamespaces(body.namespaces || [], 'registry (admin API)');
        } catch (e) {
          state.namespacesError = report('namespaces', e);
        }
      }

      async function pollPublicNamespaces() {
        try {
          const body = await call('GET', '/v1/namespaces', idToken());
          setNamespaces(body.namespaces || [], 'this node (/v1/namespaces)');
        } catch (e) {
          state.namespacesError = report('namespaces', e);
        }
      }

      async function pollMetrics(t) {
        try {
          // With auth on, /metrics needs a token with the metrics scope.
          const headers = idToken() ? { Authorization: 'Bearer ' + idToken() } : {};
          const response = await fetch('/metrics', { headers, cache: 'no-store' });
          if (!response.ok) {
            return;
          }
          const issued = issuedFromMetrics(await response.text());
          let total = 0;
          for (const [ns, n] of Object.entries(issued)) {
            nsRates.add(ns, t, n);
            total += n;
          }
          nodeRates.add('this node', t, total);
        } catch (e) {
          // Rates are a nicety without the admin API; the namespace poll reports reachability.
        }
      }

      function setNamespaces(list, source) {
        if (!signedIn.value) {
          return;
        }
        state.namespaces = list;
        state.namespacesError = null;
        state.namespacesSource = source;
        if (!list.some((ns) => ns.name === state.decodeNs)) {
          state.decodeNs = list.length ? list[0].name : '';
        }
        if (!list.some((ns) => ns.name === state.mintNs)) {
          state.mintNs = list.length ? list[0].name : '';
        }
      }

      async function decode() {
        state.decodeError = null;
        state.decoded = null;
        const id = state.decodeInput.trim();
        if (!state.decodeNs || !id) {
          state.decodeError = 'Choose a namespace and paste a raw or public ID.';
          return;
        }
        try {
          state.decoded = await call(
            'GET',
            '/v1/namespaces/' + encodeURIComponent(state.decodeNs) + '/ids/' + encodeURIComponent(id),
            idToken());
        } catch (e) {
          state.decodeError = e instanceof ApiError ? e.describe() : String(e);
        }
      }

      async function mint() {
        state.mintError = null;
        state.minted = null;
        // Sent as typed: the server checks the range and says what it accepts.
        const count = String(state.mintCount).trim();
        if (!state.mintNs) {
          state.mintError = 'Choose a namespace.';
          return;
        }
        try {
          state.minted = await call(
            'POST',
            '/v1/namespaces/' + encodeURIComponent(state.mintNs) + '/ids?count=' + encodeURIComponent(count),
            idToken());
        } catch (e) {
          state.mintError = e instanceof ApiError ? e.describe() : String(e);
        }
      }

      function decodeMinted(id) {
        state.decodeNs = state.minted.namespace;
        state.decodeInput = id;
        decode();
      }

      async function drain(node) {
        if (!window.confirm('Drain ' + node.nodeId + ' (' + node.address + ')? It stops issuing and releases worker ' + node.worker + '.')) {
          return;
        }
        try {
          await call('POST', '/v1/admin/nodes/' + encodeURIComponent(node.nodeId) + '/drain', state.token);
          await poll();
        } catch (e) {
          report('drain ' + node.nodeId, e);
        }
      }

      function start() {
        stop();
        poll();
        timer = window.setInterval(() => {
          if (!document.hidden) {
            poll();
          }
        }, POLL_MS);
      }

      function stop() {
        if (timer) {
          window.clearInterval(timer);
          timer = null;
        }
      }

      const bufferRows = computed(() => {
        const rows = [];
        for (const node of state.nodes) {
          for (const [ns, v] of Object.entries(node.namespaces || {})) {
            if (v.bufferRemaining != null || v.bufferCapacity != null) {
              rows.push({ key: node.nodeId + '/' + ns, node: node.nodeId, ns, remaining: v.bufferRemaining, capacity: v.bufferCapacity });
            }
          }
        }
        return rows;
      });

      function stateClass(s) {
        return { LIVE: 'success', DRAINING: 'warning', DRAINED: 'info', EXPIRED: 'danger' }[s] || 'info';
      }

      /** IDs issued since the nodes started, summed over the listed nodes; or a count the API gives. */
      function nsIssued(ns) {
        if (typeof ns.issued === 'number') {
          return ns.issued.toLocaleString('en');
        }
        let total = null;
        for (const node of state.nodes) {
          const v = (node.namespaces || {})[ns.name];
          if (v && typeof v.issued === 'number') {
            total = (total || 0) + v.issued;
          }
        }
        return total == null ? '—' : total.toLocaleString('en');
      }

      function nodeIssued(node) {
        return Object.values(node.namespaces || {}).reduce((a, v) => a + (v.issued || 0), 0);
      }

      onMounted(async () => {
        clockTimer = window.setInterval(() => {
          state.now = Date.now();
        }, 1000);
        try {
          const health = await (await fetch('/health', { cache: 'no-store' })).json();
          state.insecure = (health && health.warning) || '';
        } catch (e) {
          // No banner if the node cannot be asked; the sign-in reports reachability.
        }
        if (state.token) {
          const admin = await probeAdmin(state.token);
          if (admin === 'rejected') {
            signOut();
          } else {
            start();
          }
        }
      });
      onBeforeUnmount(() => {
        stop();
        window.clearInterval(clockTimer);
      });

      return {
        state, signedIn, signIn, signOut, decode, mint, decodeMinted, drain, bufferRows, stateClass,
        nodeIssued, nsIssued, until, date, preciseDate, duration, format, publicFormat, rateText,
        nsRate: (ns) => nsRates.latest(ns), nodeRate: (id) => nodeRates.latest(id),
        dismiss: (i) => state.errors.splice(i, 1),
      };
    },
    template: `
      <header class="topbar">
        <span class="brand">idmint</span><span class="subtitle">console</span>
        <span class="spacer"></span>
        <template v-if="signedIn">
          <span class="muted light" v-if="state.lastPoll">updated {{ date(state.lastPoll) }}</span>
          <button class="btn plain" id="sign-out" @click="signOut">Sign out</button>
        </template>
      </header>
      <div v-if="state.insecure" id="insecure-warning" class="insecure-banner">{{ state.insecure }}</div>

      <main v-if="!signedIn" class="signin">
        <section class="card narrow">
          <h2>Sign in</h2>
          <p class="muted">This page holds no data. Everything it shows is read from this node's admin
            API with the admin token, kept in this tab's session storage only.</p>
          <form @submit.prevent="signIn" autocomplete="off">
            <label for="admin-token">Admin token</label>
            <input id="admin-token" class="input" type="password" v-model="state.tokenInput" placeholder="Bearer token for /v1/admin">
            <details id="signin-details">
              <summary>The ID API needs a different token</summary>
              <label for="id-token">ID token (for decode and mint)</label>
              <input id="id-token" class="input" type="password" v-model="state.idTokenInput" placeholder="defaults to the admin token">
            </details>
            <button class="btn primary" id="sign-in" type="submit" :disabled="state.signingIn">Sign in</button>
          </form>
          <div v-if="state.signInError" class="alert error" role="alert" id="sign-in-error">{{ state.signInError }}</div>
        </section>
      </main>

      <main v-else class="grid">
        <div v-if="state.errors.length" class="errors">
          <div v-for="(e, i) in state.errors" :key="e.at + i" class="alert error" role="alert">
            <b>{{ e.where }}</b>: {{ e.text }}
            <button class="close" @click="dismiss(i)" aria-label="dismiss">×</button>
          </div>
        </div>

        <section class="card wide" id="nodes">
          <h2>Nodes <span class="count" v-if="state.admin === 'available'">{{ state.nodes.length }}</span></h2>
          <div v-if="state.admin !== 'available'" class="alert warning" id="admin-unavailable">{{ state.adminMessage || 'Checking the admin API…' }}</div>
          <div v-else-if="state.nodesError" class="alert error">{{ state.nodesError }}</div>
          <table v-if="state.admin === 'available' && state.nodes.length" class="table">
            <thead><tr>
              <th>node</th><th>state</th><th>worker</th><th>lease</th><th>reserved horizon</th>
              <th>heartbeat</th><th>started</th><th>version</th><th class="num">issued</th><th class="num">IDs/s</th><th></th>
            </tr></thead>
            <tbody>
              <tr v-for="n in state.nodes" :key="n.nodeId" :class="'row-' + n.state.toLowerCase()">
                <td><div class="strong">{{ n.nodeId }}</div><div class="muted small coord" :title="n.coordinator">{{ n.address }} · {{ n.coordinator }}</div></td>
                <td><span class="tag" :class="stateClass(n.state)">{{ n.state }}</span></td>
                <td>{{ n.worker == null ? '—' : n.worker }}</td>
                <td :class="{ expired: n.leaseExpiresAt && Date.parse(n.leaseExpiresAt) < state.now }">{{ until(n.leaseExpiresAt, state.now) }}</td>
                <td>{{ until(n.reservedUntil, state.now) }}</td>
                <td>{{ until(n.lastHeartbeat, state.now) }}</td>
                <td class="small">{{ date(n.startedAt) }}</td>
                <td class="small">{{ n.version }}</td>
                <td class="num">{{ nodeIssued(n).toLocaleString('en') }}</td>
                <td class="num">{{ rateText(nodeRate(n.nodeId)) }}</td>
                <td><button class="btn small danger" v-if="n.state === 'LIVE'" @click="drain(n)">Drain</button></td>
              </tr>
            </tbody>
          </table>
          <p v-else-if="state.admin === 'available' && !state.nodesError" class="muted">No node has registered.</p>
        </section>

        <section class="card wide" id="namespaces">
          <h2>Namespaces <span class="count">{{ state.namespaces.length }}</span> <span class="muted small">from {{ state.namespacesSource || '…' }}</span></h2>
          <div v-if="state.namespacesError" class="alert error">{{ state.namespacesError }}</div>
          <table v-if="state.namespaces.length" class="table">
            <thead><tr>
              <th>name</th><th>format</th><th>layout runs out</th><th>public IDs</th><th>revision</th><th class="num">issued</th><th class="num">IDs/s</th>
            </tr></thead>
            <tbody>
              <tr v-for="ns in state.namespaces" :key="ns.name">
                <td><span class="strong">{{ ns.name }}</span> <span v-if="ns.issued === true" class="tag info small" title="IDs were issued: layout, epoch and strategy can no longer change">locked</span>
                  <div v-if="ns.problem" class="problem small">{{ ns.problem }}</div></td>
                <td>{{ format(ns) }}</td>
                <td>
                  <template v-if="ns.snowflake && ns.snowflake.exhaustedAt">{{ ns.snowflake.exhaustedAt.slice(0, 10) }} <span class="muted small">({{ until(ns.snowflake.exhaustedAt, state.now) }})</span></template>
                  <span v-else-if="ns.segment" class="muted">never (64-bit counter)</span>
                  <span v-else>—</span>
                </td>
                <td class="small">{{ publicFormat(ns) }}</td>
                <td>{{ ns.revision == null ? '—' : ns.revision }}</td>
                <td class="num">{{ nsIssued(ns) }}</td>
                <td class="num">{{ rateText(nsRate(ns.name)) }}</td>
              </tr>
            </tbody>
          </table>
        </section>

        <section class="card" id="rates-namespace">
          <h2>IDs/s by namespace</h2>
          <rate-chart :series="state.nsSeries" :now="state.now" label="IDs per second by namespace"></rate-chart>
        </section>
        <section class="card" id="rates-node">
          <h2>IDs/s by node</h2>
          <rate-chart :series="state.nodeSeries" :now="state.now" label="IDs per second by node"></rate-chart>
        </section>

        <section class="card wide" id="buffers" v-if="bufferRows.length">
          <h2>Segment buffers</h2>
          <table class="table">
            <thead><tr><th>node</th><th>namespace</th><th>left in buffer</th></tr></thead>
            <tbody>
              <tr v-for="b in bufferRows" :key="b.key">
                <td>{{ b.node }}</td><td>{{ b.ns }}</td><td><meter-bar :remaining="b.remaining" :capacity="b.capacity"></meter-bar></td>
              </tr>
            </tbody>
          </table>
        </section>

        <section class="card" id="decoder">
          <h2>Decode an ID</h2>
          <form class="row" @submit.prevent="decode">
            <select class="input" v-model="state.decodeNs" aria-label="namespace">
              <option v-for="ns in state.namespaces" :key="ns.name" :value="ns.name">{{ ns.name }}</option>
            </select>
            <input id="decode-input" class="input grow" v-model="state.decodeInput" placeholder="raw or public ID">
            <button id="decode" class="btn primary" type="submit">Decode</button>
          </form>
          <div v-if="state.decodeError" class="alert error" id="decode-error">{{ state.decodeError }}</div>
          <dl v-if="state.decoded" class="facts" id="decoded">
            <dt>namespace</dt><dd>{{ state.decoded.namespace }}</dd>
            <dt>raw ID</dt><dd class="mono">{{ state.decoded.id }}</dd>
            <template v-if="state.decoded.publicId"><dt>public ID</dt><dd class="mono">{{ state.decoded.publicId }}</dd></template>
            <dt>strategy</dt><dd>{{ state.decoded.strategy }}</dd>
            <template v-if="state.decoded.timestamp">
              <dt>timestamp</dt><dd>{{ preciseDate(state.decoded.timestamp) }} <span class="muted small">({{ until(state.decoded.timestamp, state.now) }})</span></dd>
              <dt>worker</dt><dd>{{ state.decoded.worker }}</dd>
              <dt>sequence</dt><dd>{{ state.decoded.sequence }}</dd>
            </template>
          </dl>
        </section>

        <section class="card" id="mint">
          <h2>Mint a few</h2>
          <form class="row" @submit.prevent="mint">
            <select class="input" v-model="state.mintNs" aria-label="namespace">
              <option v-for="ns in state.namespaces" :key="ns.name" :value="ns.name">{{ ns.name }}</option>
            </select>
            <input id="mint-count" class="input count-input" type="number" v-model="state.mintCount" aria-label="count">
            <button id="mint-button" class="btn primary" type="submit">Mint</button>
          </form>
          <div v-if="state.mintError" class="alert error" id="mint-error">{{ state.mintError }}</div>
          <table v-if="state.minted" class="table" id="minted">
            <thead><tr><th>raw ID</th><th v-if="state.minted.publicIds">public ID</th><th></th></tr></thead>
            <tbody>
              <tr v-for="(id, i) in state.minted.ids" :key="id">
                <td class="mono">{{ id }}</td>
                <td v-if="state.minted.publicIds" class="mono">{{ state.minted.publicIds[i] }}</td>
                <td><button class="btn small plain" @click="decodeMinted(id)">decode</button></td>
              </tr>
            </tbody>
          </table>
        </section>
      </main>`,
  };

  createApp(App).mount(root);
})();
