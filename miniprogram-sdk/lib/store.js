'use strict';

const { addListener } = require('./listeners');

/**
 * `client.devices`: the devices the token may see, kept current by the live connection. Each
 * change replaces the device's object (never mutates it), so a page can hand it to `setData` and
 * compare by reference. `seq` is the event seq the store reflects (docs/websocket.md#seq-and-resuming-with-since).
 *
 * A change callback gets `{type, id, device, changes?}`, `type` one of `state`, `availability`,
 * `added`, `removed`, or `{type:'reset'}` after a full load (first connect, or a `resync`).
 */
class DeviceStore {
  constructor() {
    this.byId = {};
    this.seq = null;
    this.listeners = [];
  }

  get(id) {
    return this.byId[id];
  }

  /** Every device, ordered by id. */
  all() {
    return Object.keys(this.byId).sort().map((id) => this.byId[id]);
  }

  ids() {
    return Object.keys(this.byId).sort();
  }

  /** Calls `fn` at every change; returns a function that stops it. */
  onChange(fn) {
    return addListener(this.listeners, fn);
  }

  /** The first change for which `predicate(store)` holds, or now if it holds already. */
  when(predicate, timeoutMs) {
    return new Promise((resolve, reject) => {
      if (predicate(this)) {
        resolve(this);
        return;
      }
      let timer = null;
      const off = this.onChange(() => {
        if (predicate(this)) {
          off();
          clearTimeout(timer);
          resolve(this);
        }
      });
      if (timeoutMs) {
        timer = setTimeout(() => { off(); reject(new Error('store: condition not met within ' + timeoutMs + ' ms')); },
          timeoutMs);
      }
    });
  }

  /** Replaces everything with a `get_states` answer. */
  reset(devices, seq) {
    const next = {};
    devices.forEach((d) => { next[d.id] = d; });
    this.byId = next;
    this.seq = seq;
    this._emit({ type: 'reset' });
  }

  /** Applies one event; events at or below the store's seq are already in it and are skipped. */
  apply(ev) {
    if (this.seq !== null && ev.seq <= this.seq) {
      return false;
    }
    this.seq = ev.seq;
    const d = this.byId[ev.device];
    const data = ev.data || {};
    if (ev.kind === 'state' && d) {
      const updatedAt = Object.assign({}, d.updatedAt);
      Object.keys(data.changes || {}).forEach((k) => { updatedAt[k] = ev.ts; });
      this._put(Object.assign({}, d, {
        state: Object.assign({}, d.state, data.changes),
        version: data.version,
        updatedAt: updatedAt,
        lastSeen: ev.ts,
      }), { type: 'state', changes: data.changes });
    } else if (ev.kind === 'availability' && d) {
      const next = Object.assign({}, d, { online: data.online });
      if (data.online) {
        delete next.offlineReason;
        next.lastSeen = ev.ts;
      } else {
        next.offlineReason = data.reason;
      }
      this._put(next, { type: 'availability' });
    } else if (ev.kind === 'device' && data.change === 'removed' && d) {
      delete this.byId[ev.device];
      this._emit({ type: 'removed', id: ev.device, device: d });
    }
    return true;
  }

  /** Adds or replaces a device read by REST (after a `device` `added` event). */
  put(device, type) {
    const old = this.byId[device.id];
    if (old && old.version > device.version) {
      return;
    }
    this._put(device, { type: type || (old ? 'state' : 'added') });
  }

  _put(device, change) {
    this.byId[device.id] = device;
    this._emit(Object.assign({ id: device.id, device: device }, change));
  }

  _emit(change) {
    this.listeners.slice().forEach((fn) => {
      try {
        fn(change);
      } catch (e) {
        // a page's callback must not break the store
        if (typeof console !== 'undefined') {
          console.error('hearth: device store listener failed', e);
        }
      }
    });
  }
}

module.exports = { DeviceStore };
