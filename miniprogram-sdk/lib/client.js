'use strict';

const { HearthError } = require('./errors');
const { Http, bodyOrThrow } = require('./http');
const { Auth, RelaySession } = require('./auth');
const { DeviceStore } = require('./store');
const { Live } = require('./live');
const { Lifecycle } = require('./lifecycle');
const { storageOf } = require('./storage');

const DEFAULTS = {
  maxConcurrent: 10,
  refreshMarginMs: 60000,
  retries: 3,
  retryDelayMs: 300,
  heartbeatMs: 20000,
  heartbeatTimeoutMs: 5000,
  minBackoffMs: 500,
  maxBackoffMs: 30000,
  requestTimeoutMs: 15000,
  closeWaitMs: 2000,
  clientName: 'mini-program',
};

/**
 * A Hearth client for a mini-program: LAN (`baseUrl`) or through the relay (`relay: {url, hubId}`).
 * See docs/miniprogram.md for the guide and index.d.ts for the types.
 */
class HearthClient {
  constructor(options) {
    const o = Object.assign({}, DEFAULTS, options || {});
    this.wx = o.wx || (typeof wx !== 'undefined' ? wx : null); // eslint-disable-line no-undef
    if (!this.wx) {
      throw new Error('createClient: no wx (pass options.wx outside a mini-program)');
    }
    if (!o.baseUrl && !(o.relay && o.relay.url)) {
      throw new Error('createClient: give baseUrl (LAN) or relay: {url, hubId}');
    }
    this.options = o;
    this.mode = o.relay ? 'relay' : 'lan';
    this.baseUrl = o.baseUrl ? trimSlash(o.baseUrl) : null;
    this.relayUrl = o.relay ? trimSlash(o.relay.url) : null;
    this.hubId = o.relay ? o.relay.hubId || null : null;
    this.now = o.now || Date.now;
    this.storage = storageOf(o.storage || this.wx);
    this.http = new Http(this.wx, o.maxConcurrent);
    this.lifecycle = new Lifecycle(this.wx);
    this.relay = this.mode === 'relay' ? new RelaySession({
      wx: this.wx, http: this.http, storage: this.storage, url: this.relayUrl, now: this.now,
      key: 'hearth:relay:' + this.relayUrl,
    }) : null;
    this.auth = new Auth({
      http: this.http, storage: this.storage, now: this.now, refreshMarginMs: o.refreshMarginMs,
      key: () => this._tokensKey(),
      apiUrl: () => this.apiUrl(),
      relayHeaders: () => this._relayHeaders(),
      relogin: this.relay ? () => this.relay.login() : null,
      onTokens: (t) => { if (t && this.live) { this.live.reauth(t.accessToken); } },
    });
    this.devices = new DeviceStore();
    this.live = new Live({
      wx: this.wx, auth: this.auth, store: this.devices, lifecycle: this.lifecycle, options: o,
      url: () => this.socketUrl(),
      headers: () => this._relayHeaders(),
      fetchDevice: (id) => this.device(id),
    });
  }

  // ---- addresses

  /** The hub's `/api/v1` base: on the LAN, or `{relay}/homes/{hubId}/api/v1`. */
  apiUrl() {
    return this.mode === 'relay' ? this.relayUrl + '/homes/' + encodeURIComponent(this._hub()) + '/api/v1'
      : this.baseUrl + '/api/v1';
  }

  /** The WebSocket address: `ws://` on the LAN (`wss://` behind TLS), `wss://{relay}/homes/{hubId}/api/v1/ws`. */
  socketUrl() {
    return this.apiUrl().replace(/^http/, 'ws') + '/ws';
  }

  _hub() {
    if (!this.hubId) {
      throw new HearthError('NO_HOME', 'relay mode: choose a home first (useHome, or bindHome)');
    }
    return this.hubId;
  }

  /** Where the current hub's tokens are kept; null in relay mode before a home is chosen. */
  _tokensKey() {
    if (this.mode === 'lan') {
      return 'hearth:tokens:' + this.baseUrl;
    }
    return this.hubId ? 'hearth:tokens:' + this.relayUrl + '#' + this.hubId : null;
  }

  _relayHeaders() {
    return this.relay ? this.relay.headers() : Promise.resolve({});
  }

  // ---- auth

  /** Pairs with a pairing or invite code; keeps the tokens; returns the user. */
  async pair(code, opts) {
    const body = { code: code, client: (opts && opts.client) || this.options.clientName };
    const answer = await this._call({ method: 'POST', path: '/auth/pair', body: body, auth: false, retries: 0 });
    this._paired(answer);
    return answer.user;
  }

  _paired(answer) {
    this.auth.save(answer);
    if (this.live.wanted) {
      this.live.start();
    }
  }

  isPaired() {
    return this.auth.load() !== null;
  }

  /** The user of the stored tokens (`{id, name, role}`), or null. */
  user() {
    const t = this.auth.load();
    return t ? t.user : null;
  }

  /** Forgets the hub's tokens and closes the live connection. */
  logout() {
    this.live.stop();
    this.auth.clear();
    this.devices.reset([], null);
  }

  // ---- relay

  /** Relay mode: `wx.login()` → relay; returns the homes bound to this WeChat user. */
  async login() {
    this._relayOnly();
    const s = await this.relay.login();
    return s.homes;
  }

  async homes() {
    this._relayOnly();
    return (await this._relayCall('GET', '/relay/v1/homes')).homes;
  }

  /** Binds a hub to this WeChat user with the hub's pairing or invite code; keeps the hub's tokens. */
  async bindHome(args) {
    this._relayOnly();
    const body = { hubId: args.hubId, code: args.code };
    if (args.name) {
      body.name = args.name;
    }
    const answer = await this._relayCall('POST', '/relay/v1/homes/bind', body);
    const previous = this.hubId;
    this.hubId = answer.hubId;
    this.auth.save(answer.pair);
    if (previous && previous !== answer.hubId) {
      this.useHome(previous);
    } else if (this.live.wanted) {
      this.live.start();
    }
    return { hubId: answer.hubId, user: answer.pair.user };
  }

  async unbindHome(hubId) {
    this._relayOnly();
    await this._relayCall('DELETE', '/relay/v1/homes/' + encodeURIComponent(hubId));
    if (hubId === this.hubId) {
      this.auth.clear();
      this.useHome(null);
    } else {
      this.storage.remove('hearth:tokens:' + this.relayUrl + '#' + hubId);
    }
  }

  /** Switches to another home: the live connection and the store start over for it. */
  useHome(hubId) {
    this._relayOnly();
    const wanted = this.live.wanted;
    this.live.stop();
    this.hubId = hubId;
    this.devices.reset([], null);
    if (wanted && hubId) {
      this.live.start();
    }
  }

  _relayOnly() {
    if (!this.relay) {
      throw new HearthError('NOT_RELAYED', 'this client talks to the hub on the LAN (no relay)');
    }
  }

  async _relayCall(method, path, body) {
    for (let relogged = false; ; relogged = true) {
      const res = await this.http.send({ url: this.relayUrl + path, method: method, body: body,
        headers: await this.relay.headers() });
      if (res.status === 401 && !relogged && codeOf(res) === 'RELAY_SESSION_INVALID') {
        await this.relay.login();
        continue;
      }
      return bodyOrThrow(res);
    }
  }

  // ---- REST (docs/api.md)

  async listDevices(filter) {
    return (await this._call({ path: '/devices', query: filter })).devices;
  }

  device(id) {
    return this._call({ path: '/devices/' + enc(id) });
  }

  profiles() {
    return this._call({ path: '/profiles' }).then((r) => r.profiles);
  }

  /**
   * `POST /devices/{id}/commands` with `command` = `{set}` or `{action, input}` and the options
   * (`wait`, `timeoutMs`, `deliverWhen`, `expiresInMs`). An `Idempotency-Key` is made for it (or
   * `idempotencyKey` used) and sent again on every retry, so a request cut on its way back is
   * retried without ever acting twice. Resolves with the answer (`succeeded`, `pending`, `superseded`).
   */
  command(id, command, opts) {
    const o = opts || {};
    const body = Object.assign({}, command);
    ['wait', 'timeoutMs', 'deliverWhen', 'expiresInMs'].forEach((k) => { if (o[k] !== undefined) { body[k] = o[k]; } });
    const waitMs = body.wait === false ? 0 : (body.timeoutMs || 5000);
    return this._call({
      method: 'POST', path: '/devices/' + enc(id) + '/commands', body: body,
      headers: { 'Idempotency-Key': o.idempotencyKey || newKey() },
      retries: this.options.retries, timeoutMs: waitMs + 10000,
    });
  }

  set(id, values, opts) {
    return this.command(id, { set: values }, opts);
  }

  action(id, name, input, opts) {
    return this.command(id, { action: name, input: input || {} }, opts);
  }

  commandStatus(id, commandId) {
    return this._call({ path: '/devices/' + enc(id) + '/commands/' + enc(commandId) });
  }

  /**
   * `GET /devices/{id}/history?property=…&from=…&to=…[&step=…&agg=…]` (issue 15): raw points, or
   * buckets with `step`; `from`/`to` may be Dates. Further pages: pass the answer's cursor back.
   */
  history(id, query) {
    const q = Object.assign({}, query);
    ['from', 'to'].forEach((k) => { if (q[k] instanceof Date) { q[k] = q[k].toISOString(); } });
    return this._call({ path: '/devices/' + enc(id) + '/history', query: q });
  }

  /** Owner: devices that announced themselves and wait for approval. */
  discovery() {
    return this._call({ path: '/discovery' }).then((r) => r.pending);
  }

  /** Owner: registers a discovered device (optional `profile`, `name`, `room`…); answers the Device. */
  approve(id, body) {
    return this._call({ method: 'POST', path: '/devices/' + enc(id) + '/approve', body: body || {}, retries: 0 });
  }

  /** Owner: `{role:'member'}` or `{role:'guest', devices:[…]}` → `{code, role, expiresAt}`. */
  createInvite(body) {
    return this._call({ method: 'POST', path: '/users/invites', body: body, retries: 0 });
  }

  /** Any other route of docs/api.md: `request('GET', '/bridges')`. */
  request(method, path, opts) {
    return this._call(Object.assign({ method: method, path: path }, opts));
  }

  // ---- live (docs/websocket.md)

  /** Opens the app's one socket (idempotent); `client.devices` fills and stays current. */
  connect() {
    this.live.start();
  }

  disconnect() {
    this.live.stop();
  }

  /** Raw events (`{kind, device, seq, ts, data}`) filtered by `devices` and `kinds`; returns an unsubscribe function. */
  subscribe(filter, fn) {
    return this.live.subscribe(filter, fn);
  }

  /** `idle`, `connecting`, `live`, `offline` (retrying), `unauthorized` (pair or log in again). */
  onStatus(fn) {
    return this.live.onStatus(fn);
  }

  get status() {
    return this.live.status;
  }

  // ---- the one path every hub call takes

  async _call(c) {
    const retries = c.retries !== undefined ? c.retries : (c.method || 'GET') === 'GET' ? this.options.retries : 0;
    let refreshed = false;
    let relogged = false;
    for (let attempt = 0; ; ) {
      const url = this.apiUrl() + c.path + queryString(c.query);
      // the token first: a refresh may renew the relay session the call then uses
      const token = c.auth !== false ? await this.auth.accessToken() : null;
      const headers = Object.assign({}, c.headers, await this._relayHeaders());
      if (token) {
        headers.Authorization = 'Bearer ' + token;
      }
      let res;
      try {
        res = await this.http.send({ url: url, method: c.method || 'GET',
          headers: headers, body: c.body, timeoutMs: c.timeoutMs });
      } catch (e) {
        if (e.code !== 'NETWORK_ERROR' || attempt >= retries) {
          throw e;
        }
        attempt++;
        await this.lifecycle.visible(); // cut in the background: go again once the app is back
        await delay(this.options.retryDelayMs * Math.pow(2, attempt - 1));
        continue;
      }
      if (res.status === 401) {
        const code = codeOf(res);
        if (code === 'RELAY_SESSION_INVALID' && this.relay && !relogged) {
          relogged = true;
          await this.relay.login();
          continue;
        }
        if (code === 'UNAUTHORIZED' && token && !refreshed) {
          refreshed = true;
          await this.auth.refresh(token);
          continue;
        }
      }
      return bodyOrThrow(res);
    }
  }
}

function codeOf(res) {
  return res.data && typeof res.data === 'object' ? res.data.code : undefined;
}

function trimSlash(u) {
  return String(u).replace(/\/+$/, '');
}

function enc(s) {
  return encodeURIComponent(s);
}

function queryString(q) {
  if (!q) {
    return '';
  }
  const parts = Object.keys(q).filter((k) => q[k] !== undefined && q[k] !== null)
    .map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(q[k]));
  return parts.length ? '?' + parts.join('&') : '';
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A random 128-bit key (wx.getRandomValues is not on every base library; Math.random is enough to be unique). */
function newKey() {
  let s = '';
  for (let i = 0; i < 4; i++) {
    s += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  }
  return 'mp-' + Date.now().toString(36) + '-' + s;
}

module.exports = { HearthClient, newKey, queryString };
