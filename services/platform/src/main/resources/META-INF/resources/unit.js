// A unit's page: what happened to it. Its runs with their verdicts and failed checks, the channels of a selected
// alignment run against their limits and by alignment step, and its burn-in drift curves per channel with the limits
// and its alarms. Everything from the REST API; times in the plant's zone.
'use strict';
const { el, td, fixed, time, lotLink, json, showProblem } = window.cpo;

const serial = new URLSearchParams(location.search).get('serial') || '';
const STEPS = ['PRE_CURE', 'POST_UV', 'POST_THERMAL'];
const charts = {};
const chart = id => charts[id] || (charts[id] = echarts.init(document.getElementById(id)));
window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
let unit;

function outcomeOf(op) {
  const runs = unit.runs.filter(r => r.operation === op);
  if (!runs.length) return unit.runsInProgress.some(r => r.operation === op) ? 'in progress' : 'not tested';
  const last = runs[runs.length - 1];
  return last.outcome + (runs.length > 1 ? ' (attempt ' + last.attempt + ' of ' + runs.length + ')' : '');
}

function checkText(c) {
  const limit = c.upperLimit != null && c.value > c.upperLimit ? ' > ' + c.upperLimit : c.lowerLimit != null ? ' < ' + c.lowerLimit : '';
  return c.parameter + (c.step ? ' ' + c.step : '') + (c.channel != null ? ' ch ' + c.channel : '') + ' = '
    + fixed(c.value, 3) + ' ' + c.unitOfMeasure + limit;
}

function renderRuns() {
  const all = [...unit.runs, ...unit.runsInProgress];
  cpo.fill('#runs-table tbody', all.map(r => {
    const row = el('tr', { 'data-run-id': r.runId, class: r.runId === selectedAlign ? 'selected' : null },
      td(time(r.runStartTime)), td(r.operation), td(r.attempt, 'num'), td(r.station), td(r.operator || '–'),
      td(r.outcome || 'in progress', r.outcome || ''), td(r.limitSetId ? r.limitSetId + ' v' + (r.limitSetVersion ?? '?') : '–'),
      td(r.reason ? r.reason : r.failedChecks.map(checkText).join('; ') || '–'));
    if (r.operation === 'ALIGN') {
      const pick = el('button', { type: 'button', class: 'link' }, 'channels');
      pick.addEventListener('click', () => { selectedAlign = r.runId; renderRuns(); renderAlignment(); renderScan(); });
      row.children[1].append(' ', pick);
    }
    return row;
  }));
}

let scans = [];
function renderScan() {
  const mine = scans.filter(s => s.runId === selectedAlign);
  document.getElementById('scan').hidden = mine.length === 0;
  if (!mine.length) return;
  const stepSelect = document.getElementById('scan-step');
  const channelSelect = document.getElementById('scan-channel');
  const keep = (select, values) => {
    const was = select.value;
    select.replaceChildren(...values.map(v => el('option', { value: v }, v)));
    if (values.map(String).includes(was)) select.value = was;
  };
  keep(stepSelect, [...new Set(mine.map(s => s.step))]);
  // the channels scanned at the chosen step
  keep(channelSelect, [...new Set(mine.filter(s => s.step === stepSelect.value).map(s => s.channel))]);
  const scan = mine.find(s => s.step === stepSelect.value && String(s.channel) === channelSelect.value);
  if (!scan) return;
  const points = scan.xUm.map((x, i) => [x, scan.yUm[i], scan.powerDbm[i]]);
  const power = scan.powerDbm;
  document.getElementById('scan-run').textContent = 'run ' + selectedAlign + ', ' + scan.step + ', channel ' + scan.channel + ': '
    + points.length + ' positions, peak ' + fixed(Math.max(...power), 3) + ' dBm';
  chart('chart-scan').setOption({
    animation: false, grid: { top: 20, left: 60, right: 90, bottom: 40 },
    tooltip: { formatter: p => 'x ' + fixed(p.value[0], 3) + ' µm, y ' + fixed(p.value[1], 3) + ' µm: ' + fixed(p.value[2], 3) + ' dBm' },
    xAxis: { type: 'value', name: 'x (µm)', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: 'value', name: 'y (µm)' },
    visualMap: { min: Math.min(...power), max: Math.max(...power), dimension: 2, calculable: true, right: 0, top: 20,
      text: ['dBm', ''], inRange: { color: ['#313695', '#74add1', '#fee090', '#f46d43', '#a50026'] } },
    series: [{ type: 'scatter', symbolSize: 14, data: points }],
  }, true);
}
document.getElementById('scan-step').addEventListener('change', renderScan);
document.getElementById('scan-channel').addEventListener('change', renderScan);

let selectedAlign = null;
function renderAlignment() {
  const run = [...unit.runs, ...unit.runsInProgress].find(r => r.runId === selectedAlign);
  document.getElementById('alignment').hidden = !run;
  if (!run) return;
  document.getElementById('alignment-run').textContent = 'run ' + run.runId + ', attempt ' + run.attempt + ' at ' + run.station
    + ', ' + (run.outcome || 'in progress');
  const byChannel = new Map();
  for (const m of run.measurements) {
    const c = byChannel.get(m.channel) || {};
    c[m.parameter + '|' + m.step] = m;
    byChannel.set(m.channel, c);
  }
  const channels = [...byChannel.keys()].sort((a, b) => a - b);
  const cl = (c, step) => byChannel.get(c)['coupling_loss|' + step];
  cpo.fill('#channels-table tbody', channels.map(c => {
    const final = cl(c, 'POST_THERMAL');
    const pdl = byChannel.get(c)['pdl|POST_THERMAL'];
    const within = final ? final.withinLimits : null;
    return el('tr', { 'data-channel': c }, td(c, 'num'), ...STEPS.map(s => td(cl(c, s) ? fixed(cl(c, s).value, 3) : '–',
      'num' + (s === 'POST_THERMAL' && within === false ? ' flag' : ''))), td(pdl ? fixed(pdl.value, 3) : '–', 'num'),
      td(final ? fixed(final.lowerLimit, 3) : '–', 'num'), td(final ? fixed(final.upperLimit, 3) : '–', 'num'),
      td(within == null ? 'no limit' : within ? 'yes' : 'NO', within === false ? 'FAIL' : 'PASS'));
  }));
  const usl = channels.map(c => cl(c, 'POST_THERMAL')?.upperLimit).find(v => v != null);
  chart('chart-steps').setOption({
    animation: false, tooltip: { trigger: 'axis', valueFormatter: v => fixed(v, 3) + ' dB' },
    legend: { type: 'scroll', top: 0 }, grid: { top: 40, left: 50, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: ['pre-cure', 'post-UV', 'post-thermal'] },
    yAxis: { type: 'value', name: 'coupling loss (dB)', scale: true },
    series: channels.map((c, i) => ({ name: 'ch ' + c, type: 'line', data: STEPS.map(s => cl(c, s)?.value ?? null),
      markLine: i === 0 && usl != null ? { symbol: 'none', lineStyle: { type: 'dashed', color: '#c0392b' },
        label: { formatter: 'USL ' + usl + ' dB' }, data: [{ yAxis: usl }] } : undefined })),
  }, true);
}

function limitLine(value, label) {
  return value == null ? [] : [{ yAxis: value, label: { formatter: label + ' ' + value } }];
}

async function renderBurnIn() {
  const runs = await json('api/units/' + encodeURIComponent(serial) + '/burn-in');
  const section = document.getElementById('burnin');
  section.hidden = runs.length === 0;
  if (!runs.length) return;
  const run = runs[runs.length - 1];
  document.getElementById('burnin-run').textContent = 'run ' + run.runId + ' at ' + run.station + ' slot ' + run.slot + ', '
    + (run.outcome || 'in progress') + (run.limitSetVersion ? ', limits v' + run.limitSetVersion : '')
    + '; drift from each channel\'s baseline (mean of its first hour), dashed lines the limits';
  const series = (key, lower, upper, unit) => run.channels.map((c, i) => ({
    name: 'ch ' + c.channel, type: 'line', showSymbol: false, data: c.hours.map((h, j) => [h, c[key][j]]),
    markLine: i === 0 ? { symbol: 'none', lineStyle: { type: 'dashed', color: '#c0392b' },
      data: [...limitLine(c[lower], 'limit'), ...limitLine(c[upper], 'limit')] } : undefined,
    tooltip: { valueFormatter: v => fixed(v, 3) + ' ' + unit },
  }));
  const options = (name, s) => ({
    animation: false, tooltip: { trigger: 'axis' }, legend: { type: 'scroll', top: 0 }, grid: { top: 40, left: 55, right: 20, bottom: 40 },
    xAxis: { type: 'value', name: 'hours in burn-in', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: 'value', name, scale: true }, series: s,
  });
  chart('chart-power').setOption(options('power drift (dB)', series('powerDriftDb', 'powerDriftLowerDb', 'powerDriftUpperDb', 'dB')), true);
  chart('chart-bias').setOption(options('bias drift (%)', series('biasDriftPct', 'biasDriftLowerPct', 'biasDriftUpperPct', '%')), true);
  const beyond = (v, lo, hi) => v != null && ((lo != null && v < lo) || (hi != null && v > hi));
  const bounds = (lo, hi) => lo != null && hi != null ? lo + ' … ' + hi : lo != null ? '≥ ' + lo : hi != null ? '≤ ' + hi : '–';
  cpo.fill('#burnin-table tbody', run.channels.map(c => el('tr', { 'data-channel': c.channel },
    td(c.channel, 'num'), td(c.readings, 'num'), td(fixed(c.baselinePowerDbm, 3), 'num'),
    td(fixed(c.judgedPowerDriftDb, 3), 'num' + (beyond(c.judgedPowerDriftDb, c.powerDriftLowerDb, c.powerDriftUpperDb) ? ' flag' : '')),
    td(bounds(c.powerDriftLowerDb, c.powerDriftUpperDb), 'num'),
    td(fixed(c.judgedBiasDriftPct, 2), 'num' + (beyond(c.judgedBiasDriftPct, c.biasDriftLowerPct, c.biasDriftUpperPct) ? ' flag' : '')),
    td(bounds(c.biasDriftLowerPct, c.biasDriftUpperPct), 'num'),
    td(fixed(c.maxDropDb, 3), 'num' + (beyond(c.maxDropDb, null, c.suddenDropUpperDb) ? ' flag' : '')))));
}

async function renderAlarms() {
  const alarms = await json('api/alarms?size=100&serial=' + encodeURIComponent(serial));
  cpo.fill('#alarms-table tbody', alarms.length ? alarms.map(a => el('tr', { 'data-alarm-id': a.id },
    td(time(a.raisedAt)), td(a.kind), td(a.channels.join(', ')), td(a.state), td(fixed(a.value, 3) + ' ' + (a.unitOfMeasure || ''), 'num'),
    td(a.limit == null ? '–' : a.limit + ' ' + (a.unitOfMeasure || ''), 'num'), td(a.acknowledgementNote || a.message || '')))
    : [el('tr', {}, el('td', { colSpan: 7 }, 'No alarm.'))]);
}

async function main() {
  await cpo.header('CPO line — unit');
  if (!serial) {
    showProblem('Which unit? Type its serial into the search box above.');
    return;
  }
  document.title = 'CPO line — unit ' + serial;
  document.getElementById('serial').textContent = serial;
  try {
    unit = await json('api/units/' + encodeURIComponent(serial));
  } catch (e) {
    showProblem(e.message);
    return;
  }
  document.getElementById('product').textContent = unit.product;
  document.getElementById('lot').replaceChildren(lotLink(unit.product, unit.lot));
  const g = unit.genealogy || {};
  document.getElementById('pic').textContent = (g.picWafer || '–') + ' · ' + (g.picDie || '–');
  document.getElementById('fiber-array').textContent = g.fiberArraySerial || '–';
  document.getElementById('align-outcome').textContent = outcomeOf('ALIGN');
  document.getElementById('burnin-outcome').textContent = outcomeOf('BURNIN');
  renderDpat();
  const aligns = [...unit.runs, ...unit.runsInProgress].filter(r => r.operation === 'ALIGN');
  selectedAlign = aligns.length ? aligns[aligns.length - 1].runId : null;
  renderRuns();
  renderAlignment();
  await Promise.all([renderBurnIn(), renderAlarms(), json('api/units/' + encodeURIComponent(serial) + '/scans')
    .then(s => { scans = s; renderScan(); })]).catch(e => showProblem(e.message));
  document.body.dataset.loaded = 'true';
}
/** The DPAT screen of the unit's passing alignment runs: "DPAT outlier" with each channel outside and the limits that applied. */
function renderDpat() {
  const out = document.getElementById('dpat');
  const screens = unit.dpat || [];
  if (!screens.length) {
    out.textContent = 'not screened (no passing alignment run, or DPAT off for ' + unit.product + ')';
    return;
  }
  const outliers = screens.filter(s => s.outlier);
  if (!outliers.length) {
    out.textContent = 'inside its robust limits (' + screens[0].basis.toLowerCase() + ', k = ' + screens[0].k + ')';
    return;
  }
  out.replaceChildren(el('strong', { class: 'FAIL' }, 'DPAT outlier'), ...outliers.flatMap(s => s.channels.filter(c => c.outside)
    .map(c => el('div', { 'data-channel': c.channel }, 'ch ' + c.channel + ': ' + fixed(c.valueDb, 3) + ' dB outside ['
      + fixed(c.lowerDb, 3) + ', ' + fixed(c.upperDb, 3) + '] dB (median ' + fixed(c.medianDb, 3) + ' ± ' + s.k + ' × robust σ '
      + fixed(c.robustSigmaDb, 3) + ', ' + c.population + ' ' + (s.basis === 'LOT' ? 'units of the lot' : 'runs of ' + s.station) + ')'))));
}

main();
