// The discovery, people and health pages.
import { api, text, user } from './api.js';
import { h, replace, label, when, errorBox } from './ui.js';

/** Pending registrations (GET /discovery), each approved with a name, a room and a profile. */
export async function discoveryPage(main, profiles) {
  const list = h('div', { class: 'cards' });
  replace(main, h('h1', {}, 'Discovery'), h('p', {}, 'Devices that announced themselves and are not registered yet.'),
    h('button', { type: 'button', onclick: () => load() }, 'Refresh'), list);
  const load = async () => {
    try {
      const { pending } = await api('GET', '/discovery');
      replace(list, pending.length ? pending.map((p) => approveForm(p, profiles, load)) : h('p', {}, 'Nothing pending.'));
    } catch (e) {
      replace(list, errorBox(e));
    }
  };
  await load();
}

function approveForm(p, profiles, reload) {
  const key = p.id.replace(/[^a-z0-9_-]/g, '');
  const name = h('input', { id: `ap-name-${key}`, value: p.name || p.id, required: true });
  const room = h('input', { id: `ap-room-${key}`, value: '' });
  const profile = h('select', { id: `ap-profile-${key}` },
    [...profiles.keys()].map((id) => h('option', { value: id, selected: id === p.profile }, id)));
  const out = h('div', { class: 'message' });
  return h('form', { class: 'card approve', 'data-pending': p.id, onsubmit: async (e) => {
    e.preventDefault();
    replace(out);
    try {
      const body = { name: name.value.trim(), profile: profile.value };
      if (room.value.trim()) body.room = room.value.trim();
      const d = await api('POST', `/devices/${encodeURIComponent(p.id)}/approve`, body);
      replace(out, h('p', { role: 'status' }, `Registered ${d.name}.`),
        d.credentials ? h('p', { class: 'note' }, 'Broker credentials, shown this once: ',
          h('code', {}, `${d.credentials.username} / ${d.credentials.password}`)) : '');
      setTimeout(reload, d.credentials ? 60_000 : 0);
    } catch (err) {
      replace(out, errorBox(err));
    }
  } },
  h('h3', {}, p.name || p.id), h('p', { class: 'meta' }, `${p.source} · ${p.protocol} · ${p.key} · seen `, when(p.seenAt)),
  h('label', { for: name.id }, 'Name'), name, h('label', { for: room.id }, 'Room'), room,
  h('label', { for: profile.id }, 'Profile'), profile,
  h('button', { type: 'submit', class: 'primary' }, 'Approve'), out);
}

/** Who this is, and (owner) invites for members and guests. */
export function peoplePage(main, live) {
  const me = user() || {};
  const made = h('ul', { class: 'invites' });
  const parts = [h('h1', {}, 'People'),
    h('p', {}, 'Signed in as ', h('strong', {}, me.name || '?'), ` (${me.role || '?'}).`),
    me.role === 'guest' ? h('p', {}, `Shared with you: ${(me.devices || []).join(', ') || 'no device'}.`) : ''];
  if (me.role === 'owner') {
    const role = h('select', { id: 'invite-role' }, h('option', { value: 'member' }, 'member'),
      h('option', { value: 'guest' }, 'guest'));
    const devices = h('fieldset', { class: 'devices', hidden: true }, h('legend', {}, 'Devices shared with the guest'),
      [...live.devices.values()].map((d) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'device', value: d.id }), ` ${d.name || d.id}`)));
    role.addEventListener('change', () => { devices.hidden = role.value !== 'guest'; });
    const out = h('div', { class: 'message' });
    parts.push(h('h2', {}, 'Invite someone'), h('form', { class: 'invite', onsubmit: async (e) => {
      e.preventDefault();
      replace(out);
      const body = { role: role.value };
      if (role.value === 'guest') body.devices = [...devices.querySelectorAll('input:checked')].map((c) => c.value);
      try {
        const inv = await api('POST', '/users/invites', body);
        made.prepend(h('li', { class: 'invite-code' }, h('strong', {}, inv.role), ' — code ',
          h('code', { class: 'code' }, inv.code), ' · pair link ',
          h('code', {}, `hearth://pair?code=${encodeURIComponent(inv.code)}`), ' · valid until ',
          h('time', { datetime: inv.expiresAt }, new Date(inv.expiresAt).toLocaleString()),
          body.devices ? ` · devices: ${body.devices.join(', ')}` : ''));
      } catch (err) {
        replace(out, errorBox(err));
      }
    } }, h('label', { for: 'invite-role' }, 'Role'), role, devices,
    h('button', { type: 'submit', class: 'primary' }, 'Create invite'), out),
    h('p', { class: 'note' }, 'Each code works once within 24 hours: type it on the pairing page of the panel or the app. ' +
      'No QR code is drawn (no QR encoder is available as a WebJar here).'), made,
    h('h2', {}, 'Sessions'), h('p', { class: 'note' }, 'The API has no list of users or sessions yet, so they cannot be '
      + 'revoked from here; deleting data/jwt-hs256.key on the hub signs every client out (docs/security.md).'));
  }
  replace(main, ...parts);
}

/** GET /health, and for the owner a summary of GET /metrics and the API version. */
export async function healthPage(main) {
  const box = h('div');
  replace(main, h('h1', {}, 'Health'), box);
  const rows = [];
  try {
    const health = await fetch('/api/v1/health').then((r) => r.json());
    Object.entries(health).forEach(([k, v]) => rows.push([label(k), v]));
  } catch (e) {
    rows.push(['Health', `not answering (${e.message})`]);
  }
  try {
    const version = (await text('/openapi.yaml', false)).match(/^\s+version:\s*["']?([^"'\n]+)/m);
    if (version) rows.push(['API version', version[1]]);
  } catch { /* the document is optional for this page */ }
  if (user()?.role === 'owner') {
    try {
      const m = metrics(await text('/metrics'));
      rows.push(['Devices', m.hearth_devices], ['Devices online', m.hearth_devices_online],
        ['Commands in flight', m.hearth_commands_in_flight], ['Reports dropped', m.hearth_device_reports_dropped]);
      Object.entries(m.commands).forEach(([status, n]) => rows.push([`Commands ${status}`, n]));
    } catch (e) {
      box.append(errorBox(e));
    }
  }
  box.prepend(h('table', { class: 'health' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {},
    h('th', { scope: 'row' }, k), h('td', { class: /^(up|down|degraded)/.test(String(v)) ? String(v).split(' ')[0] : '' },
      v === undefined ? '—' : String(v)))))));
}

/** The few Prometheus samples the page shows. */
export function metrics(textBody) {
  const out = { commands: {} };
  for (const line of textBody.split('\n')) {
    const m = line.match(/^(hearth_[a-z_]+)(\{[^}]*\})?\s+([0-9.eE+-]+)$/);
    if (!m) continue;
    const value = Number(m[3]);
    const status = m[2]?.match(/status="([^"]+)"/);
    if (m[1] === 'hearth_commands_total' && status) out.commands[status[1]] = value;
    else if (!m[2]) out[m[1]] = value;
  }
  return out;
}
