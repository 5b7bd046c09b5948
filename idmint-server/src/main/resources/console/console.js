// The idmint console: one page. Vue 3 (runtime-only global build, from the WebJar the node serves)
// renders it with render functions compiled from console-templates/*.html into
// console.templates.js; all data comes from the node's admin and ID APIs with the operator's token.
'use strict';

(function () {
  const root = document.getElementById('app');
  if (!window.Vue || !window.IdmintConsoleTemplates) {
    root.textContent =
      'The console could not load Vue from /console/vendor/vue/ or its templates. Is this jar built with its WebJar?';
    return;
  }
  const { createApp, reactive, computed, onMounted, onBeforeUnmount } = window.Vue;
  // Render functions compiled from console-templates/*.html ahead of time (console.templates.js),
  // so the page runs on Vue's runtime-only build and needs no 'unsafe-eval'.
  const templates = window.IdmintConsoleTemplates;

  // Tokens live in this page's memory only: never in sessionStorage, localStorage or a cookie,
  // so script that reads storage (an extension, a later XSS) finds nothing, and a reload or a
  // closed tab forgets them. The price: a reload asks for the token again.
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

  /** A node's measured clock skew: signed, in ms below a second, else in seconds. */
  function skewText(ms) {
    if (ms == null) {
      return '—';
    }
    const sign = ms > 0 ? '+' : ms < 0 ? '−' : '';
    const abs = Math.abs(ms);
    return abs < 1000 ? sign + abs + ' ms' : sign + (abs / 1000).toFixed(1) + ' s';
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

  const RESETS = { day: 'resets daily', month: 'resets monthly', year: 'resets yearly', never: 'never resets' };

  /** A namespace's definition in one line, by its kind. */
  function format(ns) {
    if (ns.snowflake) {
      const f = ns.snowflake;
      const layout = f.layout ? ' (' + f.layout + ')' : ''; // default, js-safe or custom
      return 'snowflake' + layout + ' ' + f.timestampBits + '+' + f.workerBits + '+' + f.sequenceBits + ' bits, '
        + f.timeUnit + ' ticks since ' + String(f.epoch).slice(0, 10);
    }
    if (ns.uuid7) {
      const u = ns.uuid7;
      return 'uuid7 (RFC 9562), ms timestamp + ' + u.sequenceBits + '-bit counter + ' + u.workerBits
        + '-bit worker + random';
    }
    if (ns.pattern) {
      const p = ns.pattern;
      return 'pattern ' + p.template + ', ' + (RESETS[p.reset] || 'resets per ' + p.reset) + ' in ' + p.timeZone
        + (ns.segment ? ', step ' + ns.segment.step : '');
    }
    if (ns.segment) {
      return 'segment, step ' + ns.segment.step;
    }
    return ns.strategy;
  }

  // Every ID is kept and shown as the string the node sent (raw IDs are decimal strings in JSON):
  // a raw ID above 2^53 would change in a JavaScript Number, so none is ever converted to one.

  /** What a minted answer holds: ids (snowflake, segment), uuids (uuid7) or numbers (pattern). */
  function mintedKind(minted) {
    return minted.uuids ? 'uuid7' : minted.numbers ? 'pattern' : 'raw';
  }

  function mintedValues(minted) {
    return minted.uuids || minted.numbers || minted.ids || [];
  }

  /** The name of the ID column / fact for a strategy or minted kind. */
  function idLabel(kind) {
    return kind === 'uuid7' ? 'UUID' : kind === 'pattern' ? 'number' : 'raw ID';
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
    render: templates['rate-chart'],
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
    render: templates['meter-bar'],
  };

  // ---- The page -----------------------------------------------------------------------------

  const App = {
    components: { RateChart, 'meter-bar': Meter },
    setup() {
      const state = reactive({
        token: '',
        idToken: '',
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
          state.decodeError = 'Choose a namespace and paste an ID (raw, public, UUID or business number).';
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
        skewText, mintedKind, mintedValues, idLabel,
        nsRate: (ns) => nsRates.latest(ns), nodeRate: (id) => nodeRates.latest(id),
        dismiss: (i) => state.errors.splice(i, 1),
      };
    },
    render: templates['app'],
  };

  createApp(App).mount(root);
})();
