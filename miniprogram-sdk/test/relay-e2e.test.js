'use strict';

/**
 * Relay mode against the REAL relay (relay/target/hearth-relay.jar, TLS with a configured PKCS12
 * certificate made by run.js) and a real gateway (hearth-demo.jar) whose only path to the app is
 * its outbound tunnel: the owner links the hub on the LAN, then the SDK, through the wx shim,
 * logs in with a WeChat code (a local stand-in for WeChat's jscode2session, with its answer
 * shapes), binds the home with an invite code, lists devices, sends a command with wait and hears
 * a live event on the relayed socket. docs/relay.md.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const { createClient } = require('..');
const { createWx } = require('./wx-shim');
const { startGateway } = require('./gateway');
const { startRelay } = require('./relay-process');
const { until, nextEvent, phone } = require('./helpers');

const APP_ID = 'wx0sdk00000000test';
const SECRET = 'sdk-test-app-secret';
let wechat;
let relay;
let gw;
let owner; // the owner's phone at home, on the LAN (plain fetch)
let hubId;
let client;
const logins = [];

/** WeChat's `GET /sns/jscode2session`: text/plain JSON; a wx shim code gives one openid, anything else 40029. */
function startWeChat() {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    let answer;
    if (u.pathname !== '/sns/jscode2session' || u.searchParams.get('appid') !== APP_ID
        || u.searchParams.get('secret') !== SECRET || u.searchParams.get('grant_type') !== 'authorization_code') {
      answer = { errcode: 40013, errmsg: 'invalid appid' };
    } else if (/^wx-code-\d+$/.test(u.searchParams.get('js_code') || '')) {
      logins.push(u.searchParams.get('js_code'));
      answer = { openid: 'o-sdk-alice', session_key: 'SDK-SESSION-KEY', unionid: 'u-sdk-alice' };
    } else {
      answer = { errcode: 40029, errmsg: 'invalid code' };
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(JSON.stringify(answer));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  assert.ok(process.env.HEARTH_SDK_RELAY_KEY_STORE, 'run with node test/run.js (it makes the relay\'s certificate)');
  wechat = await startWeChat();
  relay = await startRelay({
    HEARTH_RELAY_TLS_KEY_STORE: process.env.HEARTH_SDK_RELAY_KEY_STORE,
    HEARTH_RELAY_TLS_PASSWORD: process.env.HEARTH_SDK_RELAY_KEY_STORE_PASSWORD,
    HEARTH_RELAY_WECHAT_APP_ID: APP_ID, HEARTH_RELAY_WECHAT_SECRET: SECRET,
    HEARTH_RELAY_WECHAT_API_BASE: 'http://127.0.0.1:' + wechat.address().port,
  }, 60000);
  gw = await startGateway(90000, {
    HEARTH_RELAY_ENABLED: 'true', HEARTH_RELAY_URL: relay.url,
    HEARTH_RELAY_TRUST_CERTIFICATE: process.env.HEARTH_SDK_RELAY_CERT,
  });
});

after(async () => {
  if (client) {
    client.disconnect();
  }
  if (gw) {
    await gw.stop();
  }
  if (relay) {
    await relay.stop();
  }
  if (wechat) {
    await new Promise((resolve) => { wechat.close(resolve); wechat.closeAllConnections(); });
  }
});

test('real relay: the owner links the hub on the LAN and its tunnel comes up', async () => {
  const paired = await fetch(gw.baseUrl + '/api/v1/auth/pair', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: gw.pairingCode, client: 'owner at home' }) }).then((r) => r.json());
  assert.equal(paired.user.role, 'owner');
  owner = phone(gw.baseUrl, paired.accessToken);
  const link = await owner('POST', '/relay/link');
  assert.equal(link.status, 200, JSON.stringify(link.body));
  hubId = link.body.hubId;
  assert.ok(link.body.linkCode);
  await gw.waitForLog(/hub linked to the relay/, 30000);
});

test('real relay: WeChat login, bind by invite code, devices, a command with wait, a live event on the relayed socket', async () => {
  const wx = createWx();
  client = createClient({ relay: { url: relay.url }, wx: wx, heartbeatMs: 2000, heartbeatTimeoutMs: 1000, minBackoffMs: 100 });
  // login: wx.login's code went to the relay, which asked the WeChat stand-in; no home yet
  assert.deepEqual(await client.login(), []);
  assert.deepEqual(logins, ['wx-code-1']);
  const loginCall = wx.log.find((r) => r.url === relay.url + '/relay/v1/auth/wechat');
  assert.equal(loginCall.status, 200);
  // bind with the owner's invite code: the hub's own pairing, answered through the tunnel
  const invite = await owner('POST', '/users/invites', { role: 'member' });
  assert.equal(invite.status, 201, JSON.stringify(invite.body));
  const bound = await client.bindHome({ hubId: hubId, code: invite.body.code, name: 'Alice' });
  assert.equal(bound.hubId, hubId);
  assert.equal(bound.user.role, 'member');
  assert.deepEqual(await client.homes(), [{ hubId: hubId, name: 'Alice', online: true }]);
  // devices through /homes/{hubId}/api/v1 on the relay, never the hub's own address
  const devices = await client.listDevices();
  assert.ok(devices.some((d) => d.id === 'demo-lamp'), JSON.stringify(devices.map((d) => d.id)));
  const call = wx.log[wx.log.length - 1];
  assert.equal(call.url, relay.url + '/homes/' + hubId + '/api/v1/devices');
  assert.ok(wx.log.every((r) => r.url.startsWith(relay.url)), 'every request went to the relay');
  // a command with wait, through the relay, ends succeeded with the device's new state
  const done = await client.set('demo-lamp', { power: true, brightness: 33 }, { wait: true });
  assert.equal(done.status, 'succeeded', JSON.stringify(done));
  assert.equal(done.state.brightness, 33);
  // the live connection: one relayed socket, live; the owner's command at home reaches it as an event
  client.connect();
  await until('live', 20000, (fn) => client.onStatus(fn), () => client.status === 'live');
  assert.equal(wx.stats.sockets, 1);
  assert.equal(client.socketUrl(), relay.url.replace(/^http/, 'ws') + '/homes/' + hubId + '/api/v1/ws');
  const seen = nextEvent(client, { devices: ['demo-lamp'], kinds: ['state'] }, (ev) => ev.data.changes.brightness === 44, 10000);
  const r = await owner('POST', '/devices/demo-lamp/commands', { set: { brightness: 44 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const ev = await seen;
  assert.ok(ev.seq > 0);
  await until('store brightness 44', 5000, (fn) => client.devices.onChange(fn),
    () => client.devices.get('demo-lamp').state.brightness === 44);
});
