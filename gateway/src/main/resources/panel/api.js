// The REST half of the public API (docs/api.md): pairing, token refresh, JSON calls with the bearer
// token. The session (tokens and user) lives in localStorage, so a reload stays signed in.
const BASE = '/api/v1';
const KEY = 'hearth.session';
const REFRESH_MARGIN_MS = 60_000;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
    this.errors = problem?.errors || [];
  }
}

let session = read();
let refreshing = null;
let timer = null;
const listeners = new Set();

function read() {
  try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
}

function store(answer) {
  session = {
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    expiresAt: Date.now() + answer.expiresIn * 1000,
    user: answer.user || session?.user,
  };
  localStorage.setItem(KEY, JSON.stringify(session));
  schedule();
  return session;
}

function schedule() {
  clearTimeout(timer);
  if (session) {
    const wait = Math.max(1000, session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    timer = setTimeout(() => refresh().catch(() => {}), wait);
  }
}
schedule();

/** Called with no argument when the session ends (sign out, or the gateway refused the refresh). */
export function onSignedOut(fn) { listeners.add(fn); }

export function user() { return session?.user || null; }
export function signedIn() { return !!session; }

export function signOut() {
  session = null;
  clearTimeout(timer);
  localStorage.removeItem(KEY);
  listeners.forEach((fn) => fn());
}

export async function pair(code, client) {
  const answer = await send('POST', '/auth/pair', { code, client });
  return store(answer).user;
}

/** One refresh at a time (refresh tokens work once; across tabs too, where Web Locks exist). */
export function refresh() {
  if (!refreshing) {
    const run = async () => {
      const latest = read();
      if (latest && session && latest.refreshToken !== session.refreshToken && latest.expiresAt > Date.now()) {
        session = latest; // another tab refreshed already
        schedule();
        return session;
      }
      if (!session) throw new ApiError(401, { detail: 'not signed in' });
      try {
        return store(await send('POST', '/auth/refresh', { refreshToken: session.refreshToken }));
      } catch (e) {
        if (e.status === 401) signOut();
        throw e;
      }
    };
    const locked = navigator.locks ? navigator.locks.request('hearth-refresh', run) : run();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function accessToken() {
  if (!session) throw new ApiError(401, { detail: 'not signed in' });
  if (Date.now() > session.expiresAt - REFRESH_MARGIN_MS) await refresh();
  return session.accessToken;
}

/** A JSON call with the bearer token; a 401 refreshes once and retries. Resolves to the body (or null). */
export async function api(method, path, body) {
  try {
    return await send(method, path, body, await accessToken());
  } catch (e) {
    if (e.status !== 401 || !session) throw e;
    await refresh();
    return send(method, path, body, session.accessToken);
  }
}

/** A text answer (Prometheus metrics, the OpenAPI document). */
export async function text(path, auth = true) {
  const headers = auth ? { Authorization: `Bearer ${await accessToken()}` } : {};
  const res = await fetch(BASE + path, { headers });
  if (!res.ok) throw new ApiError(res.status, await problem(res));
  return res.text();
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new ApiError(res.status, await problem(res));
  return res.status === 204 ? null : res.json();
}

async function problem(res) {
  try { return await res.json(); } catch { return { title: res.statusText }; }
}
