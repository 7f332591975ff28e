'use strict';

/**
 * Relay mode against a small fake relay in Node (the real relay is built in parallel, issue 16):
 * the request shapes of the agreed contract — `wx.login` → `POST /relay/v1/auth/wechat`, the
 * `X-Hearth-Relay-Session` header on every relay call, hub calls under `/homes/{hubId}/api/v1/…`
 * with the hub's bearer token, the socket address, one silent re-login on
 * `RELAY_SESSION_INVALID`, and the relay's error codes surfacing as they are.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const { createClient } = require('..');
const { createWx } = require('./wx-shim');

let server;
let url;
const seen = [];
const relay = { sessions: new Set(), logins: 0, invalidateNext: false, hubOffline: false, hubRefreshes: [] };

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' });
  res.end(JSON.stringify(body));
}

function problem(res, status, code) {
  send(res, status, { type: 'about:blank', title: code, status: status, code: code, detail: code.toLowerCase() });
}

before(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => {
      const body = text ? JSON.parse(text) : null;
      seen.push({ method: req.method, path: req.url, headers: req.headers, body: body });
      const session = req.headers['x-hearth-relay-session'];
      if (req.method === 'POST' && req.url === '/relay/v1/auth/wechat') {
        if (!/^wx-code-/.test(body.code)) {
          return problem(res, 401, 'WECHAT_CODE_INVALID');
        }
        relay.logins++;
        const token = 'session-' + relay.logins;
        relay.sessions.add(token);
        return send(res, 200, { sessionToken: token, expiresInSec: 7200, homes: [{ hubId: 'hub-1', name: 'Home', online: true }] });
      }
      if (!relay.sessions.has(session) || relay.invalidateNext) {
        relay.invalidateNext = false;
        relay.sessions.delete(session);
        return problem(res, 401, 'RELAY_SESSION_INVALID');
      }
      if (req.method === 'GET' && req.url === '/relay/v1/homes') {
        return send(res, 200, { homes: [{ hubId: 'hub-1', name: 'Home', online: true }] });
      }
      if (req.method === 'POST' && req.url === '/relay/v1/homes/bind') {
        return send(res, 200, { hubId: body.hubId, pair: { accessToken: 'hub-access-1', refreshToken: 'hub-refresh-1',
          tokenType: 'Bearer', expiresIn: 900, user: { id: 'u1', name: body.name || 'phone', role: 'owner' } } });
      }
      if (req.method === 'DELETE' && req.url === '/relay/v1/homes/hub-1') {
        res.writeHead(204);
        return res.end();
      }
      if (req.url.startsWith('/homes/hub-1/api/v1/')) {
        if (relay.hubOffline) {
          return problem(res, 503, 'HUB_OFFLINE');
        }
        if (req.url === '/homes/hub-1/api/v1/auth/refresh') {
          relay.hubRefreshes.push(body.refreshToken);
          return send(res, 200, { accessToken: 'hub-access-1', refreshToken: 'hub-refresh-2', tokenType: 'Bearer',
            expiresIn: 900, user: { id: 'u1', name: 'phone', role: 'owner' } });
        }
        if (req.headers.authorization !== 'Bearer hub-access-1') {
          return problem(res, 401, 'UNAUTHORIZED');
        }
        if (req.url === '/homes/hub-1/api/v1/devices') {
          return send(res, 200, { devices: [{ id: 'lamp', state: {}, version: 1, online: true }] });
        }
      }
      return problem(res, 404, 'NOT_FOUND');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = 'http://127.0.0.1:' + server.address().port;
});

after(() => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }));

test('relay: login, bind a home, then hub calls through /homes/{hubId}/api/v1 with both credentials', async () => {
  const wx = createWx();
  const client = createClient({ relay: { url: url + '/' }, wx: wx });
  const homes = await client.login();
  assert.deepEqual(homes, [{ hubId: 'hub-1', name: 'Home', online: true }]);
  const login = seen.find((r) => r.path === '/relay/v1/auth/wechat');
  assert.deepEqual(login.body, { code: 'wx-code-1' });
  assert.equal(login.method, 'POST');

  assert.deepEqual(await client.homes(), homes);
  assert.equal(seen[seen.length - 1].headers['x-hearth-relay-session'], 'session-1');

  const bound = await client.bindHome({ hubId: 'hub-1', code: '7KQM-PX3A', name: 'Alice' });
  assert.deepEqual(bound, { hubId: 'hub-1', user: { id: 'u1', name: 'Alice', role: 'owner' } });
  const bind = seen[seen.length - 1];
  assert.deepEqual(bind.body, { hubId: 'hub-1', code: '7KQM-PX3A', name: 'Alice' });
  assert.equal(bind.headers['x-hearth-relay-session'], 'session-1');
  assert.ok(client.isPaired(), 'the hub tokens from `pair` are kept as after a LAN pairing');

  const devices = await client.listDevices();
  assert.equal(devices[0].id, 'lamp');
  const call = seen[seen.length - 1];
  assert.equal(call.path, '/homes/hub-1/api/v1/devices');
  assert.equal(call.headers.authorization, 'Bearer hub-access-1');
  assert.equal(call.headers['x-hearth-relay-session'], 'session-1');
  assert.equal(client.socketUrl(), url.replace('http', 'ws') + '/homes/hub-1/api/v1/ws');
});

test('relay: an invalid session is replaced by one silent login, once; relay codes surface as they are', async () => {
  const wx = createWx();
  const client = createClient({ relay: { url: url, hubId: 'hub-1' }, wx: wx });
  await client.login();
  await client.bindHome({ hubId: 'hub-1', code: 'X' });
  const logins = relay.logins;
  relay.invalidateNext = true;
  const devices = await client.listDevices();
  assert.equal(devices.length, 1);
  assert.equal(relay.logins, logins + 1, 'one wx.login → /relay/v1/auth/wechat');
  assert.equal(seen[seen.length - 1].headers['x-hearth-relay-session'], 'session-' + relay.logins);

  relay.hubOffline = true;
  await assert.rejects(client.listDevices(), (e) => e.code === 'HUB_OFFLINE' && e.status === 503);
  relay.hubOffline = false;

  await client.unbindHome('hub-1');
  assert.equal(seen[seen.length - 1].method, 'DELETE');
  assert.equal(seen[seen.length - 1].path, '/relay/v1/homes/hub-1');
  assert.equal(client.isPaired(), false);
  await assert.rejects(client.listDevices(), (e) => e.code === 'NO_HOME');
});

test('relay: a refused WeChat code surfaces as WECHAT_CODE_INVALID', async () => {
  const wx = createWx();
  wx.loginCode = () => 'forged';
  const client = createClient({ relay: { url: url }, wx: wx });
  await assert.rejects(client.login(), (e) => e.code === 'WECHAT_CODE_INVALID' && e.status === 401);
});

test('relay: a hub token refresh refused by the relay for its session is sent again after one login', async () => {
  const wx = createWx();
  const client = createClient({ relay: { url: url, hubId: 'hub-1' }, wx: wx });
  await client.login();
  await client.bindHome({ hubId: 'hub-1', code: 'X' });
  const key = 'hearth:tokens:' + url + '#hub-1';
  wx.setStorageSync(key, Object.assign(wx.getStorageSync(key), { expiresAt: Date.now() + 1000 })); // inside the margin
  const logins = relay.logins;
  relay.hubRefreshes.length = 0;
  relay.invalidateNext = true;
  assert.equal((await client.listDevices()).length, 1);
  assert.equal(relay.logins, logins + 1);
  assert.deepEqual(relay.hubRefreshes, ['hub-refresh-1'], 'the unspent refresh token reached the hub once');
  assert.equal(wx.getStorageSync(key).refreshToken, 'hub-refresh-2');
});
