// The reports page: a filter form on the plant's clock, the figures previewed, the workbook built as a job with a progress bar
// and an estimate of the time left, then downloaded; reports on a schedule, and the files each has made.
'use strict';
const { el, td, fixed, pct, time, api, json, csrfToken, showProblem } = window.cpo;

const value = id => document.getElementById(id).value.trim();

/** The report's query: filters, with From and To (the plant's wall clock) as instants. */
function query() {
  const q = new URLSearchParams({ operation: value('f-operation') });
  for (const k of ['product', 'lot', 'station']) if (value('f-' + k)) q.set(k, value('f-' + k));
  for (const k of ['from', 'to']) if (value('f-' + k)) q.set(k, cpo.instantOf(value('f-' + k)));
  return q;
}

async function preview() {
  showProblem('');
  const q = query();
  const [all, days] = await Promise.all([json('api/yield?' + q), json('api/yield?' + q + '&groupBy=day')]);
  document.getElementById('preview-scope').textContent = all.filters;
  cpo.fill('#preview-table tbody', all.operations.map(o => el('tr', { 'data-operation': o.key }, td(o.key), td(o.units, 'num units'),
    td(pct(o.fpy), 'num fpy'), td(pct(o.finalYield), 'num final-yield'), td(pct(o.testYield), 'num'), td(pct(o.retestRate), 'num'))));
  document.getElementById('preview-rty').textContent = pct(all.rty);
  cpo.fill('#days-table tbody', days.groups.map(g => el('tr', { 'data-day': g.key }, td(g.key), td(g.units, 'num'), td(pct(g.fpy), 'num'),
    td(pct(g.finalYield), 'num'))));
}

/** Asks for the workbook as a job and follows it: progress, an estimate of the time left, then the file. */
async function build() {
  const q = query();
  q.set('async', 'true');
  q.set('rawData', document.getElementById('f-raw').checked);
  const box = document.getElementById('job');
  const bar = document.getElementById('job-progress');
  const status = document.getElementById('job-status');
  const link = document.getElementById('job-file');
  box.hidden = false;
  link.hidden = true;
  bar.value = 0;
  status.textContent = 'asking…';
  const { body: accepted } = await api('api/reports/yield.xlsx?' + q, { headers: { Accept: 'application/json' } });
  const started = Date.now();
  for (;;) {
    const job = await json('api/reports/jobs/' + encodeURIComponent(accepted.id));
    bar.value = job.progress;
    box.dataset.state = job.state;
    if (job.state === 'DONE') {
      status.textContent = 'done: ' + job.rawRowsWritten.toLocaleString('en') + ' raw rows, ' + fixed((job.sizeBytes || 0) / 1024, 0) + ' KiB';
      link.href = 'api/reports/jobs/' + encodeURIComponent(job.id) + '/file';
      link.textContent = 'Download ' + job.fileName;
      link.hidden = false;
      return job;
    }
    if (job.state === 'FAILED') {
      status.textContent = 'failed: ' + job.error;
      return job;
    }
    const seconds = (Date.now() - started) / 1000;
    const left = job.progress > 0.02 ? seconds * (1 - job.progress) / job.progress : null;
    status.textContent = job.state.toLowerCase() + ': ' + job.rawRowsWritten.toLocaleString('en') + ' of '
      + job.rawRowsTotal.toLocaleString('en') + ' raw rows (' + fixed(job.progress * 100, 0) + ' %)'
      + (left == null ? '' : ', about ' + fixed(left, 0) + ' s left');
    await new Promise(r => setTimeout(r, 1000));
  }
}

async function loadSchedules() {
  const list = await json('api/reports/schedules');
  cpo.fill('#schedules-table tbody', list.length ? list.map(s => {
    const files = el('button', { type: 'button', class: 'link' }, 'files');
    files.addEventListener('click', () => showFiles(s).catch(e => showProblem(e.message)));
    const run = el('button', { type: 'button', class: 'link' }, 'run now');
    run.addEventListener('click', () => post('api/reports/schedules/' + s.id + '/run').then(() => showFiles(s)).catch(e => showProblem(e.message)));
    const del = el('button', { type: 'button', class: 'link' }, 'delete');
    del.addEventListener('click', () => api('api/reports/schedules/' + s.id, { method: 'DELETE', headers: { 'X-CSRF-TOKEN': csrfToken() } })
      .then(loadSchedules).catch(e => showProblem(e.message)));
    const filters = [s.operation, s.product, s.lot && 'lot ' + s.lot, s.station && 'station ' + s.station, s.rawData ? 'with raw data' : '']
      .filter(Boolean).join(', ');
    return el('tr', { 'data-schedule': s.id }, td(s.name), td(filters), td((s.cadence === 'DAILY' ? 'daily' : 'weekly on ' + s.dayOfWeek.toLowerCase())
      + ' at ' + s.at + ' ' + s.zone), td(time(s.nextRunAt)), td(s.keepDays, 'num'), td(s.createdBy), el('td', {}, files, ' ', run, ' ', del));
  }) : [el('tr', {}, el('td', { colSpan: 7 }, 'No scheduled report.'))]);
}

async function showFiles(s) {
  const files = await json('api/reports/schedules/' + s.id + '/files');
  document.getElementById('files-of').textContent = s.name;
  document.getElementById('files-h').hidden = false;
  document.getElementById('files-table').hidden = false;
  cpo.fill('#files-table tbody', files.length ? files.map(f => el('tr', { 'data-job': f.id }, td(time(f.createdAt)),
    td(time(f.periodFrom) + ' – ' + time(f.periodTo)), td(f.state), td(f.sizeBytes == null ? '–' : fixed(f.sizeBytes / 1024, 0), 'num'),
    td(time(f.keepUntil)), el('td', {}, f.state === 'DONE' ? el('a', { href: 'api/reports/jobs/' + encodeURIComponent(f.id) + '/file' }, f.fileName)
      : f.error || f.fileName))) : [el('tr', {}, el('td', { colSpan: 6 }, 'No file yet: the first run is at the next run time.'))]);
}

function post(path, body) {
  return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': csrfToken() },
    body: body == null ? undefined : JSON.stringify(body) });
}

document.getElementById('report-form').addEventListener('submit', ev => {
  ev.preventDefault();
  preview().catch(e => showProblem(e.message));
});
document.getElementById('build').addEventListener('click', () => build().catch(e => showProblem(e.message)));
document.getElementById('s-cadence').addEventListener('change', () => {
  document.getElementById('s-day').disabled = value('s-cadence') === 'DAILY';
});
document.getElementById('schedule-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const q = query();
  try {
    const { body } = await post('api/reports/schedules', { name: value('s-name'), operation: q.get('operation'), product: q.get('product'),
      lot: q.get('lot'), station: q.get('station'), rawData: document.getElementById('f-raw').checked, cadence: value('s-cadence'),
      dayOfWeek: value('s-cadence') === 'WEEKLY' ? value('s-day') : null, at: value('s-at'), keepDays: Number(value('s-keep')) });
    document.getElementById('schedule-result').textContent = 'Scheduled “' + body.name + '”: first run ' + time(body.nextRunAt) + '.';
    await loadSchedules();
  } catch (e) {
    document.getElementById('schedule-result').textContent = 'Not scheduled: ' + e.message;
  }
});

(async () => {
  await cpo.header('CPO line — reports');
  document.getElementById('filter-zone').textContent = cpo.plant.zone;
  document.getElementById('s-day').disabled = true;
  const params = new URLSearchParams(location.search);
  for (const k of ['operation', 'product', 'lot', 'station']) if (params.get(k)) document.getElementById('f-' + k).value = params.get(k);
  try {
    await Promise.all([preview(), loadSchedules()]);
    document.body.dataset.loaded = 'true';
  } catch (e) {
    showProblem(e.message);
  }
})();
