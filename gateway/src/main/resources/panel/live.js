// The live half (docs/websocket.md): one WebSocket for the whole panel. get_states, then subscribe
// with since = its seq; after a drop, reconnect and subscribe with since = the last seq seen (a
// resync answer refetches the states). Fires 'devices' (detail: ids changed, or null for all),
// 'status' ('live' | 'connecting' | 'offline') and 'command' (detail: the event).
import { accessToken, api, refresh } from './api.js';

const MAX_BACKOFF_MS = 5000;
const RECENT_COMMANDS = 20;
const TERMINAL = new Set(['succeeded', 'failed', 'timed_out', 'unknown', 'superseded']);

export class Live extends EventTarget {
  constructor() {
    super();
    this.devices = new Map();
    this.commands = new Map(); // device id -> recent commands, newest first
    this.seq = null;
    this.status = 'connecting';
    this.ws = null;
    this.nextId = 1;
    this.waiting = new Map();
    this.attempt = 0;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    if (this.ws) this.ws.close(1000);
  }

  setStatus(s) {
    if (this.status !== s) {
      this.status = s;
      console.info(`hearth: ${s} [seq: ${this.seq}]`);
      this.dispatchEvent(new CustomEvent('status', { detail: s }));
    }
  }

  changed(ids) {
    this.dispatchEvent(new CustomEvent('devices', { detail: ids }));
  }

  async connect() {
    if (this.stopped) return;
    this.setStatus('connecting');
    let token;
    try {
      if (this.refused) await refresh(); // the last token was refused: never retry it as it is
      this.refused = false;
      token = await accessToken();
    } catch (e) {
      if (e.status === 401) return; // signed out
      this.retry();
      return;
    }
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (m) => this.receive(JSON.parse(m.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.waiting.forEach(({ reject }) => reject(new Error('connection closed')));
      this.waiting.clear();
      this.setStatus('offline');
      this.retry();
    };
  }

  retry() {
    if (this.stopped) return;
    const wait = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt++);
    setTimeout(() => this.connect(), wait);
  }

  request(message) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ ...message, id }));
    });
  }

  async receive(m) {
    if (m.type === 'auth_ok') {
      this.synchronise().catch(() => this.ws && this.ws.close());
    } else if (m.type === 'auth_invalid') {
      this.refused = true; // the server closes; the next attempt refreshes first
      this.setStatus('offline');
    } else if (m.type === 'result') {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (w) m.ok ? w.resolve(m.result) : w.reject(Object.assign(new Error(m.error.message), m.error));
    } else if (m.type === 'event') {
      this.apply(m);
    }
  }

  /** get_states then subscribe since its seq; on a resume, subscribe since the last seq seen. */
  async synchronise() {
    if (this.seq === null) await this.snapshot();
    this.buffer = [];
    const sub = await this.request({ type: 'subscribe', since: this.seq });
    console.info(`hearth: subscribed since ${this.seq} [latest: ${sub.seq}, resync: ${!!sub.resync}, held: ${this.buffer.length}]`);
    if (sub.resync) await this.snapshot();
    const held = this.buffer;
    this.buffer = null;
    held.filter((e) => e.seq > this.seq).forEach((e) => this.apply(e));
    this.attempt = 0;
    this.setStatus('live');
  }

  async snapshot() {
    const { devices, seq } = await this.request({ type: 'get_states' });
    this.devices = new Map(devices.map((d) => [d.id, d]));
    this.seq = seq;
    this.changed(null);
  }

  apply(e) {
    if (this.buffer) {
      this.buffer.push(e);
      return;
    }
    if (this.seq !== null && e.seq <= this.seq) return;
    this.seq = e.seq;
    const d = this.devices.get(e.device);
    if (e.kind === 'state' && d) {
      d.state = { ...d.state, ...e.data.changes };
      d.version = e.data.version;
      d.updatedAt = { ...d.updatedAt };
      Object.keys(e.data.changes).forEach((k) => { d.updatedAt[k] = e.ts; });
      this.changed([e.device]);
    } else if (e.kind === 'command') {
      this.track(e.device, { commandId: e.data.commandId, status: e.data.status, error: e.data.error, ts: e.ts });
      this.dispatchEvent(new CustomEvent('command', { detail: e }));
      this.reload(e.device); // pending values leave with the command
    } else if (e.kind === 'availability' || (e.kind === 'device' && e.data.change === 'added')) {
      this.reload(e.device);
    } else if (e.kind === 'device' && e.data.change === 'removed') {
      this.devices.delete(e.device);
      this.changed(null);    } else if (e.kind === 'automation' || e.kind.startsWith('scene_')) {
      this.dispatchEvent(new CustomEvent('event', { detail: e })); // the scenes and automations pages
    }
  }

  /** Re-reads one device over REST (its pending values, availability, last seen). */
  async reload(id) {
    this.reloads ||= new Map();
    const ticket = (this.reloads.get(id) || 0) + 1;
    this.reloads.set(id, ticket);
    try {
      const d = await api('GET', `/devices/${encodeURIComponent(id)}`);
      if (this.reloads.get(id) !== ticket) return; // a newer reload is under way
      const known = this.devices.get(id);
      if (known && known.version > d.version) {
        // a state event overtook this answer: keep the newer state, take the rest
        Object.assign(d, { state: known.state, updatedAt: known.updatedAt, version: known.version });
      }
      this.devices.set(id, d);
      this.changed(known ? [id] : null);
    } catch (e) {
      if (e.status === 404 && this.devices.delete(id)) this.changed(null);
    }
  }

  /** Records a command this panel sent or saw, so the device page can list recent ones. */
  track(device, c) {
    const list = this.commands.get(device) || [];
    const known = list.find((x) => x.commandId === c.commandId);
    if (known) {
      Object.assign(known, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));
    } else {
      list.unshift(c);
      list.length = Math.min(list.length, RECENT_COMMANDS);
    }
    this.commands.set(device, list);
  }

  /** Sends a command over REST without waiting (202 pending); progress arrives as command events. */
  async command(device, body) {
    const answer = await api('POST', `/devices/${encodeURIComponent(device)}/commands`, { ...body, wait: false });
    // its command events may have come first: then they hold the newer status
    const seen = (this.commands.get(device) || []).some((c) => c.commandId === answer.commandId);
    this.track(device, { commandId: answer.commandId, status: seen ? undefined : answer.status, what: body });
    if (!TERMINAL.has(answer.status)) this.reload(device);
    return answer;
  }
}
