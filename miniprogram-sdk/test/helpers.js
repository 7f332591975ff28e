'use strict';

const crypto = require('crypto');

/** Resolves when `check()` holds at one of `subscribe`'s notifications, or rejects at the deadline. */
function until(what, timeoutMs, subscribe, check) {
  return new Promise((resolve, reject) => {
    let off = () => {};
    const timer = setTimeout(() => { off(); reject(new Error(what + ': not within ' + timeoutMs + ' ms')); }, timeoutMs);
    const test = () => {
      let v;
      try { v = check(); } catch (e) { v = false; }
      if (v) { clearTimeout(timer); off(); resolve(v); }
    };
    off = subscribe(test);
    test();
  });
}

/** The next event matching `pred` on the client's live connection. */
function nextEvent(client, filter, pred, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error('no matching event within ' + timeoutMs + ' ms')); }, timeoutMs);
    const off = client.subscribe(filter, (ev) => { if (pred(ev)) { clearTimeout(timer); off(); resolve(ev); } });
  });
}

/** Another phone: plain fetch with its own token (not the SDK under test). */
function phone(baseUrl, token) {
  return async (method, path, body) => {
    const res = await fetch(baseUrl + '/api/v1' + path, {
      method: method,
      headers: Object.assign({ Authorization: 'Bearer ' + token }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

/** An HS256 JWT as the gateway signs them (docs/security.md#tokens), with the claims given. */
function signJwt(key, claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ typ: 'JWT', alg: 'HS256' }) + '.' + b64(claims);
  return head + '.' + crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(head).digest('base64url');
}

function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** What must agree between the SDK's store and GET /devices: ids, state, version, online. */
function essentials(devices) {
  const out = {};
  devices.forEach((d) => { out[d.id] = { state: d.state, version: d.version, online: d.online }; });
  return out;
}

module.exports = { until, nextEvent, phone, signJwt, claimsOf, essentials };
