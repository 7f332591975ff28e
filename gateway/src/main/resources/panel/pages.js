// The pair, home and device pages.
import { api, pair } from './api.js';
import { h, replace, label, format, when, errorBox } from './ui.js';
import { historyChart } from './history.js';

/** Pairing: a code from the gateway's log (the owner's first pairing) or an invite. */
export function pairPage(main, onPaired) {
  const code = h('input', { id: 'pair-code', name: 'code', autocomplete: 'one-time-code', required: true,
    autocapitalize: 'characters', spellcheck: false });
  const client = h('input', { id: 'pair-client', name: 'client', required: true, value: `Web panel (${navigator.platform || 'browser'})` });
  const out = h('div', { class: 'message' });
  const form = h('form', { class: 'pair', onsubmit: async (e) => {
    e.preventDefault();
    replace(out);
    try {
      await pair(code.value.trim(), client.value.trim());
      onPaired();
    } catch (err) {
      replace(out, errorBox(err));
    }
  } },
  h('h1', {}, 'Pair this browser'),
  h('p', {}, 'Enter the pairing code the gateway printed at its first start (in data/pairing-code), or an invite code.'),
  h('label', { for: 'pair-code' }, 'Code'), code,
  h('label', { for: 'pair-client' }, 'Name of this browser'), client,
  h('button', { type: 'submit', class: 'primary' }, 'Pair'), out);
  replace(main, form);
  code.focus();
}

/** Rooms with their devices, live. */
export function homePage(main, live, profiles) {
  const cards = new Map();
  const rooms = h('div', { class: 'rooms' });
  replace(main, h('h1', {}, 'Home'), rooms);
  const render = (ids) => {
    if (ids) {
      ids.forEach((id) => cards.get(id)?.show(live.devices.get(id), profiles.get(live.devices.get(id)?.profile), live));
      if (ids.every((id) => cards.has(id))) return;
    }
    const byRoom = new Map();
    [...live.devices.values()].sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id))
      .forEach((d) => byRoom.set(d.room || 'No room', [...(byRoom.get(d.room || 'No room') || []), d]));
    const sections = [...byRoom.keys()].sort().map((room) => {
      const list = h('div', { class: 'cards' });
      byRoom.get(room).forEach((d) => {
        const card = cards.get(d.id) || h('hearth-device-card');
        cards.set(d.id, card);
        card.show(d, profiles.get(d.profile), live);
        list.append(card);
      });
      return h('section', { class: 'room', 'aria-label': label(room) }, h('h2', {}, label(room)), list);
    });
    replace(rooms, sections.length ? sections : h('p', {}, live.seq !== null ? 'No devices yet.' : 'Connecting…'));
  };
  render(null);
  const onChange = (e) => render(e.detail);
  live.addEventListener('devices', onChange);
  return () => live.removeEventListener('devices', onChange);
}

/** One device: its controls, properties, recent commands and history. */
export function devicePage(main, live, profiles, id) {
  const card = h('hearth-device-card');
  const props = h('tbody');
  const commands = h('ol', { class: 'commands' });
  const chart = h('div', { class: 'history', 'aria-live': 'polite' }, 'Loading history…');
  const title = h('h1', {}, id);
  replace(main, title, card, h('h2', {}, 'Properties'),
    h('table', { class: 'props' }, h('thead', {}, h('tr', {}, h('th', {}, 'Property'), h('th', {}, 'Reported'),
      h('th', {}, 'Pending'), h('th', {}, 'Updated'))), props),
    h('h2', {}, 'Recent commands'), commands, h('h2', {}, 'History (24 h)'), chart);
  let charted = false;
  const render = async () => {
    let d = live.devices.get(id);
    if (!d) {
      try { d = await api('GET', `/devices/${encodeURIComponent(id)}`); } catch (e) { replace(main, errorBox(e)); return; }
    }
    const profile = profiles.get(d.profile) || { properties: {} };
    title.textContent = d.name || d.id;
    card.show(d, profile, live);
    replace(props, Object.keys({ ...profile.properties, ...d.state }).map((p) => h('tr', {},
      h('th', { scope: 'row' }, label(p)), h('td', {}, format(d.state?.[p], profile.properties[p], p)),
      h('td', {}, d.pending && p in d.pending ? format(d.pending[p], profile.properties[p], p) : ''),
      h('td', {}, d.updatedAt?.[p] ? when(d.updatedAt[p]) : ''))));
    const recent = live.commands.get(id) || [];
    replace(commands, recent.length ? recent.map((c) => h('li', { class: `cmd ${c.status}` },
      h('code', {}, c.what ? JSON.stringify(c.what.set || c.what.action) : c.commandId.slice(0, 8)), ' ',
      h('strong', {}, c.status), c.error ? ` — ${c.error.message || c.error.code || c.error}` : ''))
      : h('li', {}, 'No command seen since this page was opened.'));
    if (!charted) {
      charted = true;
      historyChart(chart, d, profile);
    }
  };
  render();
  const onChange = (e) => { if (!e.detail || e.detail.includes(id)) render(); };
  const onCommand = (e) => { if (e.detail.device === id) render(); };
  live.addEventListener('devices', onChange);
  live.addEventListener('command', onCommand);
  return () => { live.removeEventListener('devices', onChange); live.removeEventListener('command', onCommand); };
}
