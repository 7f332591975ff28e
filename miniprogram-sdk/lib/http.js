'use strict';

const { HearthError, fromResponse } = require('./errors');
const { RequestQueue } = require('./queue');

/** wx.request's own ceiling on one request (the mini-program's `networkTimeout.request` default). */
const WX_MAX_TIMEOUT_MS = 60000;

/**
 * One HTTP exchange through wx.request, behind the request queue. Resolves with
 * `{status, data, headers}` for any HTTP answer (the caller decides what an error status means);
 * rejects with NETWORK_ERROR when wx.request fails (no answer: refused, cut, timed out).
 */
class Http {
  constructor(wx, maxConcurrent) {
    this.wx = wx;
    this.queue = new RequestQueue(maxConcurrent);
  }

  send(opts) {
    return this.queue.run(() => this._send(opts));
  }

  _send(opts) {
    return new Promise((resolve, reject) => {
      const req = {
        url: opts.url,
        method: opts.method || 'GET',
        header: opts.headers || {},
        timeout: Math.min(opts.timeoutMs || WX_MAX_TIMEOUT_MS, WX_MAX_TIMEOUT_MS),
        dataType: 'json',
        responseType: 'text',
        success: (res) => resolve({ status: res.statusCode, data: res.data, headers: res.header || {} }),
        fail: (err) => reject(new HearthError('NETWORK_ERROR',
          (err && err.errMsg) || 'request failed', { cause: err })),
      };
      if (opts.body !== undefined) {
        req.data = opts.body;
        req.header['Content-Type'] = 'application/json';
      }
      this.wx.request(req);
    });
  }
}

/** Throws the API's error for a non-2xx answer; returns the body otherwise. */
function bodyOrThrow(res) {
  if (res.status >= 200 && res.status < 300) {
    return res.data === '' ? null : res.data;
  }
  throw fromResponse(res.status, typeof res.data === 'string' ? parseMaybe(res.data) : res.data, res.headers);
}

function parseMaybe(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}

module.exports = { Http, bodyOrThrow, WX_MAX_TIMEOUT_MS };
