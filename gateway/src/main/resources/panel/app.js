// The panel's entry: a hash router over the pages, one Live store (one WebSocket) while signed in.
import { api, signedIn, signOut, onSignedOut, user } from './api.js';
import { Live } from './live.js';
import './device-card.js';
import { pairPage, homePage, devicePage } from './pages.js';
import { discoveryPage, peoplePage, healthPage } from './admin.js';
import { scenesPage } from './scenes.js';
import { automationsPage } from './automations.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const conn = document.getElementById('conn');
const signout = document.getElementById('signout');
const STATUS = { live: 'Live', connecting: 'Connecting…', offline: 'Reconnecting…' };

let live = null;
let profiles = new Map();
let leave = () => {};

async function startSession() {
  live = new Live();
  live.addEventListener('status', (e) => {
    conn.textContent = STATUS[e.detail];
    conn.dataset.state = e.detail;
  });
  conn.textContent = STATUS.connecting;
  live.start();
  try {
    profiles = new Map((await api('GET', '/profiles')).profiles.map((p) => [p.id, p]));
  } catch { /* controls fall back to read-only values */ }
}

function chrome() {
  const on = signedIn();
  nav.hidden = !on;
  signout.hidden = !on;
  const owner = user()?.role === 'owner';
  nav.querySelectorAll('[data-owner]').forEach((a) => { a.hidden = !owner; });
  nav.querySelectorAll('[data-manager]').forEach((a) => { a.hidden = user()?.role === 'guest'; });
  const hash = location.hash || '#/home';
  nav.querySelectorAll('a').forEach((a) => {
    if (hash.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

async function route() {
  leave();
  leave = () => {};
  chrome();
  if (!signedIn()) {
    conn.textContent = '';
    pairPage(main, async () => {
      await startSession();
      location.hash = '#/home';
      route();
    });
    return;
  }
  const [, page, arg] = (location.hash || '#/home').split('/');
  if (page === 'device' && arg) leave = devicePage(main, live, profiles, decodeURIComponent(arg));
  else if (page === 'discovery') await discoveryPage(main, profiles);
  else if (page === 'scenes') leave = await scenesPage(main, live);
  else if (page === 'automations') leave = await automationsPage(main, live);
  else if (page === 'people') peoplePage(main, live);
  else if (page === 'health') await healthPage(main);
  else leave = homePage(main, live, profiles);
  main.focus({ preventScroll: true });
}

signout.addEventListener('click', () => signOut());
onSignedOut(() => {
  if (live) live.stop();
  live = null;
  location.hash = '#/pair';
  route();
});
window.addEventListener('hashchange', route);

(async () => {
  if (signedIn()) await startSession();
  route();
})();
