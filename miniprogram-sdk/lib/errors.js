'use strict';

/**
 * Every failure the SDK reports is a HearthError whose `code` is the API's stable code
 * (docs/api.md#errors: `DEVICE_OFFLINE`, `UNAUTHORIZED`, …, and the relay's `HUB_OFFLINE`,
 * `WECHAT_CODE_INVALID`, …), or one of the SDK's own codes for what never reached an answer:
 * `NETWORK_ERROR` (the request failed or was cut, e.g. ~5 s after the app went to the
 * background), `NOT_PAIRED` (no tokens stored), `NOT_LOGGED_IN` (relay mode, no session),
 * `SOCKET_CLOSED` (the live connection closed before answering), `TIMEOUT` (no answer in time).
 */
class HearthError extends Error {
  constructor(code, message, extra) {
    super(message || code);
    this.name = 'HearthError';
    this.code = code;
    this.status = 0;
    if (extra) {
      Object.assign(this, extra);
    }
  }
}

/** A HearthError from an HTTP answer: the problem's `code` when it has one, else `HTTP_<status>`. */
function fromResponse(status, body, headers) {
  const problem = body && typeof body === 'object' ? body : {};
  const code = typeof problem.code === 'string' ? problem.code : 'HTTP_' + status;
  const err = new HearthError(code, problem.detail || problem.title || problem.message || code, {
    status: status,
    detail: problem.detail,
    errors: problem.errors,
    commandId: problem.commandId,
    commandStatus: problem.commandStatus,
    body: body,
  });
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined && !isNaN(Number(retryAfter))) {
    err.retryAfter = Number(retryAfter);
  }
  return err;
}

/** A header's value whatever its case (wx.request gives them as the server spelled them). */
function header(headers, name) {
  if (!headers) {
    return undefined;
  }
  const wanted = name.toLowerCase();
  const keys = Object.keys(headers);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i].toLowerCase() === wanted) {
      return headers[keys[i]];
    }
  }
  return undefined;
}

module.exports = { HearthError, fromResponse, header };
