// History charts with uPlot (a WebJar served by the gateway). GET /devices/{id}/history is a newer
// route: when the gateway does not answer it, the page says "history not available".
import { api } from './api.js';
import { h, replace, label } from './ui.js';

const UPLOT = '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
const UPLOT_CSS = '/webjars/uplot/1.6.30/dist/uPlot.min.css';
const DAY_MS = 86_400_000;

/** Points of a history answer as [seconds[], values[]], whatever the list is called. */
export function series(answer) {
  const list = Array.isArray(answer) ? answer
    : answer?.points || answer?.buckets || answer?.items || answer?.history || [];
  const xs = [];
  const ys = [];
  for (const p of list) {
    const t = Date.parse(p.ts ?? p.t ?? p.time ?? p.at ?? p.from ?? p.start);
    let v = p.value ?? p.v ?? p.avg ?? p.last;
    if (typeof v === 'boolean') v = v ? 1 : 0;
    if (!Number.isNaN(t) && typeof v === 'number') {
      xs.push(t / 1000);
      ys.push(v);
    }
  }
  return [xs, ys];
}

export async function historyChart(box, device, profile) {
  const numeric = (device.supports?.read || Object.keys(profile.properties || {}))
    .filter((p) => ['int', 'float'].includes(profile.properties?.[p]?.type));
  if (!numeric.length) {
    replace(box, h('p', {}, 'No numeric property to chart.'));
    return;
  }
  const to = new Date();
  const from = new Date(to.getTime() - DAY_MS);
  const charts = [];
  for (const p of numeric) {
    try {
      const q = new URLSearchParams({ property: p, from: from.toISOString(), to: to.toISOString() });
      const data = series(await api('GET', `/devices/${encodeURIComponent(device.id)}/history?${q}`));
      charts.push([p, data]);
    } catch (e) {
      replace(box, h('p', { class: 'note', 'data-history': 'unavailable' },
        `History not available: the gateway did not answer GET /devices/{id}/history (${e.message}).`));
      return;
    }
  }
  if (!document.querySelector(`link[href="${UPLOT_CSS}"]`)) {
    document.head.append(h('link', { rel: 'stylesheet', href: UPLOT_CSS }));
  }
  const { default: uPlot } = await import(UPLOT);
  replace(box);
  for (const [p, data] of charts) {
    const unit = profile.properties[p].unit;
    const figure = h('figure', { 'data-history': p }, h('figcaption', {}, `${label(p)}${unit ? ` (${unit})` : ''}`));
    box.append(figure);
    if (!data[0].length) {
      figure.append(h('p', {}, 'No points in the last 24 hours.'));
      continue;
    }
    new uPlot({ width: Math.min(720, box.clientWidth || 720), height: 200,
      series: [{}, { label: label(p), stroke: '#c0392b', width: 2 }] }, data, figure);
  }
}
