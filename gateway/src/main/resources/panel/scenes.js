// The scenes page (docs/scenes.md): list, activate with the per-device outcome, capture, delete.
import { api, user } from './api.js';
import { h, replace, when, errorBox } from './ui.js';
import { confirmDialog } from './device-card.js';

const enc = encodeURIComponent;

/** Scenes the API gives this user (a guest: those over its shared devices); owners and members manage them. */
export async function scenesPage(main, live) {
  const list = h('div', { class: 'cards scenes' });
  const manager = user()?.role !== 'guest';
  const parts = [h('h1', {}, 'Scenes'), list];
  const form = manager && captureForm(live, () => load());
  if (form) parts.push(h('h2', {}, 'New scene from the current state'), form);
  replace(main, ...parts);
  const load = async () => {
    try {
      const { scenes } = await api('GET', '/scenes');
      replace(list, scenes.length ? scenes.map((s) => sceneCard(s, live, manager, load)) : h('p', {}, 'No scenes yet.'));
    } catch (e) {
      replace(list, errorBox(e));
    }
  };
  await load();
  // scenes created, changed or deleted elsewhere (another browser, the app) show up at once
  const onEvent = (e) => { if (/^scene_(created|updated|deleted)$/.test(e.detail.kind)) load(); };
  const onDevices = () => form && form.refill();
  live.addEventListener('event', onEvent);
  live.addEventListener('devices', onDevices);
  return () => { live.removeEventListener('event', onEvent); live.removeEventListener('devices', onDevices); };
}

function count(n) {
  return `${n} device${n === 1 ? '' : 's'}`;
}

function deviceName(live, id) {
  return live?.devices.get(id)?.name || id;
}

function sceneCard(s, live, manager, reload) {
  const out = h('div', { class: 'outcome', 'aria-live': 'polite' });
  const targets = h('ul', { class: 'targets' }, Object.entries(s.targets).map(([device, set]) => h('li', {},
    h('strong', {}, deviceName(live, device)), ' ',
    Object.entries(set).map(([p, v]) => `${p} ${JSON.stringify(v)}`).join(', '))));
  const activate = h('button', { type: 'button', class: 'primary', 'aria-label': `Activate ${s.name}`,
    onclick: async () => {
      activate.disabled = true;
      replace(out, h('p', { role: 'status' }, 'Activating…'));
      try {
        replace(out, outcome(await api('POST', `/scenes/${enc(s.id)}/activate`, {}), live));
      } catch (e) {
        replace(out, errorBox(e));
      } finally {
        activate.disabled = false;
      }
    } }, 'Activate');
  const remove = manager && h('button', { type: 'button', 'aria-label': `Delete ${s.name}`, onclick: async () => {
    if (!await confirmDialog(`Delete the scene ${s.name}?`, 'Delete')) return;
    try {
      await api('DELETE', `/scenes/${enc(s.id)}`);
      reload();
    } catch (e) {
      replace(out, errorBox(e));
    }
  } }, 'Delete');
  return h('section', { class: 'card scene', 'data-scene': s.id, 'aria-label': s.name },
    h('h3', {}, s.name), h('p', { class: 'meta' }, `${count(Object.keys(s.targets).length)} · updated `, when(s.updatedAt)),
    targets, h('div', { class: 'actions' }, activate, remove), out);
}

/** The activation's answer: the scene's status and one line per device (failed ones with their code). */
function outcome(a, live) {
  return h('div', { class: `activation ${a.status}` },
    h('p', { role: 'status' }, 'Scene ', h('strong', {}, a.status)),
    h('ul', {}, a.devices.map((d) => h('li', { class: `cmd ${d.status}`, 'data-device': d.device },
      deviceName(live, d.device), ': ', h('strong', {}, d.status), d.code ? ` — ${d.code}` : '',
      d.detail ? ` (${d.detail})` : ''))));
}

/** POST /scenes with capture: the targets are the chosen devices' current settable values. */
function captureForm(live, reload) {
  const name = h('input', { id: 'scene-name', required: true, maxLength: 100 });
  const devices = h('fieldset', { class: 'devices' });
  let shown = '';
  const refill = () => { // the devices known so far (the page may open before the first get_states)
    const all = [...live.devices.values()].sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id));
    if (all.map((d) => d.id).join() === shown) return;
    shown = all.map((d) => d.id).join();
    const checked = new Set([...devices.querySelectorAll('input:checked')].map((c) => c.value));
    replace(devices, h('legend', {}, 'Devices to capture'), all.map((d) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'device', value: d.id, checked: checked.has(d.id) }), ` ${d.name || d.id}`)));
  };
  refill();
  const out = h('div', { class: 'message' });
  const form = h('form', { class: 'capture', onsubmit: async (e) => {
    e.preventDefault();
    replace(out);
    const capture = [...devices.querySelectorAll('input:checked')].map((c) => c.value);
    if (!capture.length) {
      replace(out, h('p', { class: 'error', role: 'alert' }, 'Choose at least one device.'));
      return;
    }
    try {
      const s = await api('POST', '/scenes', { name: name.value.trim(), capture });
      replace(out, h('p', { role: 'status' }, `Saved ${s.name}.`));
      name.value = '';
      devices.querySelectorAll('input:checked').forEach((c) => { c.checked = false; });
      reload();
    } catch (err) {
      replace(out, errorBox(err));
    }
  } }, h('label', { for: 'scene-name' }, 'Name'), name, devices,
  h('button', { type: 'submit', class: 'primary' }, 'Save scene'), out);
  form.refill = refill;
  return form;
}
