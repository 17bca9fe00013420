// Kindred's web app: a tiny hash router over the pages. Routes:
//   #/sign-in  #/sign-up  #/  (companions)  #/c/ID (talk)  #/c/ID/know  #/c/ID/settings
import { session, api } from './api.js';
import { h } from './dom.js';
import { renderSignIn } from './page-sign-in.js';
import { renderCompanions } from './page-companions.js';
import { renderTalk } from './page-talk.js';
import { renderKnowledge } from './page-knowledge.js';
import { renderSettings } from './page-settings.js';

let leaveCurrentPage = null;
let routeTicket = 0;

function renderNav(companionId) {
  const nav = document.getElementById('nav');
  nav.hidden = !session.token;
  if (!session.token) {
    nav.replaceChildren();
    return;
  }
  const here = location.hash || '#/';
  const link = (href, label) => h('a', { href, 'aria-current': here === href ? 'page' : null }, label);
  const links = [link('#/', 'Companions')];
  if (companionId) {
    const base = `#/c/${encodeURIComponent(companionId)}`;
    links.push(link(base, 'Talk'), link(`${base}/know`, 'What I know'), link(`${base}/settings`, 'Settings'));
  }
  const signOut = h('button', { type: 'button', class: 'link', onclick: signOutNow }, 'Sign out');
  nav.replaceChildren(...links, signOut);
}

async function signOutNow() {
  try { await api('DELETE', '/api/sessions/current'); } catch { /* signed out here either way */ }
  session.token = null;
  location.hash = '#/sign-in';
}

async function route() {
  const ticket = ++routeTicket;
  leaveCurrentPage?.();
  leaveCurrentPage = null;
  const hash = location.hash || '#/';
  const signedIn = Boolean(session.token);
  if (!signedIn && hash !== '#/sign-up' && hash !== '#/sign-in') {
    location.replace('#/sign-in');
    return;
  }
  if (signedIn && (hash === '#/sign-in' || hash === '#/sign-up')) {
    location.replace('#/');
    return;
  }

  const companion = /^#\/c\/([^/]+)(?:\/(know|settings))?$/.exec(hash);
  renderNav(companion ? decodeURIComponent(companion[1]) : null);
  if (hash === '#/sign-in' || hash === '#/sign-up') {
    renderSignIn(hash === '#/sign-up');
  } else if (companion) {
    const id = decodeURIComponent(companion[1]);
    const page = companion[2] === 'know' ? renderKnowledge : companion[2] === 'settings' ? renderSettings : renderTalk;
    const leave = await page(id);
    // The person may have moved on while the page was opening: close what it opened.
    if (ticket === routeTicket) leaveCurrentPage = leave; else leave?.();
  } else {
    await renderCompanions();
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('kindred:signed-out', () => { location.hash = '#/sign-in'; });
route();
