'use strict';

const { HearthError } = require('./errors');
const { addListener } = require('./listeners');

const TERMINAL = ['succeeded', 'failed', 'timed_out', 'unknown', 'superseded'];

/**
 * The app's one WebSocket (docs/websocket.md): authenticates with an `auth` message, loads the
 * store with `get_states`, then keeps one subscription to every event the token may see and
 * multiplexes it to the store and to the page's own `subscribe` callbacks. Heartbeat by `ping`;
 * reconnects with exponential backoff; resumes with `since` = the store's seq after a drop and
 * when the app comes back to the foreground (a full `get_states` when the gateway answers `resync`).
 * In the background it makes no new connection (wx would cut it within seconds).
 */
class Live {
  constructor(opts) {
    this.wx = opts.wx;
    this.url = opts.url;
    this.headers = opts.headers;
    this.auth = opts.auth;
    this.store = opts.store;
    this.lifecycle = opts.lifecycle;
    this.fetchDevice = opts.fetchDevice;
    this.o = opts.options;
    this.task = null;
    this.connecting = false;
    this.wanted = false;
    this.status = 'idle';
    this.statusListeners = [];
    this.eventListeners = [];
    this.pending = {};
    this.nextId = 1;
    this.attempt = 0;
    this.timer = null;
    this.heartbeat = null;
    this.buffer = null;
    this.connects = 0;
    this.closing = null;
    this.closeWaiters = new Map();
    this.lifecycle.onShow(() => this._onShow());
    this.lifecycle.onHide(() => this._cancelRetry());
  }

  start() {
    this.wanted = true;
    if (!this.task && !this.timer && !this.connecting) {
      this._connect();
    }
  }

  stop() {
    this.wanted = false;
    this._cancelRetry();
    const task = this.task;
    this._dropped(new HearthError('SOCKET_CLOSED', 'closed by the app'));
    if (task) {
      this._close(task, 'bye');
    }
    this._setStatus('idle');
  }

  /** Raw events of devices (ids; all when empty) and kinds (all when empty). Returns an unsubscribe function. */
  subscribe(filter, fn) {
    const f = filter || {};
    const l = { devices: f.devices && f.devices.length ? f.devices : null, kinds: f.kinds && f.kinds.length ? f.kinds : null, fn: fn };
    return addListener(this.eventListeners, l);
  }

  onStatus(fn) {
    return addListener(this.statusListeners, fn);
  }

  /** Sends a new access token on the open socket (after a refresh), for the requests after it. */
  reauth(token) {
    if (this.task && this.status === 'live') {
      this._send({ type: 'auth', token: token });
    }
  }

  /** One request on the socket; resolves with its `result` (or the pong). */
  request(msg, timeoutMs) {
    return new Promise((resolve, reject) => {
      if (!this.task) {
        reject(new HearthError('SOCKET_CLOSED', 'not connected'));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        delete this.pending[id];
        reject(new HearthError('TIMEOUT', msg.type + ' not answered within ' + timeoutMs + ' ms'));
      }, timeoutMs || this.o.requestTimeoutMs);
      this.pending[id] = { resolve: resolve, reject: reject, timer: timer };
      this._send(Object.assign({ id: id }, msg));
    });
  }

  async _connect() {
    this.timer = null;
    if (!this.wanted || this.task || this.connecting || this.lifecycle.hidden) {
      return;
    }
    this._setStatus('connecting');
    this.connecting = true;
    let token;
    let header;
    try {
      if (this.closing) {
        await this.closing; // the app's one socket: the old one is gone before a new one opens
      }
      header = await this.headers();
      token = await this.auth.accessToken();
    } catch (e) {
      this.connecting = false;
      this._failed(e);
      return;
    }
    this.connecting = false;
    if (!this.wanted || this.task) {
      return;
    }
    this.connects++;
    const task = this.wx.connectSocket({ url: this.url(), header: header, fail: () => {} });
    this.task = task;
    this.authWaiter = null;
    task.onOpen(() => this._opened(task, token));
    task.onMessage((m) => { if (task === this.task) { this._message(m.data); } });
    task.onError(() => this._closed(task));
    task.onClose(() => {
      const closed = this.closeWaiters.get(task);
      if (closed) {
        closed();
      }
      this._closed(task);
    });
  }

  async _opened(task, token) {
    if (task !== this.task) {
      return;
    }
    try {
      const ok = await new Promise((resolve) => {
        this.authWaiter = resolve;
        this._send({ type: 'auth', token: token });
      });
      this.authWaiter = null;
      if (!ok) {
        // expired or revoked: one refresh, then the next attempt uses the new token
        await this.auth.refresh(token);
        this._restart(task, true);
        return;
      }
      await this._sync();
      if (task !== this.task) {
        return;
      }
      this.attempt = 0;
      this._startHeartbeat(task);
      this._setStatus('live');
    } catch (e) {
      if (task === this.task) {
        if (e.code === 'UNAUTHORIZED' || e.code === 'NOT_PAIRED') {
          this._failed(e);
        } else {
          this._restart(task, false);
        }
      }
    }
  }

  /** Loads or resumes: `get_states` when the store is empty or the gateway says `resync`, else `since`. */
  async _sync() {
    const buffer = [];
    this.buffer = buffer; // live events that arrive while a full load is under way wait here
    try {
      if (this.store.seq === null) {
        await this._loadAll();
      }
      const sub = await this.request({ type: 'subscribe', since: this.store.seq });
      if (sub.resync) {
        await this._loadAll();
      }
    } finally {
      if (this.buffer === buffer) { // not dropped (or replaced by a newer connection's) meanwhile
        this.buffer = null;
        buffer.forEach((ev) => this._event(ev));
      }
    }
  }

  async _loadAll() {
    const r = await this.request({ type: 'get_states' });
    this.store.reset(r.devices, r.seq);
  }

  _message(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (msg.type === 'auth_ok' || msg.type === 'auth_invalid') {
      if (this.authWaiter) {
        this.authWaiter(msg.type === 'auth_ok');
      }
    } else if (msg.type === 'event') {
      if (this.buffer) {
        this.buffer.push(msg);
      } else {
        this._event(msg);
      }
    } else if ((msg.type === 'result' || msg.type === 'pong') && this.pending[msg.id]) {
      const p = this.pending[msg.id];
      delete this.pending[msg.id];
      clearTimeout(p.timer);
      if (msg.type === 'pong' || msg.ok) {
        p.resolve(msg.result || {});
      } else {
        const e = msg.error || {};
        p.reject(new HearthError(e.code || 'INTERNAL', e.message, { retryAfter: e.retryAfter }));
      }
    }
  }

  _event(ev) {
    if (!this.store.apply(ev)) {
      return; // already in the store (a replay overlapping a full load)
    }
    if (ev.kind === 'device' && ev.data && ev.data.change === 'added') {
      this.fetchDevice(ev.device).then((d) => this.store.put(d, 'added'), () => {});
    } else if (ev.kind === 'command' && TERMINAL.indexOf(ev.data.status) >= 0) {
      // a command ended: its values left the device's `pending`, which no event carries
      const d = this.store.get(ev.device);
      if (d && d.pending && Object.keys(d.pending).length > 0) {
        this.fetchDevice(ev.device).then((fresh) => this.store.put(fresh, 'state'), () => {});
      }
    }
    this.eventListeners.slice().forEach((l) => {
      if ((!l.devices || l.devices.indexOf(ev.device) >= 0) && (!l.kinds || l.kinds.indexOf(ev.kind) >= 0)) {
        try {
          l.fn(ev);
        } catch (e) {
          if (typeof console !== 'undefined') {
            console.error('hearth: event listener failed', e);
          }
        }
      }
    });
  }

  _startHeartbeat(task) {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (task !== this.task) {
        return;
      }
      this.request({ type: 'ping' }, this.o.heartbeatTimeoutMs).catch(() => {
        if (task === this.task) {
          this._restart(task, false);
        }
      });
    }, this.o.heartbeatMs);
  }

  _onShow() {
    if (!this.wanted) {
      return;
    }
    this._cancelRetry();
    this.attempt = 0;
    const task = this.task;
    if (!task) {
      this._connect();
    } else if (this.status === 'live') {
      // the socket may have died in the background without a close event: prove it, else resume
      this.request({ type: 'ping' }, this.o.heartbeatTimeoutMs).catch(() => {
        if (task === this.task) {
          this._restart(task, true);
        }
      });
    }
  }

  /** Gives up `task` and connects again: at once, or after the backoff. */
  _restart(task, now) {
    if (task !== this.task) {
      return;
    }
    this._dropped(new HearthError('SOCKET_CLOSED', 'reconnecting'));
    this._close(task, 'reconnect');
    this._retry(now);
  }

  /**
   * Closes `task`; the next connect waits for its close event, or `closeWaitMs` at most (a dead
   * connection may never report one), so the app never holds two sockets of its own.
   */
  _close(task, reason) {
    let done;
    const closing = new Promise((resolve) => { done = resolve; });
    const timer = setTimeout(() => done(), this.o.closeWaitMs);
    this.closeWaiters.set(task, () => done());
    this.closing = closing;
    closing.then(() => {
      clearTimeout(timer);
      this.closeWaiters.delete(task);
      if (this.closing === closing) {
        this.closing = null;
      }
    });
    task.close({ code: 1000, reason: reason });
  }

  _closed(task) {
    if (task !== this.task) {
      return;
    }
    this._dropped(new HearthError('SOCKET_CLOSED', 'the connection closed'));
    this._retry(false);
  }

  _dropped(err) {
    this.task = null;
    this.authWaiter = null;
    clearInterval(this.heartbeat);
    this.heartbeat = null;
    const pending = this.pending;
    this.pending = {};
    Object.keys(pending).forEach((id) => {
      clearTimeout(pending[id].timer);
      pending[id].reject(err);
    });
    this.buffer = null;
  }

  _retry(now) {
    if (!this.wanted) {
      return;
    }
    this._setStatus('offline');
    if (this.lifecycle.hidden) {
      return; // onAppShow connects
    }
    const base = Math.min(this.o.maxBackoffMs, this.o.minBackoffMs * Math.pow(2, this.attempt));
    this.attempt++;
    const delay = now ? 0 : Math.round(base * (0.5 + Math.random() / 2));
    this._cancelRetry();
    this.timer = setTimeout(() => this._connect(), delay);
  }

  _failed(e) {
    if (e && (e.code === 'UNAUTHORIZED' || e.code === 'NOT_PAIRED' || e.code === 'NOT_LOGGED_IN')) {
      this._setStatus('unauthorized', e);
      return; // pair() or login() starts it again
    }
    this._retry(false);
  }

  _cancelRetry() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  _send(obj) {
    if (this.task) {
      this.task.send({ data: JSON.stringify(obj) });
    }
  }

  _setStatus(s, err) {
    if (s === this.status) {
      return;
    }
    this.status = s;
    this.statusListeners.slice().forEach((fn) => fn(s, err));
  }
}

module.exports = { Live };
