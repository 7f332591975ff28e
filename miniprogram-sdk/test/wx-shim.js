'use strict';

/**
 * A `wx` for Node: wx.request on fetch, wx.connectSocket on WebSocket, wx.login, the synchronous
 * storage, wx.onAppShow/onAppHide — with the mini-program's real limits ENFORCED, so a test fails
 * when the SDK breaks one:
 * - at most 10 requests in flight: the 11th fails `request:fail exceed max task count` (counted);
 * - at most 5 sockets open: the 6th fails the same way (counted);
 * - `cutDelayMs` (5 s on a phone) after `hide()`, every request in flight is aborted
 *   (`request:fail interrupted`), every socket is closed, and new ones fail until `show()`.
 * `loseResponse(req)` lets a test lose an answer on its way back (the gateway did the work, the
 * app sees a failed request), as a cut connection does.
 */
function createWx(opts) {
  const o = Object.assign({ maxRequests: 10, maxSockets: 5, cutDelayMs: 5000, WebSocket: globalThis.WebSocket }, opts);
  const store = new Map();
  const showFns = [];
  const hideFns = [];
  const inFlight = new Set();
  const sockets = new Set();
  let cut = false;
  let cutTimer = null;
  let loginSeq = 0;
  const cutListeners = [];
  const noSocketListeners = [];

  const wx = {
    stats: { requests: 0, peakRequests: 0, refusedRequests: 0, sockets: 0, peakSockets: 0, refusedSockets: 0, cuts: 0 },
    log: [],
    socketLog: [],
    hidden: false,
    loseResponse: null,
    loginCode: () => 'wx-code-' + (++loginSeq),

    request(r) {
      const entry = { method: r.method || 'GET', url: r.url, headers: Object.assign({}, r.header), body: r.data };
      wx.log.push(entry);
      const fail = (msg) => setImmediate(() => { entry.failed = msg; call(r.fail, { errMsg: msg }); call(r.complete); });
      if (inFlight.size >= o.maxRequests) {
        wx.stats.refusedRequests++;
        fail('request:fail exceed max task count');
        return { abort() {} };
      }
      if (cut) {
        fail('request:fail interrupted');
        return { abort() {} };
      }
      const ac = new AbortController();
      const task = { ac: ac, reason: null };
      inFlight.add(task);
      wx.stats.requests++;
      wx.stats.peakRequests = Math.max(wx.stats.peakRequests, inFlight.size);
      const timer = setTimeout(() => { task.reason = 'request:fail timeout'; ac.abort(); }, r.timeout || 60000);
      const body = r.data === undefined ? undefined : typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
      fetch(r.url, { method: entry.method, headers: r.header, body: body, signal: ac.signal })
        .then(async (res) => {
          const text = await res.text();
          let data = text;
          if (r.dataType !== 'text' && text) {
            try { data = JSON.parse(text); } catch (e) { data = text; }
          }
          const header = {};
          res.headers.forEach((v, k) => { header[k] = v; });
          return { statusCode: res.status, data: data, header: header };
        })
        .then((res) => {
          clearTimeout(timer);
          inFlight.delete(task);
          entry.status = res.statusCode;
          if (wx.loseResponse && wx.loseResponse(entry)) {
            entry.lost = true;
            fail('request:fail interrupted');
            return;
          }
          call(r.success, res);
          call(r.complete);
        }, () => {
          clearTimeout(timer);
          inFlight.delete(task);
          fail(task.reason || 'request:fail');
        });
      return { abort() { task.reason = 'request:fail abort'; ac.abort(); } };
    },

    connectSocket(c) {
      const handlers = { open: [], message: [], close: [], error: [] };
      const emit = (k, v) => handlers[k].slice().forEach((fn) => fn(v));
      const task = {
        onOpen: (fn) => handlers.open.push(fn),
        onMessage: (fn) => handlers.message.push(fn),
        onClose: (fn) => handlers.close.push(fn),
        onError: (fn) => handlers.error.push(fn),
        send: (s) => { wx.socketLog.push(s.data); try { ws.send(s.data); call(s.success); } catch (e) { call(s.fail, { errMsg: 'sendSocketMessage:fail ' + e.message }); } },
        close: (s) => { try { ws.close((s && s.code) || 1000, (s && s.reason) || ''); } catch (e) { /* closed already */ } },
      };
      let ws = null;
      if (sockets.size >= o.maxSockets || cut) {
        if (!cut) {
          wx.stats.refusedSockets++;
        }
        const msg = cut ? 'connectSocket:fail interrupted' : 'connectSocket:fail exceed max task count';
        setImmediate(() => { call(c.fail, { errMsg: msg }); emit('error', { errMsg: msg }); emit('close', { code: 1006, reason: msg }); });
        ws = { send() { throw new Error('not open'); }, close() {} };
        return task;
      }
      // wx.connectSocket sends `header` with the upgrade (the relay's session header rides there)
      ws = c.header && Object.keys(c.header).length ? new o.WebSocket(c.url, { headers: c.header }) : new o.WebSocket(c.url);
      sockets.add(ws);
      wx.stats.sockets++;
      wx.stats.peakSockets = Math.max(wx.stats.peakSockets, sockets.size);
      let closed = false;
      const closedOnce = (code, reason) => {
        if (!closed) {
          closed = true;
          sockets.delete(ws);
          emit('close', { code: code, reason: reason });
          if (sockets.size === 0) {
            noSocketListeners.splice(0).forEach((fn) => fn());
          }
        }
      };
      ws.onopen = () => { call(c.success); emit('open', {}); };
      ws.onmessage = (m) => { if (!task._stalled) { emit('message', { data: m.data }); } };
      ws.onerror = () => emit('error', { errMsg: 'socket error' });
      ws.onclose = (e) => closedOnce(e.code, e.reason);
      task._ws = ws;
      task._cut = () => { try { ws.close(); } catch (e) { /* already */ } closedOnce(1006, 'interrupted'); };
      ws._task = task;
      return task;
    },

    login(l) {
      setImmediate(() => call(l.success, { code: wx.loginCode(), errMsg: 'login:ok' }));
    },

    getStorageSync: (k) => (store.has(k) ? JSON.parse(store.get(k)) : ''),
    setStorageSync: (k, v) => { store.set(k, JSON.stringify(v)); },
    removeStorageSync: (k) => { store.delete(k); },

    onAppShow: (fn) => showFns.push(fn),
    onAppHide: (fn) => hideFns.push(fn),

    /** The app goes to the background; `cutDelayMs` later its network is cut. */
    hide() {
      wx.hidden = true;
      hideFns.forEach((fn) => fn());
      cutTimer = setTimeout(() => {
        cut = true;
        wx.stats.cuts++;
        inFlight.forEach((t) => { t.reason = 'request:fail interrupted'; t.ac.abort(); });
        sockets.forEach((ws) => ws._task._cut());
        cutListeners.splice(0).forEach((fn) => fn());
      }, o.cutDelayMs);
    },

    /** Resolves once the background cut has happened. */
    whenCut() {
      return cut ? Promise.resolve() : new Promise((resolve) => cutListeners.push(resolve));
    },

    /** The app comes back to the foreground. */
    show() {
      clearTimeout(cutTimer);
      cut = false;
      wx.hidden = false;
      showFns.forEach((fn) => fn({ scene: 1001 }));
    },

    openSockets: () => sockets.size,
    /** The open sockets go silent without closing (a half-dead connection): nothing more reaches the app. */
    stallSockets: () => sockets.forEach((ws) => { ws._task._stalled = true; }),
    /** Resolves once no socket is open. */
    whenNoSockets: () => (sockets.size === 0 ? Promise.resolve() : new Promise((resolve) => noSocketListeners.push(resolve))),
    storage: store,
  };
  return wx;
}

function call(fn, v) {
  if (typeof fn === 'function') {
    fn(v);
  }
}

module.exports = { createWx };
