// <hearth-device-card>: one device with its controls, built from its profile and what its binding
// can set (docs/api.md, "supports"). Values are updated in place on live changes, so a control keeps
// focus and a slider being dragged is never reset under the finger. Sliders send only their final
// value (the 'change' event), never every step of a drag ('input').
import { h, replace, label, format, when, errorBox } from './ui.js';

let dialog;

/** A yes/no question in a modal <dialog>; resolves to true when confirmed. */
export function confirmDialog(question, yes) {
  dialog ||= document.body.appendChild(h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-q' }));
  return new Promise((resolve) => {
    const done = (ok) => { dialog.close(); resolve(ok); };
    replace(dialog, h('p', { id: 'confirm-q' }, question),
      h('div', { class: 'row' },
        h('button', { type: 'button', onclick: () => done(false) }, 'Cancel'),
        h('button', { type: 'button', class: 'primary', onclick: () => done(true) }, yes)));
    dialog.addEventListener('cancel', () => resolve(false), { once: true });
    dialog.showModal();
    dialog.querySelector('.primary').focus();
  });
}

export class DeviceCard extends HTMLElement {
  /** @param live the Live store, @param profile the device's profile (GET /profiles) */
  show(device, profile, live) {
    this.live = live;
    this.profile = profile || { properties: {}, actions: {} };
    const shape = JSON.stringify([device.id, device.online, device.supports]);
    if (shape !== this.shape) {
      this.shape = shape;
      this.build(device);
    }
    this.update(device);
  }

  build(d) {
    this.device = d;
    this.controls = [];
    this.className = 'card';
    this.dataset.device = d.id;
    const props = this.profile.properties || {};
    const set = new Set(d.supports?.set || Object.keys(props));
    const read = d.supports?.read || Object.keys(props);
    const body = h('div', { class: 'controls' });
    for (const name of read) {
      const spec = props[name] || {};
      body.append(set.has(name) && spec.mode === 'rw' ? this.control(d, name, spec) : this.reading(name, spec));
    }
    const actions = h('div', { class: 'actions' });
    for (const name of d.supports?.actions || []) {
      const input = this.profile.actions?.[name]?.input || {};
      if (Object.keys(input).length === 0) {
        actions.append(h('button', { type: 'button', class: 'action', disabled: !d.online,
          'aria-label': `${d.name}: ${label(name)}`, onclick: () => this.send({ action: name, input: {} }) }, label(name)));
      }
    }
    if (actions.childElementCount) body.append(actions);
    this.status = h('p', { class: 'status' });
    this.message = h('div', { class: 'message' });
    replace(this,
      h('h3', {}, h('a', { href: `#/device/${encodeURIComponent(d.id)}` }, d.name || d.id)),
      this.status, body, this.message);
  }

  reading(name, spec) {
    const value = h('span', { class: 'value' });
    this.controls.push({ name, update: (d) => { value.textContent = format(d.state?.[name], spec, name); } });
    return h('div', { class: 'reading' }, h('span', { class: 'name' }, label(name)), value);
  }

  control(d, name, spec) {
    const id = `ctl-${d.id}-${name}`;
    const pending = h('span', { class: 'pending', hidden: true });
    const wanted = (dev) => (dev.pending && name in dev.pending ? dev.pending[name] : dev.state?.[name]);
    const showPending = (dev) => {
      const has = dev.pending && name in dev.pending;
      pending.hidden = !has;
      pending.textContent = has ? `→ ${format(dev.pending[name], spec)} pending` : '';
    };
    let input;
    if (spec.type === 'bool') {
      const lock = name === 'locked';
      input = h('button', { type: 'button', id, role: 'switch', class: 'switch', disabled: !d.online,
        'aria-label': `${d.name} ${label(name)}` });
      input.addEventListener('click', async () => {
        const next = !wanted(this.device);
        if (lock && !next && !(await confirmDialog(`Unlock ${this.device.name}?`, 'Unlock'))) return;
        if (lock && next && !(await confirmDialog(`Lock ${this.device.name}?`, 'Lock'))) return;
        this.send({ set: { [name]: next } });
      });
      this.controls.push({ name, update: (dev) => {
        const on = !!dev.state?.[name];
        input.setAttribute('aria-checked', String(on));
        input.textContent = lock ? (on ? 'Locked' : 'Unlocked') : (on ? 'On' : 'Off');
        showPending(dev);
      } });
      return h('div', { class: 'control' }, h('span', { class: 'name' }, label(name)), input, pending);
    }
    if (spec.type === 'enum') {
      input = h('select', { id, disabled: !d.online }, (spec.values || []).map((v) => h('option', { value: v }, v)));
      input.addEventListener('change', () => this.send({ set: { [name]: input.value } }));
      this.controls.push({ name, update: (dev) => {
        if (document.activeElement !== input) input.value = dev.state?.[name] ?? '';
        showPending(dev);
      } });
    } else {
      const ranged = spec.min !== undefined && spec.max !== undefined;
      const step = spec.step ?? (spec.type === 'int' ? 1 : 0.1);
      input = h('input', { id, type: ranged ? 'range' : 'number', min: spec.min, max: spec.max, step, disabled: !d.online });
      const out = h('output', { for: id });
      let dragging = false;
      input.addEventListener('pointerdown', () => { dragging = true; });
      input.addEventListener('input', () => { out.textContent = format(Number(input.value), spec); });
      input.addEventListener('change', () => {
        dragging = false;
        const v = Number(input.value);
        this.send({ set: { [name]: v } });
      });
      this.controls.push({ name, update: (dev) => {
        const v = dev.state?.[name];
        if (!dragging && v !== undefined) {
          input.value = v;
          out.textContent = format(v, spec);
        }
        showPending(dev);
      } });
      return h('div', { class: 'control' }, h('label', { for: id }, label(name)), input, out, pending);
    }
    return h('div', { class: 'control' }, h('label', { for: id }, label(name)), input, pending);
  }

  update(d) {
    this.device = d;
    this.classList.toggle('offline', !d.online);
    replace(this.status, d.online ? h('span', { class: 'badge ok' }, 'online')
      : [h('span', { class: 'badge off' }, 'offline'), d.offlineReason ? ` (${d.offlineReason})` : '',
        ' · last seen ', when(d.lastSeen)]);
    this.controls.forEach((c) => c.update(d));
  }

  async send(body) {
    replace(this.message);
    try {
      await this.live.command(this.device.id, body);
    } catch (e) {
      replace(this.message, errorBox(e));
    }
  }
}
customElements.define('hearth-device-card', DeviceCard);
