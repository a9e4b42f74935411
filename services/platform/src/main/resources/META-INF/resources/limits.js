// The limits page: every limit set version; a version's audit trail and how it differs from the version in force, channel by
// channel; importing a draft from Excel with every error shown at its row and column; releasing a draft (a second person
// with the quality role).
'use strict';
const { el, td, fixed, time, api, json, csrfToken, showProblem } = window.cpo;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let selected = null;
let comparison = null;
const path = v => 'api/limit-sets/' + encodeURIComponent(v.product) + '/' + encodeURIComponent(v.operation) + '/versions/' + v.version;

async function loadSets() {
  const sets = await json('api/limit-sets?size=500');
  cpo.fill('#sets-table tbody', sets.map(v => {
    const link = el('button', { type: 'button', class: 'link' }, v.limitSetId);
    link.addEventListener('click', () => select(v).catch(e => showProblem(e.message)));
    return el('tr', { 'data-limit-set': v.limitSetId, 'data-version': v.version, class: selected && selected.limitSetId === v.limitSetId
      && selected.version === v.version ? 'selected' : null }, el('td', {}, link), td(v.version, 'num'), td(v.status),
    td(time(v.effectiveFrom)), td(v.createdBy), td(v.releasedBy || '–'), td(v.releaseReason || v.draftReason));
  }));
  return sets;
}

async function select(v) {
  const version = await json(path(v));
  selected = version;
  document.getElementById('version').hidden = false;
  document.getElementById('version-name').textContent = version.limitSetId + ' v' + version.version;
  document.getElementById('version-status').textContent = version.status + (version.effectiveFrom ? ', effective from '
    + time(version.effectiveFrom) : '');
  document.getElementById('version-download').href = path(version) + '/limits.xlsx';
  document.getElementById('release-form').hidden = version.status !== 'DRAFT';
  document.getElementById('release-result').textContent = '';
  cpo.fill('#audit-table tbody', version.audit.map(a => el('tr', {}, td(time(a.at)), td(a.action), td(a.actor),
    td(a.reason + (a.backdatingReason ? ' (backdated: ' + a.backdatingReason + ')' : '')))));
  comparison = await json(path(version) + '/compare');
  renderComparison();
  document.getElementById('whatif').hidden = version.operation !== 'ALIGN';
  await loadSets();
}

function renderComparison() {
  const c = comparison;
  document.getElementById('compare').hidden = false;
  document.getElementById('compare-base').textContent = c.base ? 'v' + c.base.version + ' (' + (c.candidate.status === 'DRAFT'
    ? 'in force' : 'the version before') + ')' : 'nothing (no earlier version)';
  document.getElementById('compare-counts').textContent = Object.entries(c.changes).map(([k, n]) => n + ' ' + k.toLowerCase()).join(', ')
    + ' (' + c.channels + ' channels)';
  const all = document.getElementById('compare-all').checked;
  const rows = c.rows.filter(r => all || r.change !== 'SAME');
  cpo.fill('#compare-table tbody', rows.length ? rows.map(r => el('tr', { 'data-parameter': r.parameter, 'data-channel': r.channel ?? '',
    'data-change': r.change }, td(r.parameter), td(r.channel ?? 'unit', 'num'), td(fixed(r.baseLower, 3), 'num'),
  td(fixed(r.baseUpper, 3), 'num'), td(fixed(r.candidateLower, 3), 'num'), td(fixed(r.candidateUpper, 3), 'num'), td(r.unitOfMeasure),
  td(r.change, r.change === 'TIGHTER' || r.change === 'ADDED' ? 'FAIL' : r.change === 'SAME' ? '' : 'PASS')))
    : [el('tr', {}, el('td', { colSpan: 8 }, 'No difference.'))]);
}
document.getElementById('compare-all').addEventListener('change', renderComparison);

document.getElementById('import-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const product = document.getElementById('import-product').value.trim();
  const operation = document.getElementById('import-operation').value;
  const file = document.getElementById('import-file').files[0];
  const result = document.getElementById('import-result');
  const errors = document.getElementById('import-errors');
  errors.hidden = true;
  result.textContent = 'importing ' + file.name + '…';
  const r = await fetch('api/limit-sets/' + encodeURIComponent(product) + '/' + operation + '/drafts?reason='
    + encodeURIComponent(document.getElementById('import-reason').value), { method: 'POST', body: file,
    headers: { 'Content-Type': XLSX, 'X-CSRF-TOKEN': csrfToken() } });
  if (r.status === 401) {
    location.href = 'login.html?next=limits.html';
    return;
  }
  const body = await r.json().catch(() => ({}));
  if (r.ok) {
    result.textContent = 'Draft ' + body.limitSetId + ' v' + body.version + ' made from ' + file.name + '.';
    await select(body);
    return;
  }
  result.textContent = 'Refused (' + r.status + '): ' + (body.detail || r.statusText);
  if (body.errors && body.errors.length) {
    cpo.fill('#import-errors tbody', body.errors.map(e => el('tr', {}, td(e.row ?? '–', 'num'), td(e.column || e.parameter || '–'),
      td(e.message))));
    errors.hidden = false;
  }
});

document.getElementById('release-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const out = document.getElementById('release-result');
  try {
    const { body } = await api(path(selected) + '/release', { method: 'POST', headers: { 'Content-Type': 'application/json',
      'X-CSRF-TOKEN': csrfToken() }, body: JSON.stringify({ reason: document.getElementById('release-reason').value }) });
    await select(body);
    document.getElementById('release-result').textContent = 'Released v' + body.version + ', effective from ' + time(body.effectiveFrom) + '.';
  } catch (e) {
    out.textContent = 'Not released: ' + e.message;
  }
});

/** Judges the period's stored runs again with the selected version (a job), shows its progress, then both versions' figures. */
document.getElementById('whatif-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const value = id => document.getElementById(id).value;
  const status = document.getElementById('whatif-status');
  const bar = document.getElementById('whatif-progress');
  const box = document.getElementById('whatif-job');
  box.hidden = false;
  document.getElementById('whatif-file').hidden = true;
  bar.value = 0;
  status.textContent = 'asking…';
  try {
    const stations = value('whatif-stations').split(',').map(s => s.trim()).filter(s => s);
    const { body: accepted } = await api(path(selected) + '/what-if', { method: 'POST', headers: { 'Content-Type': 'application/json',
      'X-CSRF-TOKEN': csrfToken() }, body: JSON.stringify({ from: cpo.instantOf(value('whatif-from')), to: cpo.instantOf(value('whatif-to')),
      stations }) });
    const started = Date.now();
    for (;;) {
      const job = await json('api/limit-sets/what-if/' + encodeURIComponent(accepted.id));
      bar.value = job.progress;
      box.dataset.state = job.state;
      if (job.state === 'DONE') {
        status.textContent = 'done: ' + job.runsJudged.toLocaleString('en') + ' runs judged';
        const file = document.getElementById('whatif-file');
        file.href = 'api/limit-sets/what-if/' + encodeURIComponent(job.id) + '/workbook';
        file.hidden = false;
        showWhatIf(job.result);
        return;
      }
      if (job.state === 'FAILED') {
        status.textContent = 'failed: ' + job.error;
        return;
      }
      const seconds = (Date.now() - started) / 1000;
      const left = job.progress > 0.02 ? seconds * (1 - job.progress) / job.progress : null;
      status.textContent = job.runsJudged.toLocaleString('en') + ' of ' + job.runsTotal.toLocaleString('en') + ' runs ('
        + fixed(job.progress * 100, 0) + ' %)' + (left == null ? '' : ', about ' + fixed(left, 0) + ' s left');
      await new Promise(r => setTimeout(r, 1000));
    }
  } catch (e) {
    status.textContent = 'Not judged: ' + e.message;
  }
});

function showWhatIf(r) {
  const pct = v => v == null ? '–' : fixed(v * 100, 2) + ' %';
  document.getElementById('whatif-summary').textContent = r.runs.toLocaleString('en') + ' runs of ' + r.units.toLocaleString('en')
    + ' units judged with v' + r.version + ' and ' + (r.inForceVersion ? 'v' + r.inForceVersion + ' (in force)' : 'no version in force')
    + ': ' + r.flips + ' flip (' + r.passToFail + ' pass → fail, ' + r.failToPass + ' fail → pass).';
  const table = document.getElementById('whatif-table');
  table.hidden = false;
  cpo.fill('#whatif-table tbody', r.rows.map(x => el('tr', { 'data-station': x.station || 'all', 'data-channel': x.channel ?? 'unit' },
    td(x.station || 'all stations'), td(x.channel ?? 'unit', 'num'), td(x.units, 'num'), td(pct(x.fpyInForce), 'num'),
    td(pct(x.fpyDraft), 'num' + (x.fpyDraft < x.fpyInForce ? ' FAIL' : '')), td(pct(x.finalYieldInForce), 'num'),
    td(pct(x.finalYieldDraft), 'num' + (x.finalYieldDraft < x.finalYieldInForce ? ' FAIL' : '')), td(fixed(x.meanDb, 3), 'num'),
    td(fixed(x.cpkInForce, 2), 'num'), td(fixed(x.cpkDraft, 2), 'num'))));
  cpo.fill('#whatif-flips tbody', r.flipsListed.length ? r.flipsListed.map(f => el('tr', { 'data-serial': f.serial },
    el('td', {}, cpo.unitLink(f.serial)), td(f.station), td(time(f.start)), td(f.inForce, f.inForce), td(f.draft, f.draft), td(f.checks)))
    : [el('tr', {}, el('td', { colSpan: 6 }, 'No run flips.'))]);
}

(async () => {
  await cpo.header('CPO line — limits');
  document.getElementById('whatif-zone').textContent = cpo.plant.zone;
  try {
    const sets = await loadSets();
    const want = new URLSearchParams(location.search);
    const pick = sets.find(v => v.limitSetId === want.get('set') && String(v.version) === want.get('version'))
      || sets.find(v => v.status === 'DRAFT');
    if (pick) await select(pick);
    document.body.dataset.loaded = 'true';
  } catch (e) {
    showProblem(e.message);
  }
})();
