// A lot's page: its yield per operation, its failure Pareto, its units (paged, filtered by outcome, ordered) and its
// coupling loss per channel, with links down to the units. Without a lot: the list of lots.
'use strict';
const { el, td, fixed, pct, time, unitLink, lotLink, api, json, showProblem } = window.cpo;

const params = new URLSearchParams(location.search);
const product = params.get('product') || '';
const lot = params.get('lot') || '';
const PAGE = 50;
const charts = {};
const chart = id => charts[id] || (charts[id] = echarts.init(document.getElementById(id)));
window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
const base = () => 'api/lots/' + encodeURIComponent(product) + '/' + encodeURIComponent(lot);
const scope = () => 'product=' + encodeURIComponent(product) + '&lot=' + encodeURIComponent(lot);

/** A paged table: fetches page n, fills the body, sets the pager from X-Total-Count. */
function pager(name, url, row) {
  let page = 0;
  async function load() {
    const { body, headers } = await api(url() + '&page=' + page + '&size=' + PAGE);
    const total = Number(headers.get('X-Total-Count') || body.length);
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const columns = document.querySelectorAll('#' + name + '-table thead th').length;
    cpo.fill('#' + name + '-table tbody', body.length ? body.map(row) : [el('tr', {}, el('td', { colSpan: columns }, 'None.'))]);
    document.getElementById(name + '-page').textContent = 'page ' + (page + 1) + ' of ' + pages + ' (' + total + ')';
    document.getElementById(name + '-prev').disabled = page === 0;
    document.getElementById(name + '-next').disabled = page + 1 >= pages;
  }
  document.getElementById(name + '-prev').addEventListener('click', () => { page--; load().catch(e => showProblem(e.message)); });
  document.getElementById(name + '-next').addEventListener('click', () => { page++; load().catch(e => showProblem(e.message)); });
  return { load, reset: () => { page = 0; return load(); } };
}

const outcome = (first, final) => final == null ? '–' : final ? (first ? 'PASS' : 'PASS after retest') : 'FAIL';
const outcomeClass = final => final == null ? '' : final ? 'PASS' : 'FAIL';

async function lotPage() {
  document.getElementById('lot-page').hidden = false;
  document.title = 'CPO line — lot ' + lot;
  document.getElementById('lot-name').textContent = lot;
  document.getElementById('lot-product').textContent = product;

  const units = pager('units', () => base() + '/units?outcome=' + document.getElementById('units-outcome').value
    + '&order=' + document.getElementById('units-order').value, u => el('tr', { 'data-serial': u.serial },
    el('td', {}, unitLink(u.serial)), td(time(u.firstTested)),
    td(outcome(u.alignFirstPassed, u.alignFinalPassed), outcomeClass(u.alignFinalPassed)), td(u.alignRuns ?? '–', 'num'),
    td(outcome(u.burnInFirstPassed, u.burnInFinalPassed), outcomeClass(u.burnInFinalPassed)), td(u.burnInRuns ?? '–', 'num')));
  for (const id of ['units-outcome', 'units-order']) {
    document.getElementById(id).addEventListener('change', () => units.reset().catch(e => showProblem(e.message)));
  }

  const [yieldView, failures, stats] = await Promise.all([json('api/yield?' + scope()), json(base() + '/failures'),
    json('api/coupling-loss?step=POST_THERMAL&' + scope()), units.load()]);

  cpo.fill('#yield-table tbody', yieldView.operations.map(o => el('tr', { 'data-operation': o.key },
    td(o.key), td(o.units, 'num units'), td(pct(o.fpy), 'num fpy'), td(pct(o.finalYield), 'num final-yield'),
    td(pct(o.testYield), 'num test-yield'), td(pct(o.retestRate), 'num retest-rate'))));
  document.getElementById('rty').textContent = pct(yieldView.rty);
  document.getElementById('rty-ops').textContent = yieldView.rtyOperations.length ? '(' + yieldView.rtyOperations.join(' × ') + ')' : '';

  const label = f => f.parameter === 'incomplete' ? 'incomplete' : f.parameter + (f.step ? ' ' + f.step : '');
  cpo.fill('#pareto-table tbody', failures.length ? failures.map(f => el('tr', {}, td(f.operation), td(label(f)), td(f.runs, 'num'),
    td(f.units, 'num'), td(f.channels || '–', 'num'))) : [el('tr', {}, el('td', { colSpan: 5 }, 'No failed run.'))]);
  const total = failures.reduce((s, f) => s + f.runs, 0);
  let cumulative = 0;
  chart('chart-pareto').setOption({
    animation: false, tooltip: { trigger: 'axis' }, grid: { top: 30, left: 45, right: 45, bottom: 60 },
    xAxis: { type: 'category', data: failures.map(f => f.operation + ' ' + label(f)), axisLabel: { rotate: 20 } },
    yAxis: [{ type: 'value', name: 'runs', minInterval: 1 }, { type: 'value', name: 'cumulative', max: 100, axisLabel: { formatter: '{value} %' } }],
    series: [{ type: 'bar', name: 'runs', data: failures.map(f => f.runs) },
      { type: 'line', name: 'cumulative %', yAxisIndex: 1, data: failures.map(f => +(100 * (cumulative += f.runs) / total).toFixed(1)) }],
  }, true);

  const rows = stats.filter(s => s.product === product).sort((a, b) => a.channel - b.channel);
  cpo.fill('#cl-table tbody', rows.map(s => el('tr', { 'data-channel': s.channel }, td(s.channel, 'num'), td(s.n, 'num'),
    td(fixed(s.meanDb, 3), 'num'), td(fixed(s.sigmaDb, 3), 'num'), td(fixed(s.p50Db, 3), 'num'), td(fixed(s.p99Db, 3), 'num'),
    td(fixed(s.maxDb, 3), 'num'), td(fixed(s.upperLimitDb, 3), 'num'),
    td(fixed(s.cpk, 2), 'num' + (s.cpkBelow133 ? ' flag' : '')))));
  chart('chart-cl').setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 40, left: 50, right: 20, bottom: 30 },
    xAxis: { type: 'category', name: 'channel', data: rows.map(s => s.channel) },
    yAxis: { type: 'value', name: 'dB', scale: true },
    series: [{ type: 'line', name: 'mean', data: rows.map(s => s.meanDb) },
      { type: 'line', name: 'p99', data: rows.map(s => s.p99Db), lineStyle: { type: 'dotted' } },
      { type: 'line', name: 'USL', data: rows.map(s => s.upperLimitDb), lineStyle: { type: 'dashed', color: '#c0392b' }, showSymbol: false }],
  }, true);
}

async function lotList() {
  document.getElementById('lot-list').hidden = false;
  document.title = 'CPO line — lots';
  const operation = document.getElementById('lots-operation');
  operation.value = params.get('operation') === 'BURNIN' ? 'BURNIN' : 'ALIGN';
  const lots = pager('lots', () => 'api/lots?operation=' + operation.value, l => el('tr', { 'data-lot': l.lot }, td(l.product),
    el('td', {}, lotLink(l.product, l.lot)), td(l.units, 'num'), td(pct(l.fpy), 'num'), td(pct(l.finalYield), 'num'),
    td(pct(l.retestRate), 'num')));
  operation.addEventListener('change', () => lots.reset().catch(e => showProblem(e.message)));
  await lots.load();
}

(async () => {
  await cpo.header(lot ? 'CPO line — lot' : 'CPO line — lots');
  try {
    await (product && lot ? lotPage() : lotList());
    document.body.dataset.loaded = 'true';
  } catch (e) {
    showProblem(e.message);
  }
})();
