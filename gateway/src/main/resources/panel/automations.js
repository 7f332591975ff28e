// The automations page (docs/automations.md): the rules, enable/disable, run now, recent runs with
// their steps, and the rule itself read-only (rules are written through the API or the file).
import { api, user } from './api.js';
import { h, replace, when, errorBox } from './ui.js';

const enc = encodeURIComponent;
const RUNS = 10;

/** The rules; kept current by the `automation` WebSocket events (a run's end, a change elsewhere). */
export async function automationsPage(main, live) {
  const list = h('div', { class: 'automations' });
  replace(main, h('h1', {}, 'Automations'), list);
  if (user()?.role === 'guest') {
    replace(list, h('p', {}, 'Automations are managed by the owner and members.'));
    return () => {};
  }
  const cards = new Map();
  const load = async () => {
    try {
      const { automations } = await api('GET', '/automations');
      cards.clear();
      automations.forEach((a) => cards.set(a.id, rule(a)));
      replace(list, automations.length ? [...cards.values()]
        : h('p', {}, 'No automations yet: they are created through the API or the automations file (docs/automations.md).'));
    } catch (e) {
      replace(list, errorBox(e));
    }
  };
  const onEvent = ({ detail: e }) => {
    if (e.kind !== 'automation') return;
    const card = cards.get(e.data.id);
    if (card && e.data.change === 'run') card.runsChanged();
    else if (card && (e.data.change === 'enabled' || e.data.change === 'disabled')) card.reread();
    else load(); // created, updated (the rule shown changes), deleted
  };
  live.addEventListener('event', onEvent);
  await load();
  return () => live.removeEventListener('event', onEvent);
}

function rule(a) {
  const key = a.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const out = h('div', { class: 'message', 'aria-live': 'polite' });
  const runs = h('ol', { class: 'runs', 'aria-label': `Recent runs of ${a.alias || a.id}` });
  const meta = h('p', { class: 'meta' });
  const fromFile = a.source === 'file';
  const toggle = h('button', { type: 'button', id: `auto-enabled-${key}`, role: 'switch', class: 'switch',
    'aria-label': `${a.alias || a.id} enabled`, disabled: fromFile, title: fromFile ? 'Declared in the automations file' : null,
    onclick: async () => {
      replace(out);
      toggle.disabled = true;
      try {
        show(await api('POST', `/automations/${enc(a.id)}/${a.enabled ? 'disable' : 'enable'}`));
      } catch (e) {
        replace(out, errorBox(e));
      } finally {
        toggle.disabled = fromFile;
      }
    } });
  const loadRuns = async () => {
    try {
      const r = await api('GET', `/automations/${enc(a.id)}/runs?limit=${RUNS}`);
      replace(runs, r.runs.length ? r.runs.map(run) : h('li', {}, 'No run recorded.'));
    } catch (e) {
      replace(runs, h('li', {}, errorBox(e)));
    }
  };
  const runNow = h('button', { type: 'button', 'aria-label': `Run ${a.alias || a.id} now`, onclick: async () => {
    replace(out);
    try {
      const r = await api('POST', `/automations/${enc(a.id)}/trigger`, {});
      replace(out, h('p', { role: 'status' }, r.status === 'queued' ? 'Queued.' : 'Started.'));
    } catch (e) {
      replace(out, errorBox(e));
    }
    if (runsBox.open) loadRuns();
    else runsBox.open = true; // its toggle event loads the runs
  } }, 'Run now');
  const show = (next) => {
    a = next;
    toggle.setAttribute('aria-checked', String(!!a.enabled));
    toggle.textContent = a.enabled ? 'Enabled' : 'Disabled';
    const s = a.stats;
    replace(meta, `${a.mode || 'single'} · ${fromFile ? 'file' : 'api'}`,
      s ? ` · triggered ${s.triggered}, runs ${s.runs}, running ${s.running}, dropped ${s.dropped}, throttled ${s.throttled}` : '');
  };
  show(a);
  const body = { ...a };
  delete body.stats;
  const details = h('details', { class: 'rule' }, h('summary', {}, 'Rule'), h('pre', {}, JSON.stringify(body, null, 2)));
  const runsBox = h('details', { class: 'runs', ontoggle: () => { if (runsBox.open) loadRuns(); } },
    h('summary', {}, 'Recent runs'), h('button', { type: 'button', onclick: loadRuns }, 'Refresh runs'), runs);
  const card = h('section', { class: 'card automation', 'data-automation': a.id, 'aria-label': a.alias || a.id },
    h('h3', {}, a.alias || a.id), meta, h('div', { class: 'actions' }, toggle, runNow), out, details, runsBox);
  card.runsChanged = () => {
    if (runsBox.open) loadRuns();
    card.reread(); // its counters
  };
  card.reread = async () => {
    try { show(await api('GET', `/automations/${enc(a.id)}`)); } catch (e) { replace(out, errorBox(e)); }
  };
  return card;
}

function run(r) {
  return h('li', { class: `run ${r.status}`, 'data-run': r.runId },
    h('strong', {}, r.status), ' · ', when(r.startedAt), ' · ', r.trigger?.type || '?',
    r.error ? h('span', { class: 'error' }, ` — ${r.error}`) : '',
    h('ol', { class: 'steps' }, (r.steps || []).map((s) => h('li', { class: `cmd ${s.status}` },
      `${s.type}: `, h('strong', {}, s.status), s.code ? ` — ${s.code}` : '', s.detail ? ` (${s.detail})` : ''))));
}
