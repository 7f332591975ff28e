'use strict';

/**
 * Token handling and the shim's limits against a small fake hub (no JVM): refresh before expiry,
 * single-flight refresh, a dead refresh token, and the shim refusing what wx would refuse.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const { createClient } = require('..');
const { createWx } = require('./wx-shim');

let server;
let base;
const hub = { refreshes: 0, access: 'a0', refresh: 'r0', holdRefresh: null, slow: [] };

before(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => {
      const json = (status, body) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (req.url === '/api/v1/auth/refresh') {
        const body = JSON.parse(text);
        if (body.refreshToken !== hub.refresh) {
          return json(401, { status: 401, code: 'UNAUTHORIZED', detail: 'retired refresh token' });
        }
        hub.refreshes++;
        hub.access = 'a' + hub.refreshes;
        hub.refresh = 'r' + hub.refreshes;
        const answer = () => json(200, { accessToken: hub.access, refreshToken: hub.refresh, tokenType: 'Bearer', expiresIn: 900,
          user: { id: 'u', name: 'n', role: 'owner' } });
        return setTimeout(answer, 50); // long enough for every caller to be waiting on it
      }
      if (req.url === '/api/v1/slow') {
        return hub.released ? json(200, {}) : hub.slow.push(() => json(200, {}));
      }
      if (req.headers.authorization !== 'Bearer ' + hub.access) {
        return json(401, { status: 401, code: 'UNAUTHORIZED' });
      }
      return json(200, { devices: [] });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = 'http://127.0.0.1:' + server.address().port;
});

after(() => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }));

function clientWith(wx, expiresInMs) {
  wx.setStorageSync('hearth:tokens:' + base, { accessToken: hub.access, refreshToken: hub.refresh,
    expiresAt: Date.now() + expiresInMs, user: { role: 'owner' } });
  return createClient({ baseUrl: base, wx: wx });
}

test('a token about to expire is refreshed before the call, once for many calls', async () => {
  const wx = createWx();
  const client = clientWith(wx, 30000); // inside the 60 s margin
  const before = hub.refreshes;
  await Promise.all([client.listDevices(), client.listDevices(), client.listDevices(), client.listDevices()]);
  assert.equal(hub.refreshes - before, 1);
  assert.equal(wx.log.filter((r) => r.status === 401).length, 0, 'refreshed before, not after a 401');
  assert.equal(wx.getStorageSync('hearth:tokens:' + base).accessToken, hub.access);
});

test('a dead refresh token: the tokens are dropped and the call fails with UNAUTHORIZED', async () => {
  const wx = createWx();
  const client = clientWith(wx, 30000);
  wx.setStorageSync('hearth:tokens:' + base, Object.assign(wx.getStorageSync('hearth:tokens:' + base), { refreshToken: 'retired' }));
  await assert.rejects(client.listDevices(), (e) => e.code === 'UNAUTHORIZED' && e.status === 401);
  assert.equal(client.isPaired(), false);
  await assert.rejects(client.listDevices(), (e) => e.code === 'NOT_PAIRED');
});

test('the shim enforces wx\'s limits: an 11th request in flight and a 6th socket are refused', async () => {
  const wx = createWx();
  const fails = [];
  for (let i = 0; i < 11; i++) {
    wx.request({ url: base + '/api/v1/slow', success: () => {}, fail: (e) => fails.push(e.errMsg) });
  }
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(fails, ['request:fail exceed max task count']);
  hub.released = true;
  hub.slow.splice(0).forEach((f) => f());
  const closes = [];
  const FakeSocket = function () { this.close = () => {}; this.send = () => {}; };
  const wx2 = createWx({ WebSocket: FakeSocket });
  for (let i = 0; i < 6; i++) {
    wx2.connectSocket({ url: 'ws://x' }).onClose((e) => closes.push(e.reason));
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(closes, ['connectSocket:fail exceed max task count']);
  assert.equal(wx2.stats.refusedSockets, 1);
});
