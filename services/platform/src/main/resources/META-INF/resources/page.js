// What every page of the workbench shares: the header (navigation, the search box, the user, the plant's zone), times in
// the plant's zone, calls to the service that send to the login page when the session has ended, and small DOM helpers.
// Every URL is relative, so the pages work behind a reverse proxy that serves the service under a path of its own.
'use strict';

window.cpo = (() => {
  const plant = { zone: 'UTC' };
  let formatter = null;

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'scope') e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
    return e;
  }
  const td = (text, cls) => el('td', { class: cls }, text);
  // a value that rounds to zero is shown as 0.000, never −0.000
  const fixed = (v, d) => {
    if (v == null) return '–';
    const s = Number(v).toFixed(d);
    return /^-0(\.0*)?$/.test(s) ? s.substring(1) : s;
  };
  const pct = v => v == null ? '–' : (v * 100).toFixed(1) + ' %';

  /** An instant as the plant's local time, "2026-11-29 14:05:09". */
  function time(t) {
    if (!t) return '–';
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('sv-SE', { timeZone: plant.zone, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    }
    return formatter.format(new Date(t)).replace(',', '');
  }

  /** The plant's wall-clock time "2026-11-29T06:00" (a datetime-local input's value) as an ISO-8601 instant. */
  function instantOf(local) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local || '');
    if (!m) return null;
    const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: plant.zone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
      day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    const offset = ms => {
      const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map(x => [x.type, x.value]));
      return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
    };
    // twice: the zone's offset at the instant, not at the wall-clock time read as UTC (they differ around a DST change)
    let ms = wall - offset(wall);
    ms = wall - offset(ms);
    return new Date(ms).toISOString();
  }

  const unitHref = serial => 'unit.html?serial=' + encodeURIComponent(serial);
  const lotHref = (product, lot) => 'lot.html?product=' + encodeURIComponent(product) + '&lot=' + encodeURIComponent(lot);
  const unitLink = serial => el('a', { href: unitHref(serial) }, serial);
  const lotLink = (product, lot) => el('a', { href: lotHref(product, lot) }, lot);

  function toLogin() {
    location.href = 'login.html?next=' + encodeURIComponent(location.pathname.split('/').pop() + location.search);
  }

  /** GET a JSON resource; a 401 goes to the login page, any other error throws with the service's problem detail. */
  async function api(path, init) {
    const r = await fetch(path, init);
    if (r.status === 401) {
      toLogin();
      throw new Error('not logged in');
    }
    if (!r.ok) {
      let detail = r.status + ' ' + r.statusText;
      try { detail = (await r.json()).detail || detail; } catch (e) { /* not a problem body */ }
      const error = new Error(detail);
      error.status = r.status;
      throw error;
    }
    return { body: r.status === 204 ? null : await r.json(), headers: r.headers };
  }
  const json = async path => (await api(path)).body;

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrf-token=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function showProblem(message) {
    const p = document.getElementById('problem');
    p.textContent = message;
    p.hidden = !message;
  }

  // ---- the search box: a serial or a lot, by the start of its name
  async function search(text) {
    const q = text.trim();
    if (!q) return;
    const hits = await json('api/search?q=' + encodeURIComponent(q));
    const exact = hits.find(h => (h.kind === 'unit' ? h.serial : h.lot).toUpperCase() === q.toUpperCase());
    const only = hits.length === 1 ? hits[0] : null;
    const go = exact || only;
    if (go) {
      location.href = go.kind === 'unit' ? unitHref(go.serial) : lotHref(go.product, go.lot);
      return;
    }
    const list = document.getElementById('search-results');
    list.replaceChildren(...(hits.length ? hits.map(h => el('li', {}, h.kind === 'unit'
      ? el('a', { href: unitHref(h.serial) }, 'unit ' + h.serial + ' (' + h.product + ', lot ' + h.lot + ')')
      : el('a', { href: lotHref(h.product, h.lot) }, 'lot ' + h.lot + ' (' + h.product + ')')))
      : [el('li', {}, 'No unit or lot starts with “' + q + '”.')]));
    list.hidden = false;
  }

  /** The search box (a form and the list of its results). */
  function searchBox() {
    const form = el('form', { id: 'search', role: 'search', class: 'search' },
      el('label', { htmlFor: 'search-q' }, 'Find'),
      el('input', { id: 'search-q', name: 'q', type: 'search', placeholder: 'serial or lot', maxLength: 128, autocomplete: 'off' }),
      el('button', { type: 'submit' }, 'Go'));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      search(document.getElementById('search-q').value).catch(e => showProblem('Search failed: ' + e.message));
    });
    return [form, el('ul', { id: 'search-results', class: 'search-results', hidden: true, 'aria-live': 'polite' })];
  }

  const nav = () => el('nav', { 'aria-label': 'Pages' }, el('a', { href: 'dashboard.html' }, 'Live'), ' · ',
    el('a', { href: 'lot.html' }, 'Lots'), ' · ', el('a', { href: 'reports.html' }, 'Reports'), ' · ',
    el('a', { href: 'limits.html' }, 'Limits'));

  /** Learns the plant's zone (times before it are in UTC) and names it in the element #zone when there is one. */
  async function loadPlant() {
    const p = await json('api/plant');
    plant.zone = p.zone;
    formatter = null;
    const zone = document.getElementById('zone');
    if (zone) zone.textContent = 'times in ' + p.zone;
    return p;
  }

  /** Fills the page's header: title, navigation, search box, zone, user; resolves once the plant's zone is known. */
  async function header(title) {
    document.querySelector('header').replaceChildren(el('h1', {}, title), nav(), ...searchBox(),
      el('span', { id: 'zone', class: 'zone' }), el('div', { id: 'who', class: 'who' }));
    // a panel whose table is wider than the screen scrolls: it takes the keyboard's focus so it can be scrolled without a mouse
    document.querySelectorAll('section.panel').forEach(s => { s.tabIndex = 0; });
    try {
      const [, me] = await Promise.all([loadPlant(), json('api/me')]);
      const out = el('button', { type: 'button' }, 'Log out');
      out.addEventListener('click', async () => {
        await fetch('api/logout', { method: 'POST', headers: { 'X-CSRF-TOKEN': csrfToken() } });
        location.href = 'login.html';
      });
      document.getElementById('who').replaceChildren(me.user + ' (' + [...me.roles].sort().join(', ') + ') ', out);
    } catch (e) {
      showProblem(e.message);
      throw e;
    }
  }

  /** A table body from rows of cells. */
  function fill(tbody, rows) {
    (typeof tbody === 'string' ? document.querySelector(tbody) : tbody).replaceChildren(...rows);
  }

  return { el, td, fixed, pct, time, unitHref, lotHref, unitLink, lotLink, api, json, csrfToken, showProblem, header, fill, plant,
    searchBox, nav, loadPlant, instantOf };
})();
