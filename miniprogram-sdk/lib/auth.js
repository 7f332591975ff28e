'use strict';

const { HearthError } = require('./errors');
const { bodyOrThrow } = require('./http');

/**
 * The hub's tokens (docs/security.md#tokens), kept in the mini-program's storage under one key so
 * they survive the app being killed in the background. An access token is refreshed
 * `refreshMarginMs` before it expires, and once more when the hub answers 401 anyway (clock skew,
 * a revoked signing key); refreshes are single-flight: however many calls need one at once, one
 * `POST /auth/refresh` goes out and all of them wait for it. A refresh token is single use and the
 * hub revokes the session when a retired one comes back, so a refresh is never retried blindly.
 */
class Auth {
  constructor(opts) {
    this.http = opts.http;
    this.storage = opts.storage;
    this.key = opts.key; // () => storage key of the current hub's tokens
    this.now = opts.now;
    this.marginMs = opts.refreshMarginMs;
    this.apiUrl = opts.apiUrl; // () => base URL of the hub's /api/v1
    this.relayHeaders = opts.relayHeaders; // () => Promise<headers for the relay, or {}>
    this.onTokens = opts.onTokens; // (tokens|null) => void
    this.relogin = opts.relogin; // relay mode: () => Promise, a new relay session
    this.refreshing = null;
    this.refreshCount = 0;
  }

  load() {
    const key = this.key();
    const t = key ? this.storage.get(key) : null;
    return t && typeof t === 'object' && t.accessToken ? t : null;
  }

  /** Stores a pair/refresh answer ({accessToken, refreshToken, expiresIn, user}); returns it as kept. */
  save(answer, user) {
    const kept = {
      accessToken: answer.accessToken,
      refreshToken: answer.refreshToken,
      expiresAt: this.now() + (answer.expiresIn || 0) * 1000,
      user: answer.user || user || null,
    };
    const key = this.key();
    if (!key) {
      throw new HearthError('NO_HOME', 'relay mode: choose a home first (useHome, or bindHome)');
    }
    this.storage.set(key, kept);
    this.onTokens(kept);
    return kept;
  }

  clear() {
    if (this.key()) {
      this.storage.remove(this.key());
    }
    this.onTokens(null);
  }

  /** A valid-looking access token, refreshed first when it expires within the margin. */
  async accessToken() {
    const t = this.load();
    if (!t) {
      throw new HearthError('NOT_PAIRED', 'no tokens: pair first');
    }
    if (t.expiresAt - this.marginMs > this.now()) {
      return t.accessToken;
    }
    const fresh = await this.refresh(t.accessToken);
    return fresh.accessToken;
  }

  /**
   * Replaces the access token `stale`. If another call already replaced it, nothing is sent and
   * the stored pair is returned; if a refresh is under way, its result is shared.
   */
  refresh(stale) {
    const t = this.load();
    if (!t) {
      return Promise.reject(new HearthError('NOT_PAIRED', 'no tokens: pair first'));
    }
    if (this.refreshing) {
      return this.refreshing;
    }
    if (stale && t.accessToken !== stale) {
      return Promise.resolve(t);
    }
    this.refreshing = this._refresh(t).then(
      (kept) => { this.refreshing = null; return kept; },
      (e) => { this.refreshing = null; throw e; });
    return this.refreshing;
  }

  async _refresh(t) {
    this.refreshCount++;
    const send = async () => this.http.send({
      url: this.apiUrl() + '/auth/refresh', method: 'POST', headers: await this.relayHeaders(),
      body: { refreshToken: t.refreshToken },
    });
    let res = await send();
    if (res.status === 401 && res.data && res.data.code === 'RELAY_SESSION_INVALID' && this.relogin) {
      // the relay refused it before the hub saw it: the refresh token is unspent, send it again
      await this.relogin();
      res = await send();
    }
    if (res.status === 401 && res.data && res.data.code === 'UNAUTHORIZED') {
      // retired, expired or revoked: only a new pairing helps
      this.clear();
    }
    return this.save(bodyOrThrow(res), t.user);
  }
}

/**
 * The relay's WeChat session (relay mode only): `wx.login()` → `POST /relay/v1/auth/wechat`.
 * The session token goes in `X-Hearth-Relay-Session` on every relay call; when the relay answers
 * `RELAY_SESSION_INVALID`, one silent login (single-flight) replaces it.
 */
class RelaySession {
  constructor(opts) {
    this.wx = opts.wx;
    this.http = opts.http;
    this.storage = opts.storage;
    this.key = opts.key;
    this.url = opts.url;
    this.now = opts.now;
    this.logging = null;
    this.homes = null;
  }

  load() {
    const s = this.storage.get(this.key);
    return s && typeof s === 'object' && s.sessionToken ? s : null;
  }

  /** Headers for a relay call; logs in first when no session is stored or it has expired. */
  async headers() {
    let s = this.load();
    if (!s || s.expiresAt <= this.now()) {
      s = await this.login();
    }
    return { 'X-Hearth-Relay-Session': s.sessionToken };
  }

  /** `wx.login` → relay; stores and returns `{sessionToken, expiresAt, homes}`. Single-flight. */
  login() {
    if (!this.logging) {
      this.logging = this._login().then(
        (s) => { this.logging = null; return s; },
        (e) => { this.logging = null; throw e; });
    }
    return this.logging;
  }

  async _login() {
    const code = await new Promise((resolve, reject) => this.wx.login({
      success: (r) => resolve(r.code),
      fail: (e) => reject(new HearthError('WECHAT_LOGIN_FAILED', (e && e.errMsg) || 'wx.login failed')),
    }));
    const res = await this.http.send({ url: this.url + '/relay/v1/auth/wechat', method: 'POST', body: { code: code } });
    const body = bodyOrThrow(res);
    const s = { sessionToken: body.sessionToken, expiresAt: this.now() + (body.expiresInSec || 0) * 1000 };
    this.storage.set(this.key, s);
    this.homes = body.homes || [];
    return Object.assign({ homes: this.homes }, s);
  }

  clear() {
    this.storage.remove(this.key);
  }
}

module.exports = { Auth, RelaySession };
