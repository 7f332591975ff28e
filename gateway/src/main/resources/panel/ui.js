// Small DOM helpers: elements are built with properties and text nodes, never from HTML strings,
// so a device name can never become markup (and the CSP forbids inline code anyway).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && !k.includes('-') && k !== 'list' && k !== 'form') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** "3 min ago"-style age of an ISO time, with the exact time as a tooltip. */
export function when(iso) {
  if (!iso) return h('span', {}, 'never');
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const text = s < 60 ? `${Math.max(s, 0)} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago`
    : s < 86400 ? `${Math.round(s / 3600)} h ago` : new Date(iso).toLocaleString();
  return h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, text);
}

export function label(name) {
  return name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function format(value, spec, name) {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return name === 'power' ? (value ? 'on' : 'off') : (value ? 'yes' : 'no');
  return spec?.unit ? `${value} ${spec.unit}` : String(value);
}

/** Problem details as one readable line (VALIDATION_FAILED entries included). */
export function problemText(e) {
  const parts = (e.errors || []).map((x) => `${x.property}: ${x.message}`);
  return parts.length ? `${e.message} (${parts.join('; ')})` : e.message;
}

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, problemText(e));
}
