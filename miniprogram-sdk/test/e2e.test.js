'use strict';

/**
 * The SDK against the real gateway (hearth-demo.jar, simulated devices), through the wx shim that
 * enforces the mini-program's limits. One gateway for the whole file; the cases run in order.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { isDeepStrictEqual } = require('node:util');
const { createClient } = require('..');
const { createWx } = require('./wx-shim');
const { startGateway } = require('./gateway');
const { until, nextEvent, phone, signJwt, claimsOf, essentials } = require('./helpers');

const CUT_MS = 300; // 5 s on a phone; short here so the test waits on the cut, not on a clock
let gw;
let wx;
let client;
let other; // a second phone, a member paired by invite, driving changes with plain fetch
const earlier = new Set(); // commands of earlier cases whose events may still be on their way

before(async () => {
  gw = await startGateway(90000);
  wx = createWx({ cutDelayMs: CUT_MS });
  client = createClient({ baseUrl: gw.baseUrl, wx: wx, heartbeatMs: 2000, heartbeatTimeoutMs: 1000, minBackoffMs: 100 });
});

after(async () => {
  if (client) {
    client.disconnect();
  }
  if (gw) {
    await gw.stop();
  }
});

function live(c) {
  return until('live', 15000, (fn) => c.onStatus(fn), () => c.status === 'live');
}

async function restDevices() {
  const r = await other('GET', '/devices');
  assert.equal(r.status, 200);
  return r.body.devices;
}

/** The store agrees with GET /devices on ids, state, version, online (a report may land between two reads: look again). */
async function agreesWithRest(c) {
  for (let i = 0; ; i++) {
    const rest = await restDevices();
    if (i === 5 || isDeepStrictEqual(essentials(c.devices.all()), essentials(rest))) {
      assert.deepEqual(essentials(c.devices.all()), essentials(rest));
      return;
    }
    await until('the store\'s next change', 3000, (fn) => c.devices.onChange(fn), () => false).catch(() => {});
  }
}

test('pair: the owner pairs with the gateway\'s code; tokens are in wx storage', async () => {
  const user = await client.pair(gw.pairingCode, { client: 'sdk test' });
  assert.equal(user.role, 'owner');
  assert.ok(client.isPaired());
  const kept = wx.getStorageSync('hearth:tokens:' + gw.baseUrl);
  assert.match(kept.accessToken, /^ey/);
  assert.ok(kept.refreshToken && kept.expiresAt > Date.now());
  // a used code is refused with the API's code
  await assert.rejects(client.pair(gw.pairingCode), (e) => e.code === 'UNAUTHORIZED' && e.status === 401);
  // the second phone: a member by invite
  const invite = await client.createInvite({ role: 'member' });
  const paired = await fetch(gw.baseUrl + '/api/v1/auth/pair', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: invite.code, client: 'other phone' }) }).then((r) => r.json());
  assert.equal(paired.user.role, 'member');
  other = phone(gw.baseUrl, paired.accessToken);
});

test('live: connect loads every device and goes live on one socket', async () => {
  client.connect();
  await live(client);
  await until('demo-lamp online', 20000, (fn) => client.devices.onChange(fn),
    () => client.devices.get('demo-lamp') && client.devices.get('demo-lamp').online);
  assert.deepEqual(client.devices.ids(), (await restDevices()).map((d) => d.id).sort());
  assert.equal(wx.openSockets(), 1);
});

test('command with wait: answered once the device confirms; the store follows by events', async () => {
  const answer = await client.set('demo-lamp', { power: true, brightness: 42 });
  assert.equal(answer.status, 'succeeded');
  assert.equal(answer.state.brightness, 42);
  await until('store brightness 42', 5000, (fn) => client.devices.onChange(fn),
    () => client.devices.get('demo-lamp').state.brightness === 42);
  // errors surface as the API's code
  await assert.rejects(client.set('demo-lamp', { brightness: 1000 }),
    (e) => e.code === 'VALIDATION_FAILED' && e.status === 422 && e.errors[0].property === 'brightness');
  await assert.rejects(client.device('no-such-device'), (e) => e.code === 'DEVICE_NOT_FOUND');
  const status = await client.commandStatus('demo-lamp', answer.commandId);
  assert.equal(status.status, 'succeeded');
});

test('live events: another phone\'s command reaches the store and the page\'s subscription', async () => {
  const seen = nextEvent(client, { devices: ['demo-lamp'], kinds: ['state'] }, (ev) => ev.data.changes.brightness === 17, 5000);
  const changed = until('store brightness 17', 5000, (fn) => client.devices.onChange(fn),
    () => client.devices.get('demo-lamp').state.brightness === 17);
  const r = await other('POST', '/devices/demo-lamp/commands', { set: { brightness: 17 } });
  assert.equal(r.status, 200);
  const ev = await seen;
  await changed;
  assert.equal(client.devices.get('demo-lamp').version, ev.data.version);
  assert.equal(client.devices.seq >= ev.seq, true);
});

test('background: the socket is cut, devices change, onAppShow resumes with since and the store equals GET /devices', async () => {
  const sentBefore = wx.socketLog.length;
  wx.hide();
  await wx.whenCut();
  const seqBefore = client.devices.seq; // nothing arrives after the cut
  assert.equal(wx.openSockets(), 0, 'the cut closed the socket');
  // meanwhile, in the home (the app hears nothing)
  const changes = [['demo-lamp', { brightness: 23 }], ['demo-plug', { power: true }], ['demo-lamp', { power: false }]];
  for (const [id, set] of changes) {
    const r = await other('POST', '/devices/' + id + '/commands', { set: set });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  assert.notEqual(client.devices.get('demo-lamp').state.brightness, 23);
  // a request made in the background after the cut fails at once, and is retried once the app is back
  const pending = client.device('demo-plug');
  wx.show();
  await live(client);
  assert.equal((await pending).state.power, true);
  await until('replayed', 5000, (fn) => client.devices.onChange(fn), () => client.devices.get('demo-lamp').state.power === false);
  await agreesWithRest(client);
  assert.equal(client.devices.get('demo-lamp').state.brightness, 23);
  // resumed from the seq it had, without a full reload
  const sent = wx.socketLog.slice(sentBefore).map((m) => JSON.parse(m));
  const sub = sent.find((m) => m.type === 'subscribe');
  assert.equal(sub.since, seqBefore);
  assert.equal(sent.some((m) => m.type === 'get_states'), false, 'no get_states on a resume the gateway could replay');
});

test('token expiry during a call: the gateway answers 401, one refresh serves every call, each call succeeds', async () => {
  // There is no config key for a short access-token lifetime on this branch, and waiting 15 min
  // is no test: sign, with the gateway's own key, a token of this session that expired a minute
  // ago, and let the SDK believe it still has 10 minutes (a phone clock that runs late).
  const key = 'hearth:tokens:' + gw.baseUrl;
  const kept = wx.getStorageSync(key);
  const claims = claimsOf(kept.accessToken);
  const now = Math.floor(Date.now() / 1000);
  const valid = signJwt(gw.jwtKey(), Object.assign({}, claims, { jti: 'sdk-valid', iat: now, exp: now + 600 }));
  const expired = signJwt(gw.jwtKey(), Object.assign({}, claims, { jti: 'sdk-expired', iat: now - 960, exp: now - 60 }));
  // the forgery is faithful: the same claims with a future exp are accepted, so the 401 below is the expiry
  assert.equal((await phone(gw.baseUrl, valid)('GET', '/devices')).status, 200);
  assert.equal((await phone(gw.baseUrl, expired)('GET', '/devices')).status, 401);
  wx.setStorageSync(key, Object.assign({}, kept, { accessToken: expired, expiresAt: Date.now() + 600000 }));
  const from = wx.log.length;
  const refreshesBefore = client.auth.refreshCount;
  const answers = await Promise.all([client.listDevices(), client.device('demo-lamp'), client.listDevices({ room: 'living' }),
    client.set('demo-plug', { power: false }), client.profiles()]);
  assert.equal(answers[1].id, 'demo-lamp');
  assert.equal(answers[3].status, 'succeeded');
  earlier.add(answers[3].commandId);
  const calls = wx.log.slice(from);
  assert.equal(calls.filter((c) => c.url.endsWith('/auth/refresh')).length, 1, 'one refresh for five calls');
  assert.equal(client.auth.refreshCount - refreshesBefore, 1);
  assert.equal(calls.filter((c) => c.status === 401).length, 5, 'each call met the expired token once');
  assert.notEqual(wx.getStorageSync(key).accessToken, expired);
  // the socket, open all along, stays live; the new token was sent on it for its next requests
  assert.equal(client.status, 'live');
});

test('a retried command is applied once: the answer is lost, the retry carries the same Idempotency-Key', async () => {
  const sent = [];
  const off = client.subscribe({ devices: ['demo-plug'], kinds: ['command'] }, (ev) => {
    if (ev.data.status === 'sent' && !earlier.has(ev.data.commandId)) {
      sent.push(ev.data.commandId);
    }
  });
  let lost = 0;
  wx.loseResponse = (req) => req.method === 'POST' && req.url.endsWith('/devices/demo-plug/commands') && lost++ === 0;
  const from = wx.log.length;
  const target = !client.devices.get('demo-plug').state.power;
  const succeeded = [];
  const offDone = client.subscribe({ devices: ['demo-plug'], kinds: ['command'] }, (ev) => {
    if (ev.data.status === 'succeeded') {
      succeeded.push(ev.data.commandId);
    }
  });
  const answer = await client.set('demo-plug', { power: target });
  wx.loseResponse = null;
  assert.equal(answer.status, 'succeeded');
  const posts = wx.log.slice(from).filter((c) => c.method === 'POST' && c.url.endsWith('/devices/demo-plug/commands'));
  assert.equal(posts.length, 2, 'the first answer was lost and the command retried');
  assert.equal(posts[0].lost, true);
  assert.equal(posts[0].status, 200, 'the gateway did execute the first request');
  assert.equal(posts[1].headers['Idempotency-Key'], posts[0].headers['Idempotency-Key']);
  await until('the command\'s succeeded event', 5000, (fn) => client.subscribe({ devices: ['demo-plug'] }, fn),
    () => succeeded.indexOf(answer.commandId) >= 0);
  off();
  offDone();
  assert.deepEqual(sent, [answer.commandId], 'one command went to the device');
  assert.equal((await client.commandStatus('demo-plug', answer.commandId)).status, 'succeeded');
});

test('a device registered and deleted by the owner appears in and leaves the store', async () => {
  const added = until('sdk-plug added', 10000, (fn) => client.devices.onChange(fn), () => client.devices.get('sdk-plug'));
  const created = await client.request('POST', '/devices', { body: { id: 'sdk-plug', name: 'SDK plug', room: 'office',
    profile: 'plug', binding: { protocol: 'mqtt', convention: 'hearth' } } });
  assert.equal(created.id, 'sdk-plug');
  assert.equal((await added).profile, 'plug');
  const removed = until('sdk-plug removed', 10000, (fn) => client.devices.onChange(fn), () => !client.devices.get('sdk-plug'));
  assert.equal(await client.request('DELETE', '/devices/sdk-plug'), null);
  await removed;
  await agreesWithRest(client);
});

test('resync: when the gateway no longer holds the events after since, the SDK reloads with get_states', async () => {
  wx.hide();
  await wx.whenCut();
  // as after the gateway's data was reset: the app's seq is ahead of every seq the gateway holds
  client.devices.seq += 1000000;
  const from = wx.socketLog.length;
  const r = await other('POST', '/devices/demo-lamp/commands', { set: { brightness: 71 } });
  assert.equal(r.status, 200);
  wx.show();
  await live(client);
  const sent = wx.socketLog.slice(from).map((m) => JSON.parse(m).type);
  assert.deepEqual(sent.filter((t) => t === 'subscribe' || t === 'get_states'), ['subscribe', 'get_states']);
  assert.equal(client.devices.get('demo-lamp').state.brightness, 71);
  await agreesWithRest(client);
});

test('a socket that went silent in a short background is proven dead on onAppShow and replaced, with since', async () => {
  wx.hide(); // shown again before the cut: wx closed nothing
  wx.stallSockets();
  const seqBefore = client.devices.seq;
  const from = wx.socketLog.length;
  const r = await other('POST', '/devices/demo-lamp/commands', { set: { brightness: 33 } });
  assert.equal(r.status, 200);
  const connects = client.live.connects;
  wx.show();
  await until('store brightness 33', 10000, (fn) => client.devices.onChange(fn),
    () => client.devices.get('demo-lamp').state.brightness === 33);
  assert.equal(client.live.connects, connects + 1, 'one new socket');
  const sub = wx.socketLog.slice(from).map((m) => JSON.parse(m)).find((m) => m.type === 'subscribe');
  assert.equal(sub.since, seqBefore);
  await live(client);
});

test('the socket meets an expired token: auth_invalid, one refresh, a new socket, live again', async () => {
  const key = 'hearth:tokens:' + gw.baseUrl;
  const kept = wx.getStorageSync(key);
  const now = Math.floor(Date.now() / 1000);
  const expired = signJwt(gw.jwtKey(), Object.assign({}, claimsOf(kept.accessToken), { jti: 'sdk-ws', iat: now - 960, exp: now - 60 }));
  wx.setStorageSync(key, Object.assign({}, kept, { accessToken: expired, expiresAt: Date.now() + 600000 }));
  const refreshes = client.auth.refreshCount;
  const statuses = [];
  const off = client.onStatus((s) => statuses.push(s));
  wx.hide();
  await wx.whenCut();
  wx.show();
  await live(client);
  off();
  assert.equal(client.auth.refreshCount - refreshes, 1);
  assert.notEqual(wx.getStorageSync(key).accessToken, expired);
  assert.equal(statuses.indexOf('unauthorized'), -1, statuses.join(' '));
  await agreesWithRest(client);
});

test('the request queue keeps at most 10 in flight; the shim refuses none', async () => {
  const ids = client.devices.ids();
  const many = [];
  for (let i = 0; i < 30; i++) {
    many.push(client.device(ids[i % ids.length]));
  }
  const got = await Promise.all(many);
  assert.equal(got.length, 30);
  assert.equal(client.http.queue.peak, 10);
  assert.ok(wx.stats.peakRequests <= 10);
  assert.equal(wx.stats.refusedRequests, 0);
});

test('history: GET /devices/{id}/history (issue 15)', async (t) => {
  const to = new Date();
  const from = new Date(to.getTime() - 3600000);
  try {
    const h = await client.history('demo-lamp', { property: 'brightness', from: from, to: to });
    assert.equal(typeof h, 'object');
  } catch (e) {
    if (e.code === 'NOT_FOUND') {
      t.skip('the history route is not on this branch yet (issue 15, built in parallel): ' + e.message);
      return;
    }
    throw e;
  }
});

test('discovery and approve: an owner\'s lists, and the API\'s code for nothing pending', async () => {
  assert.ok(Array.isArray(await client.discovery()));
  await assert.rejects(client.approve('nothing-pending-here'), (e) => e.status === 404 && /NOT_FOUND/.test(e.code));
});

test('the example page (example/pages/home) pairs with an invite, lists the devices live and switches a lamp', async () => {
  const invite = await client.createInvite({ role: 'member' });
  const pageWx = createWx({ cutDelayMs: CUT_MS });
  const hearth = createClient({ baseUrl: gw.baseUrl, wx: pageWx });
  let config = null;
  global.getApp = () => ({ globalData: { hearth: hearth } });
  global.Page = (c) => { config = c; };
  try {
    require('../example/pages/home/home.js');
  } finally {
    delete global.getApp;
    delete global.Page;
  }
  // the page as WeChat runs it: its methods on an instance with `data` and `setData`
  const page = Object.assign({}, config, { data: JSON.parse(JSON.stringify(config.data)) });
  const rendered = [];
  page.setData = (d) => { Object.assign(page.data, d); rendered.forEach((fn) => fn()); };
  const renders = (fn) => { rendered.push(fn); return () => rendered.splice(rendered.indexOf(fn), 1); };
  try {
    page.onLoad();
    assert.equal(page.data.paired, false);
    page.onCodeInput({ detail: { value: invite.code } });
    await page.onPair();
    assert.equal(page.data.paired, true, page.data.error);
    await until('page lists demo-lamp', 10000, renders, () => page.data.status === 'live'
      && page.data.devices.some((d) => d.id === 'demo-lamp'));
    const target = !hearth.devices.get('demo-lamp').state.power;
    await page.onToggle({ currentTarget: { dataset: { id: 'demo-lamp' } }, detail: { value: target } });
    await until('page shows the lamp switched', 5000, renders,
      () => page.data.devices.find((d) => d.id === 'demo-lamp').state.power === target);
  } finally {
    page.onUnload();
    hearth.disconnect();
    await pageWx.whenNoSockets();
  }
});

test('the app relaunched (killed in the background): a new client finds its tokens and loads the home', async () => {
  client.disconnect();
  await wx.whenNoSockets();
  const again = createClient({ baseUrl: gw.baseUrl, wx: wx, heartbeatMs: 2000 });
  try {
    assert.ok(again.isPaired());
    again.connect();
    await live(again);
    await agreesWithRest(again);
  } finally {
    again.disconnect();
  }
  assert.equal(wx.stats.peakSockets, 1, 'never more than one socket');
  assert.equal(wx.stats.refusedSockets, 0);
  assert.equal(wx.stats.refusedRequests, 0);
});
