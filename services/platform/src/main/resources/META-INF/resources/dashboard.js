// The live dashboard: one EventSource on /api/live (a snapshot on every connect, then each change), rendered
// with Apache ECharts. The browser reconnects by itself after a restart of the service and starts again from
// the snapshot the service sends on connect. Ratios arrive as fractions and are shown as % with one decimal;
// coupling loss in dB with three decimals; Cpk with two.
'use strict';

const params = new URLSearchParams(location.search);
const trace = params.get('trace') === '1' ? (window.cpoTrace = []) : null;
const filter = { product: params.get('product') || '', lot: params.get('lot') || '' };
// a line screen's read-only link (issued by an administrator): the stream authenticates with it, nobody logs in
const screen = params.get('screen') || '';
if (screen) {
  const keep = document.createElement('input');
  Object.assign(keep, { type: 'hidden', name: 'screen', value: screen });
  document.getElementById('filters').append(keep);
}
document.getElementById('filter-product').value = filter.product;
document.getElementById('filter-lot').value = filter.lot;

const state = {
  yield: new Map(), rty: new Map(), statistics: new Map(),
  verdicts: [], failures: [], alarms: [], burnin: { units: [] },
  // the alarms' lifecycle from the service (api/alarms): open and acknowledged ones, and their counts
  alarmList: [], alarmCounts: { open: 0, acknowledged: 0 }, roles: [],
  products: new Set(), lots: new Set(),
  // as many latest verdicts, failures and alarms as the service keeps (each snapshot says how many)
  kept: { verdicts: 30, failures: 100, alarms: 500 },
  // dead letters and corrections stored by the service, line-wide
  operator: { deadLetters: 0, deadLettersNotReplayed: 0, corrections: 0 },
};
const CPK_FLAG = 1.33;

// ---- formatting (same rounding as the tests: half up on the exact value, as Number.toFixed does)
const pct = v => v == null ? '–' : (v * 100).toFixed(1) + ' %';
const db = (v, d = 3) => v == null ? '–' : v.toFixed(d);
const fixed = (v, d) => v == null ? '–' : v.toFixed(d);
// times in the plant's zone (page.js; UTC until the service has named the zone)
const time = t => cpo.time(t);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null) continue;
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}
const td = (text, cls) => el('td', { class: cls }, text);
const unitLink = serial => cpo.unitLink(serial);

// ---- the stream
let source;
let reconnectTimer;
function setStatus(s, text) {
  const e = document.getElementById('status');
  e.className = 'status ' + s;
  e.dataset.state = s;
  e.textContent = text;
}

function connect() {
  const qs = new URLSearchParams();
  if (filter.product) qs.set('product', filter.product);
  if (filter.lot) qs.set('lot', filter.lot);
  if (screen) qs.set('screen', screen);
  // relative: the page works behind a reverse proxy that serves the service under a path of its own
  source = new EventSource('api/live' + (qs.toString() ? '?' + qs : ''));
  source.onopen = () => setStatus('live', 'live');
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      // The server answered with an error instead of a stream, and EventSource does not retry then: a problem
      // of the request (4xx, e.g. a bad filter) is shown and not retried; anything else is tried again.
      setStatus('reconnecting', 'reconnecting…');
      clearTimeout(reconnectTimer);
      explainProblem(qs).then(badRequest => {
        if (badRequest) setStatus('failed', 'stopped: see the problem above');
        else reconnectTimer = setTimeout(connect, 2000);
      });
    } else {
      setStatus('reconnecting', 'reconnecting…'); // EventSource retries by itself
    }
  };
  source.addEventListener('snapshot', e => applySnapshot(JSON.parse(e.data)));
  source.addEventListener('yield', e => { putYield(JSON.parse(e.data)); render('kpis', 'lots', 'stations', 'lists'); });
  source.addEventListener('rty', e => { const r = JSON.parse(e.data); state.rty.set(r.key, r); render('kpis', 'lots'); });
  source.addEventListener('statistics', e => { putStats(JSON.parse(e.data)); render('stats', 'lists'); });
  source.addEventListener('verdict', e => {
    const v = JSON.parse(e.data);
    addVerdict(v, true);
    render('kpis', 'verdicts', 'failures');
    // ?trace=1 (./benchmarks/run dashboard): when each verdict was published, and when the frame that shows it
    // was due; bounded, and read off by the benchmark
    if (trace && trace.length < 100000) {
      requestAnimationFrame(() => trace.push([Date.parse(v.publishedAt), Date.now()]));
    }
  });
  source.addEventListener('alarm', e => { addLatest(state.alarms, JSON.parse(e.data), state.kept.alarms); loadAlarms(); });
  // a figure deleted on its topic or older than the service's lot retention
  source.addEventListener('removed', e => { const r = JSON.parse(e.data); state[r.kind]?.delete(r.key); render(); });
  source.addEventListener('operator', e => { state.operator = JSON.parse(e.data); render('kpis'); });
  source.addEventListener('burnin', e => { state.burnin = JSON.parse(e.data); pruneAlarms(); render(); });
}

// Resolves true when the request itself is wrong (4xx): retrying cannot help, the problem is shown instead. Without a
// session (never logged in, or it expired) the browser goes to the login page, and comes back here after it.
async function explainProblem(qs) {
  try {
    const r = await fetch('api/live/snapshot' + (qs.toString() ? '?' + qs : ''));
    if (r.status === 401 && !screen) {
      source.close();
      location.href = 'login.html?next=' + encodeURIComponent(location.pathname.split('/').pop() + location.search);
      return true;
    }
    if (r.status === 401) {
      const box = document.getElementById('problem');
      box.textContent = 'This screen link is not valid any more (revoked?): ask an administrator for a new one.';
      box.hidden = false;
      source.close();
      return true;
    }
    if (r.status >= 400 && r.status < 500) {
      let p = {};
      try { p = await r.json(); } catch (e) { /* not a problem document */ }
      const box = document.getElementById('problem');
      box.textContent = (p.title || 'Request refused (' + r.status + ')') + ': ' + (p.detail || '');
      box.hidden = false;
      source.close();
      return true;
    }
  } catch (e) { /* the service is down: keep retrying */ }
  return false;
}

function applySnapshot(s) {
  state.yield.clear(); state.rty.clear(); state.statistics.clear();
  s.yield.forEach(putYield);
  s.rty.forEach(r => state.rty.set(r.key, r));
  s.statistics.forEach(putStats);
  state.verdicts = []; state.failures = [];
  s.verdicts.forEach(v => addVerdict(v, false));
  if (s.kept) state.kept = s.kept;
  s.failures.forEach(v => addLatest(state.failures, v, state.kept.failures));
  state.alarms = s.alarms.slice();
  state.burnin = s.burnin;
  loadAlarms();
  loadDpat();
  if (s.operatorRecords) state.operator = s.operatorRecords;
  document.getElementById('problem').hidden = true;
  render();
}

// An alarm is open while its unit is in the rack (when the rack figures are there to say so).
function pruneAlarms() {
  const b = state.burnin;
  if (!b || b.error) return;
  const inRack = new Set((b.units || []).map(u => u.runId));
  state.alarms = state.alarms.filter(a => inRack.has(a.runId));
}

function newer(old, v) { return !old || old.revision <= v.revision; }
function putYield(v) {
  if (newer(state.yield.get(v.key), v)) state.yield.set(v.key, v);
  state.products.add(v.product);
  if (v.dimension === 'LOT') state.lots.add(v.group);
}
function putStats(v) { if (newer(state.statistics.get(v.key), v)) state.statistics.set(v.key, v); }
function addLatest(list, item, max) {
  if (list.some(o => o.eventId === item.eventId)) return;
  list.push(item);
  list.sort((a, b) => (b.eventTime || '').localeCompare(a.eventTime || ''));
  list.length = Math.min(list.length, max);
}
function addVerdict(v, live) {
  v.live = live;
  addLatest(state.verdicts, v, state.kept.verdicts);
  if (v.outcome !== 'PASS') addLatest(state.failures, v, state.kept.failures);
}

// ---- rendering, at most once per frame
let pending = false;
// Sections to draw at the next frame. An event marks only what it changes: redrawing every chart and table for
// each verdict made the page fall behind at 100 verdicts/s (p50 144 ms from publish to screen, against 9 ms
// on the stream).
const SECTIONS = ['kpis', 'lots', 'stations', 'verdicts', 'stats', 'spc', 'rack', 'alarms', 'failures', 'lists'];
const dirty = new Set();
function render(...sections) {
  (sections.length ? sections : SECTIONS).forEach(s => dirty.add(s));
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; draw(); });
}

const charts = {};
function chart(id) {
  if (!charts[id]) charts[id] = echarts.init(document.getElementById(id));
  return charts[id];
}
window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));

function draw() {
  const d = new Set(dirty);
  dirty.clear();
  if (d.has('kpis')) drawKpis();
  if (d.has('lots')) drawLots();
  if (d.has('stations')) drawStations();
  if (d.has('verdicts')) drawVerdicts();
  if (d.has('stats')) drawStats();
  if (d.has('spc') || d.has('stats')) drawSpc();
  if (d.has('rack')) drawRack();
  if (d.has('alarms')) drawAlarms();
  if (d.has('failures')) drawFailures();
  if (d.has('lists')) { fillList('products', state.products); fillList('lots', state.lots); }
  document.body.dataset.updated = String(Date.now());
}

function fillList(id, values) {
  const list = document.getElementById(id);
  if (list.childElementCount === values.size) return;
  list.replaceChildren(...[...values].sort().map(v => el('option', { value: v })));
}

function yields(dimension) {
  return [...state.yield.values()].filter(v => v.dimension === dimension)
    .sort((a, b) => (a.product + a.group + a.operation).localeCompare(b.product + b.group + b.operation));
}

// The yield tiles cover one product: the filter's, or the only one there is; with a lot filter, that lot. Their
// figures are those /api/yield gives for the same scope (?product=P&operation=ALIGN, with &lot=L for a lot):
// a lot's own yield figures, or, for all lots, the sums over the product's yield per station (every unit of the
// product, each once at the station of its first run, all time; unlike the lot rows, never cut by the
// service's lot retention). RTY is the product of the operations' FPYs, as /api/yield's rty.
function kpiScope() {
  const candidates = new Set([...state.yield.values()]
    .filter(v => !filter.lot || (v.dimension === 'LOT' && v.group === filter.lot)).map(v => v.product));
  const product = filter.product || (candidates.size === 1 ? [...candidates][0] : null);
  if (!product) {
    return { label: candidates.size ? 'choose a product' : 'no figures yet', byOperation: new Map(), rty: null };
  }
  const rows = filter.lot
    ? yields('LOT').filter(v => v.product === product && v.group === filter.lot)
    : yields('FIRST_STATION').filter(v => v.product === product);
  const byOperation = new Map();
  for (const v of rows) {
    const o = byOperation.get(v.operation) || { units: 0, firstPassUnits: 0, finalPassUnits: 0 };
    o.units += v.units; o.firstPassUnits += v.firstPassUnits; o.finalPassUnits += v.finalPassUnits;
    byOperation.set(v.operation, o);
  }
  let rty = null;
  if (filter.lot) {
    rty = state.rty.get(product + '|' + filter.lot)?.rty ?? null;
  } else {
    const fpys = [...byOperation.values()].filter(o => o.units > 0).map(o => o.firstPassUnits / o.units);
    rty = fpys.length ? fpys.reduce((a, b) => a * b, 1) : null;
  }
  return { label: product + (filter.lot ? ' · lot ' + filter.lot : ' · all lots'), byOperation, rty };
}

function drawKpis() {
  const scope = kpiScope();
  const align = scope.byOperation.get('ALIGN') || { units: 0, firstPassUnits: 0, finalPassUnits: 0 };
  const units = align.units;
  const tiles = [
    ['Units (ALIGN · ' + scope.label + ')', units, 'kpi-units'],
    ['FPY (ALIGN · ' + scope.label + ')', units ? pct(align.firstPassUnits / units) : '–', 'kpi-fpy'],
    ['Final yield (ALIGN · ' + scope.label + ')', units ? pct(align.finalPassUnits / units) : '–', 'kpi-final'],
    ['RTY (' + scope.label + ')', pct(scope.rty), 'kpi-rty'],
    ['Latest failures', state.failures.length, 'kpi-failures'],
    ['Units in burn-in', (state.burnin.units || []).length, 'kpi-rack'],
    ['Open alarms', state.alarmCounts.open, 'kpi-alarms'],
    ['Acknowledged alarms', state.alarmCounts.acknowledged, 'kpi-alarms-acknowledged'],
    ['Dead letters (not replayed)', state.operator.deadLettersNotReplayed, 'kpi-dead-letters', 'api/dead-letters'],
    ['Corrections (too late to count)', state.operator.corrections, 'kpi-corrections', 'api/corrections'],
  ];
  document.getElementById('kpis').replaceChildren(...tiles.map(([label, value, id, href]) =>
    el('div', { class: 'tile', id }, el('div', { class: 'label' }, href ? el('a', { href }, label) : label),
      el('div', { class: 'value' }, value))));
}

function drawLots() {
  const rows = yields('LOT');
  document.querySelector('#lots-table tbody').replaceChildren(...rows.map(v => {
    const rty = state.rty.get(v.product + '|' + v.group);
    return el('tr', { 'data-product': v.product, 'data-lot': v.group, 'data-operation': v.operation },
      td(v.product), td(v.group), td(v.operation), td(v.units, 'num units'), td(pct(v.fpy), 'num fpy'),
      td(pct(v.finalYield), 'num final-yield'), td(pct(v.retestRate), 'num'), td(rty ? pct(rty.rty) : '–', 'num rty'));
  }));
  const align = rows.filter(v => v.operation === 'ALIGN').slice(-30);
  chart('chart-lots').setOption({
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: v => v == null ? '–' : v.toFixed(1) + ' %' },
    legend: { data: ['FPY', 'Final yield'] },
    grid: { left: 50, right: 20, top: 30, bottom: 40 },
    xAxis: { type: 'category', data: align.map(v => v.group), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    series: [
      { name: 'FPY', type: 'bar', barMaxWidth: 40, data: align.map(v => v.fpy == null ? null : v.fpy * 100) },
      { name: 'Final yield', type: 'bar', barMaxWidth: 40, data: align.map(v => v.finalYield == null ? null : v.finalYield * 100) },
    ],
  }, true);
}

function drawStations() {
  // one row per station that saw runs: its first-run units (FIRST_STATION) beside its own runs (STATION)
  const own = new Map(yields('STATION').map(v => [v.product + '|' + v.operation + '|' + v.group, v]));
  const first = new Map(yields('FIRST_STATION').map(v => [v.product + '|' + v.operation + '|' + v.group, v]));
  const keys = [...new Set([...own.keys(), ...first.keys()])].sort();
  document.querySelector('#stations-table tbody').replaceChildren(...keys.map(k => {
    const f = first.get(k) || {}, o = own.get(k) || {};
    const [product, operation, station] = k.split('|');
    return el('tr', { 'data-station': station, 'data-operation': operation },
      td(product), td(station), td(operation), td(f.units ?? 0, 'num units'), td(pct(f.fpy), 'num fpy'),
      td(pct(f.finalYield), 'num final-yield'), td(o.runs ?? 0, 'num runs'), td(pct(o.testYield), 'num test-yield'));
  }));
}

function drawVerdicts() {
  document.getElementById('verdicts').replaceChildren(...state.verdicts.map(v =>
    el('li', { 'data-event-id': v.eventId, 'data-serial': v.serial, class: v.live ? 'fresh' : null },
      time(v.eventTime) + ' ', unitLink(v.serial), ' ' + v.operation + ' #' + v.attempt + ' ',
      el('span', { class: v.outcome }, v.outcome), ' · ' + v.lot + ' · ' + v.station)));
}

// ---- coupling loss
function statsScopes() {
  const scopes = new Map();
  for (const s of state.statistics.values()) {
    if (s.step !== 'POST_THERMAL') continue;
    const id = s.scope === 'PRODUCT_LOT' ? s.product + ' · lot ' + s.lot : s.product + ' · station ' + s.station;
    if (!scopes.has(id)) scopes.set(id, []);
    scopes.get(id).push(s);
  }
  return scopes;
}

// Keeps the user's choice; until there is one, the preferred value (the filtered lot's scope) once it exists.
function syncSelect(select, values, preferred) {
  const current = select.value;
  const have = [...select.options].map(o => o.value);
  if (have.join('\n') !== values.join('\n')) select.replaceChildren(...values.map(v => el('option', { value: v }, v)));
  const chosen = select.dataset.chosen === 'user' && values.includes(current);
  select.value = chosen ? current : values.includes(preferred) ? preferred : values.includes(current) ? current : (values[0] || '');
}

for (const id of ['stats-scope', 'stats-channel']) {
  document.getElementById(id).addEventListener('change', e => { e.target.dataset.chosen = 'user'; render('stats'); });
}

function drawStats() {
  const scopes = statsScopes();
  const names = [...scopes.keys()].sort();
  const scopeSelect = document.getElementById('stats-scope');
  syncSelect(scopeSelect, names, names.find(n => filter.lot && n.endsWith('lot ' + filter.lot)));
  const rows = (scopes.get(scopeSelect.value) || []).sort((a, b) => a.channel - b.channel);
  const channelSelect = document.getElementById('stats-channel');
  syncSelect(channelSelect, rows.map(r => String(r.channel)));
  document.querySelector('#stats-table tbody').replaceChildren(...rows.map(s =>
    el('tr', { 'data-channel': s.channel, 'data-scope': s.scope },
      td(s.channel, 'num'), td(s.n, 'num n'), td(db(s.meanDb), 'num mean'), td(db(s.stdDevDb), 'num'),
      td(db(s.p50Db), 'num'), td(db(s.p99Db), 'num'), td(db(s.maxDb), 'num'), td(db(s.upperLimitDb, 2), 'num'),
      td(fixed(s.cpk, 2), 'num cpk' + (s.cpk != null && s.cpk < CPK_FLAG ? ' flag' : '')))));
  const usl = rows.find(r => r.upperLimitDb != null)?.upperLimitDb;
  chart('chart-distribution').setOption({
    animation: false,
    title: { text: 'Per channel (dB), Cpk', textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis' },
    legend: { data: ['mean', 'p99', 'max', 'Cpk'], top: 18 },
    grid: { left: 45, right: 45, top: 50, bottom: 30 },
    xAxis: { type: 'category', name: 'ch.', data: rows.map(r => r.channel) },
    yAxis: [{ type: 'value', name: 'dB', min: 0 }, { type: 'value', name: 'Cpk', min: 0, splitLine: { show: false } }],
    series: [
      { name: 'mean', type: 'bar', data: rows.map(r => r.meanDb),
        markLine: usl == null ? undefined : { symbol: 'none', data: [{ yAxis: usl, name: 'USL' }], label: { formatter: 'USL {c} dB' }, lineStyle: { color: '#c0392b' } } },
      { name: 'p99', type: 'scatter', data: rows.map(r => r.p99Db) },
      { name: 'max', type: 'scatter', symbol: 'triangle', data: rows.map(r => r.maxDb) },
      { name: 'Cpk', type: 'line', yAxisIndex: 1, data: rows.map(r => r.cpk),
        markLine: { symbol: 'none', data: [{ yAxis: CPK_FLAG }], label: { formatter: 'Cpk 1.33' }, lineStyle: { type: 'dashed' } } },
    ],
  }, true);
  const s = rows.find(r => String(r.channel) === channelSelect.value);
  const edges = s ? s.histogramCounts.map((_, i) => s.histogramLowerEdgeDb + i * s.histogramBinWidthDb) : [];
  chart('chart-histogram').setOption({
    animation: false,
    title: { text: s ? 'Channel ' + s.channel + ': n = ' + s.n + ', Cpk ' + fixed(s.cpk, 2) : 'no data', textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 45, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', name: 'dB', data: edges.map(e => e.toFixed(1)) },
    yAxis: { type: 'value', name: 'units' },
    series: [{ name: 'count', type: 'bar', barCategoryGap: 0, data: s ? s.histogramCounts : [],
      markLine: usl == null ? undefined : { symbol: 'none', data: [{ xAxis: usl.toFixed(1) }], label: { formatter: 'USL' }, lineStyle: { color: '#c0392b' } } }],
  }, true);
}

// ---- control charts: read from the service (api/spc) for the chosen product × station × channel, again every minute
state.spc = { chart: null, violations: [] };
function spcScopes() {
  const scopes = new Set();
  for (const s of state.statistics.values()) {
    if (s.scope === 'PRODUCT_STATION' && s.step === 'POST_THERMAL' && (!filter.product || s.product === filter.product)) {
      scopes.add(s.product + ' · ' + s.station);
    }
  }
  return [...scopes].sort();
}
function spcQuery(extra) {
  const q = new URLSearchParams(extra);
  if (screen) q.set('screen', screen);
  return q;
}
async function loadSpc() {
  const scope = document.getElementById('spc-chart-scope').value;
  const channel = document.getElementById('spc-channel').value || '1';
  if (!scope) return;
  const [product, station] = scope.split(' · ');
  try {
    const r = await fetch('api/spc/chart?' + spcQuery({ product, station, channel }));
    state.spc.chart = r.ok ? await r.json() : null;
    const v = await fetch('api/spc/violations?' + spcQuery({ product, size: '10' }));
    state.spc.violations = v.ok ? await v.json() : [];
  } catch (e) { /* the stream's own handling shows the problem */ }
  drawSpcChart();
}
setInterval(loadSpc, 60000);
for (const id of ['spc-chart-scope', 'spc-channel']) {
  document.getElementById(id).addEventListener('change', e => { e.target.dataset.chosen = 'user'; loadSpc(); });
}
function drawSpc() {
  const scopeSelect = document.getElementById('spc-chart-scope');
  const before = scopeSelect.value;
  syncSelect(scopeSelect, spcScopes());
  const channels = [...state.statistics.values()].filter(s => s.scope === 'PRODUCT_STATION' && s.step === 'POST_THERMAL'
    && s.product + ' · ' + s.station === scopeSelect.value).map(s => s.channel).sort((a, b) => a - b).map(String);
  const channelSelect = document.getElementById('spc-channel');
  const channelBefore = channelSelect.value;
  syncSelect(channelSelect, channels);
  if (scopeSelect.value !== before || channelSelect.value !== channelBefore || !state.spc.chart) loadSpc();
}
function drawSpcChart() {
  const c = state.spc.chart;
  const points = c ? c.points : [];
  const b = c && c.baseline ? c.baseline.channels.find(x => x.channel === c.channel) : null;
  document.getElementById('spc-baseline').textContent = !c ? '' : b
    ? 'baseline v' + c.baseline.version + ' (' + c.baseline.frozenBy + '): centre ' + db(b.centreDb) + ' dB, σ ' + db(b.sigmaDb) + ' dB'
    : 'no baseline frozen yet: points without limits';
  const x = points.map(p => time(p.hourStart).substring(5, 16));
  chart('chart-spc').setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { data: ['hourly mean', 'centre', 'UCL', 'LCL', 'rule broken'], top: 0 },
    grid: { left: 50, right: 20, top: 30, bottom: 40 },
    xAxis: { type: 'category', data: x, axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: 'dB', scale: true },
    series: [
      { name: 'hourly mean', type: 'line', data: points.map(p => p.meanDb), symbolSize: 5 },
      { name: 'centre', type: 'line', step: 'middle', symbol: 'none', lineStyle: { type: 'dashed' }, data: points.map(p => p.centreDb) },
      { name: 'UCL', type: 'line', step: 'middle', symbol: 'none', lineStyle: { color: '#c0392b' }, data: points.map(p => p.upperControlLimitDb) },
      { name: 'LCL', type: 'line', step: 'middle', symbol: 'none', lineStyle: { color: '#c0392b' }, data: points.map(p => p.lowerControlLimitDb) },
      { name: 'rule broken', type: 'scatter', symbolSize: 12, itemStyle: { color: '#c0392b' },
        data: points.map(p => p.violations.length ? p.meanDb : null) },
    ],
  }, true);
  document.getElementById('chart-spc').dataset.points = String(points.length);
  document.getElementById('chart-spc').dataset.violations = String(points.filter(p => p.violations.length).length);
  document.querySelector('#spc-violations tbody').replaceChildren(...state.spc.violations.map(v =>
    el('tr', { 'data-event-id': v.eventId }, td(time(v.hourStart)), td(v.station), td(v.channel, 'num'), td(v.rule), td(v.n, 'num'),
      td(db(v.meanDb), 'num'), td(fixed(v.z, 2), 'num'))));
}
document.getElementById('spc-freeze').addEventListener('submit', async e => {
  e.preventDefault();
  const scope = document.getElementById('spc-chart-scope').value;
  if (!scope) return;
  const [product, station] = scope.split(' · ');
  const iso = id => new Date(document.getElementById(id).value).toISOString();
  const r = await fetch('api/spc/baselines/' + encodeURIComponent(product) + '/' + encodeURIComponent(station), { method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': csrfToken() },
    body: JSON.stringify({ from: iso('spc-from'), to: iso('spc-to'), reason: document.getElementById('spc-reason').value }) });
  const body = await r.json().catch(() => ({}));
  document.getElementById('spc-freeze-result').textContent = r.ok ? 'baseline v' + body.version + ' frozen' : 'not frozen: ' + (body.detail || r.status);
  loadSpc();
});

// ---- burn-in
function drawRack() {
  const b = state.burnin || { units: [] };
  document.getElementById('rack-source').textContent = b.error ? b.error : b.updatedAt ? 'as of ' + time(b.updatedAt) + ' (topic ' + b.source + ')' : '';
  const units = b.units || [];
  document.querySelector('#rack-table tbody').replaceChildren(...units.map(u =>
    el('tr', { 'data-run-id': u.runId },
      td(u.station || '–'), td(u.slot ?? '–', 'num'), el('td', {}, u.serial ? unitLink(u.serial) : u.runId), td(u.lot || '–'),
      td(fixed(u.hoursInRack, 1), 'num'), td(u.worstChannel ?? '–', 'num'), td(db(u.powerDriftDb), 'num'),
      td(fixed(u.powerSlopeDbPerHour, 4), 'num'), td(fixed(u.powerLimitDb, 2), 'num'),
      td(fixed(u.hoursToLimit, 1), 'num' + (u.hoursToLimit != null && u.hoursToLimit < 24 ? ' flag' : '')),
      td(fixed(u.biasDriftPct, 2), 'num'))));
  const limits = [...new Set(units.map(u => u.powerLimitDb).filter(v => v != null))];
  chart('chart-rack').setOption({
    animation: false,
    title: { text: 'Power drift of each unit\'s worst channel (dB)', textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, top: 35, bottom: 40 },
    xAxis: { type: 'category', data: units.map(u => (u.station || '') + '/' + (u.slot ?? '?')), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: 'dB' },
    series: [{ name: 'power drift', type: 'bar', barMaxWidth: 40, data: units.map(u => u.powerDriftDb),
      markLine: { symbol: 'none', data: limits.map(l => ({ yAxis: l })), label: { formatter: 'limit {c} dB' }, lineStyle: { color: '#c0392b' } } }],
  }, true);
}

const ALARMS_SHOWN = 20;
// The alarms' lifecycle lives in the service: read again (at most every 2 s) on every alarm change and every 30 s,
// since a verdict closes a unit's alarms when it leaves the rack.
let alarmsTimer = null;
function loadAlarms() {
  if (alarmsTimer) return;
  alarmsTimer = setTimeout(async () => {
    alarmsTimer = null;
    const qs = new URLSearchParams();
    if (filter.product) qs.set('product', filter.product);
    if (filter.lot) qs.set('lot', filter.lot);
    if (screen) qs.set('screen', screen);
    try {
      const lists = await Promise.all(['OPEN', 'ACKNOWLEDGED'].map(s => {
        const q = new URLSearchParams(qs); q.set('state', s); q.set('size', '200');
        return fetch('api/alarms?' + q).then(r => r.ok ? r.json() : []);
      }));
      const counts = await fetch('api/alarms/counts?' + qs).then(r => r.ok ? r.json() : null);
      state.alarmList = lists.flat();
      if (counts) state.alarmCounts = counts;
      render('kpis', 'alarms');
    } catch (e) { /* the stream's own handling shows the problem */ }
  }, 2000);
}
setInterval(loadAlarms, 30000);

// DPAT outliers are screened from stored values when asked (their limits settle as a lot fills): read every minute.
async function loadDpat() {
  const qs = new URLSearchParams();
  if (filter.product) qs.set('product', filter.product);
  if (screen) qs.set('screen', screen);
  try {
    const r = await fetch('api/dpat/outliers?' + qs);
    if (!r.ok) return;
    const runs = (await r.json()).filter(x => !filter.lot || x.lot === filter.lot);
    document.querySelector('#dpat-table tbody').replaceChildren(...(runs.length ? runs.slice(-50).reverse().map(x =>
      el('tr', { 'data-serial': x.serial }, td(time(x.start)), el('td', {}, unitLink(x.serial)), td(x.lot), td(x.station),
        td(x.channels.filter(c => c.outside).map(c => 'ch' + c.channel + ' ' + fixed(c.valueDb, 3) + ' ∉ [' + fixed(c.lowerDb, 3) + ', '
          + fixed(c.upperDb, 3) + ']').join('; ')))) : [el('tr', {}, el('td', { colSpan: 5 }, 'none'))]));
  } catch (e) { /* shown again at the next minute */ }
}
setInterval(loadDpat, 60000);

function csrfToken() {
  return (document.cookie.split('; ').find(c => c.startsWith('csrf-token=')) || '').substring('csrf-token='.length);
}

async function acknowledge(alarm) {
  const note = prompt('Acknowledge the ' + alarm.kind + ' alarm of ' + alarm.serial + ' (channels ' + alarm.channels.join(', ')
    + '): what did you see or do?');
  if (note == null) return;
  const r = await fetch('api/alarms/' + alarm.id + '/acknowledge', { method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': csrfToken() }, body: JSON.stringify({ note }) });
  if (!r.ok) {
    const p = await r.json().catch(() => ({}));
    alert('Not acknowledged: ' + (p.detail || p.title || r.status));
  }
  loadAlarms();
}

function drawAlarms() {
  // the nearest to their limit first (a drop, with no projection, first of all)
  const all = state.alarmList;
  const shown = all.slice().sort((a, b) => (a.hoursToLimit ?? -1) - (b.hoursToLimit ?? -1)).slice(0, ALARMS_SHOWN);
  document.getElementById('alarms-more').textContent = all.length > ALARMS_SHOWN ? (all.length - ALARMS_SHOWN) + ' more not shown;' : '';
  const engineer = state.roles.includes('engineer');
  document.querySelector('#alarms-table tbody').replaceChildren(...shown.map(a => {
    let note = a.acknowledgementNote ? a.acknowledgedBy + ': ' + a.acknowledgementNote : '';
    let action = note;
    if (a.state === 'OPEN' && engineer) {
      action = el('button', { type: 'button', class: 'acknowledge' }, 'Acknowledge');
      action.onclick = () => acknowledge(a);
    }
    return el('tr', { 'data-alarm-id': a.id, 'data-state': a.state, 'data-serial': a.serial },
      td(time(a.raisedAt)), el('td', {}, unitLink(a.serial)), td(a.station + ' · ' + a.slot), td(a.channels.join(', ')), td(a.kind),
      td(a.state, a.state), td(fixed(a.value, 3) + ' ' + (a.unitOfMeasure || ''), 'num'),
      td(fixed(a.limit, 2) + ' ' + (a.unitOfMeasure || ''), 'num'), td(fixed(a.hoursToLimit, 1), 'num'),
      el('td', {}, action));
  }));
}

function drawFailures() {
  document.querySelector('#failures-table tbody').replaceChildren(...state.failures.map(v =>
    el('tr', { 'data-event-id': v.eventId, 'data-serial': v.serial, class: v.live ? 'fresh' : null },
      td(time(v.eventTime)), el('td', {}, unitLink(v.serial)), td(v.product), td(v.lot), td(v.station), td(v.operation),
      td(v.attempt, 'num'), td(v.outcome, v.outcome),
      td(v.reason || v.failedChecks.map(c => c.parameter + (c.channel != null ? ' ch' + c.channel : '') + (c.step ? ' ' + c.step : '')
        + ' ' + c.value.toFixed(3) + ' ' + c.unitOfMeasure).join('; ')))));
}

// the search box and the pages (not on a line screen's read-only link), then the plant's zone before the first figures
if (!screen) {
  const h1 = document.querySelector('header h1');
  h1.after(cpo.nav(), ...cpo.searchBox());
}
cpo.loadPlant().catch(() => { /* times stay in UTC, and say so */ document.getElementById('zone').textContent = 'times in UTC'; })
  .finally(connect);

// ---- who is looking: the user and a way out, or the screen's name
(async () => {
  if (screen) return;
  try {
    const r = await fetch('api/me');
    if (!r.ok) return;
    const me = await r.json();
    state.roles = Array.from(me.roles || []);
    render('alarms');
    const who = document.getElementById('who');
    who.append(me.user + ' ');
    const out = el('button', { type: 'button', id: 'logout' }, 'Log out');
    out.onclick = async () => {
      await fetch('api/logout', { method: 'POST', headers: { 'X-CSRF-TOKEN': csrfToken() } });
      location.href = 'login.html';
    };
    who.append(out);
  } catch (e) { /* the stream's own handling shows the problem */ }
})();
