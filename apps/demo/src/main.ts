import 'uplot/dist/uPlot.min.css';
import './style.css';
import { buildControls } from './controls.js';
import { canvasPng, distillConfig, download, runJson } from './exports.js';
import { applyPreset, PRESETS } from './presets.js';
import type { FromWorker, RunSummary, ToWorker } from './protocol.js';
import { alphaOf, decodeState, encodeState, normalizeState, type DemoState } from './state.js';
import { createUrlWriter } from './url-state.js';
import { buildViews, type RunData } from './views/panels.js';

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
let state = decodeState(location.search);
const url = createUrlWriter();
const worker = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module', name: 'pikt-training' });
const send = (m: ToWorker) => worker.postMessage(m);

let runId = 0;
let playing = false;
let done = false;
let summary: RunSummary | undefined;
let data: RunData = { rows: [], tests: [], drift: [], heats: [], regions: [], revealAll: false };

// Toolbar: play / pause / step / reset, presets, CSV, exports.
const toolbar = document.createElement('div');
toolbar.id = 'toolbar';
toolbar.innerHTML = `
  <button id="play">▶ play</button><button id="pause">❚❚ pause</button><button id="step">step</button><button id="reset">reset</button>
  <select id="preset"><option value="">presets: the paper's story…</option>${PRESETS.map((p) => `<option value="${p.id}">${p.title}</option>`).join('')}</select>
  <label class="file">CSV <input type="file" id="csv" accept=".csv,text/csv"></label>
  <button id="export-json">run JSON</button><button id="export-png">PNG views</button><button id="export-config">pikt distill config</button>
  <p id="status" role="status"></p><p id="story"></p><p id="csv-message" role="alert"></p><p id="notes"></p>`;
$('#views').before(toolbar);
const controls = buildControls($('#controls'), state, (s) => changeState(s));
const views = buildViews($('#views'), (k) => onHover(k));

function onHover(k: number | null) {
  views.highlight(data, k);
  const r = k === null ? undefined : data.rows.find((row) => row.k === k);
  const s = data.setup;
  const i = s && k !== null ? s.predSteps.indexOf(k) : -1;
  $('#readout').textContent = r ? `step ${k}: label ${r.label.toPrecision(4)}${s && i >= 0 ? ` (pred ${s.predLabel[i].toPrecision(4)})` : ''}, gap ${Number.isFinite(r.gap) ? r.gap.toFixed(4) : '–'}` : '';
}

function showInfo() {
  const s = data.setup;
  const alpha = alphaOf(state.regularizer === 'none' ? 0 : state.lambda);
  let html = `α = λ/(1+λ) = <output id="alpha">${alpha.toFixed(3)}</output>`;
  if (s) {
    html += `<br>η = <output id="eta">${s.eta.toPrecision(4)}</output>, bound 2/((1+λ)μmax) = <output id="bound">${s.bound.toPrecision(4)}</output> (μmax = ${s.muMax.toPrecision(4)})`;
    if (!s.stable) html += `<br><strong id="bound-warning" class="warn">η is above the stability bound: GD diverges (P3)</strong>`;
    html += `<br>teacher: ${s.teacher.trainSamples} samples, test accuracy ${(100 * s.teacher.testAccuracy).toFixed(1)} %<br>backend: <output id="backend">${s.backend}</output> (${s.backendDevice}${s.workers > 1 ? `, <output id="workers">${s.workers}</output> shard workers` : ''})`;
  }
  controls.info.innerHTML = html;
}

function restart(play: boolean) {
  data = { rows: [], tests: [], drift: [], heats: [], regions: [], revealAll: state.mode === 'predict' };
  summary = undefined;
  done = false;
  playing = play;
  runId += 1;
  delete document.body.dataset.done;
  delete document.body.dataset.ready;
  $('#gap').textContent = '–';
  $('#summary')?.remove();
  views.render(data);
  showInfo();
  send({ type: 'start', state, assetBase: new URL('./', location.href).href, play });
}

function changeState(next: DemoState) {
  state = normalizeState(next);
  controls.set(state);
  url.write(state);
  // Predict-then-reveal starts held, with the prediction drawn; live mode keeps playing if it was.
  restart(state.mode === 'predict' ? false : playing);
}

let frame = 0;
const redraw = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; views.render(data); showGap(); }); };

function showGap() {
  const rows = data.rows;
  if (!rows.length || data.setup?.predictor === 'none') { $('#gap').textContent = data.setup?.predictor === 'none' ? 'no prediction' : '–'; return; }
  let g = 0;
  for (const r of rows) if (Number.isFinite(r.gap)) g = Math.max(g, r.gap);
  $('#gap').textContent = g.toFixed(4);
  $('#gap').dataset.value = String(g);
  $('#gap').dataset.step = String(rows[rows.length - 1].k);
}

function showSummary(s: RunSummary) {
  const el = document.createElement('p');
  el.id = 'summary';
  el.className = 'numbers';
  for (const [k, v] of Object.entries(s)) el.dataset[k] = String(v);
  el.textContent = `${s.status} after ${s.steps} steps: label loss ${s.finalLabel.toPrecision(6)}, PI ${s.finalPi.toPrecision(6)}, test ${s.finalTest?.toPrecision(6) ?? '–'} (accuracy ${s.testAccuracy === null ? '–' : (100 * s.testAccuracy).toFixed(1)} %), gap ${Number.isFinite(s.gap) ? s.gap.toFixed(4) : '–'}, kernel drift ${s.kernelDrift?.toPrecision(3) ?? '–'}, ${s.stepsPerSecond.toFixed(1)} steps/s`;
  $('#gap').parentElement?.after(el);
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  if ('runId' in m && m.runId !== runId) return; // a message from a run that was replaced
  switch (m.type) {
    case 'status': $('#status').textContent = m.text; break;
    case 'setup':
      data.setup = m.setup;
      $('#notes').textContent = m.setup.notes.join(' ');
      $('#status').textContent = playing ? 'training' : 'ready: press play';
      document.body.dataset.backend = m.setup.backend;
      document.body.dataset.ready = 'true';
      showInfo();
      redraw();
      break;
    case 'rows':
      data.rows.push(...m.rows);
      data.tests.push(...m.tests);
      data.drift.push(...m.drift);
      if (m.heat) data.heats.push({ k: m.drift[m.drift.length - 1]?.k ?? 0, values: m.heat });
      if (m.regions) data.regions.push({ k: m.regionsStep ?? 0, values: m.regions });
      redraw();
      break;
    case 'state':
      $('#status').textContent = m.playing ? `training (step ${m.step})` : m.step === 0 ? 'ready: press play' : `paused at step ${m.step}`;
      break;
    case 'done':
      done = true; playing = false; summary = m.summary;
      $('#status').textContent = `done: ${m.summary.status}`;
      document.body.dataset.done = 'true';
      redraw();
      showSummary(m.summary);
      break;
    case 'error': $('#status').textContent = `error: ${m.message}`; break;
    case 'csv-ok':
      $('#csv-message').textContent = `${m.name}: ${m.rows} rows loaded.`;
      changeState({ ...state, dataset: 'csv' });
      break;
    case 'csv-error': $('#csv-message').textContent = m.message; break;
  }
};

$('#play').addEventListener('click', () => {
  if (done) { restart(true); return; }
  playing = true; send({ type: 'play' });
  $('#status').textContent = 'training';
});
$('#pause').addEventListener('click', () => { playing = false; send({ type: 'pause' }); });
$('#step').addEventListener('click', () => { playing = false; send({ type: 'step' }); });
$('#reset').addEventListener('click', () => restart(false));
$('#preset').addEventListener('change', () => {
  const p = PRESETS.find((x) => x.id === ($('#preset') as HTMLSelectElement).value);
  if (!p) return;
  $('#story').textContent = p.story;
  changeState(applyPreset(state, p));
});
$('#csv').addEventListener('change', async () => {
  const file = ($('#csv') as HTMLInputElement).files?.[0];
  if (!file) return;
  send({ type: 'csv', text: await file.text(), name: file.name, state });
});
$('#export-json').addEventListener('click', () => download(`pikt-run-${encodeState(state) || 'default'}.json`, runJson(state, data, summary)));
$('#export-config').addEventListener('click', () => {
  const c = distillConfig(state, data.setup?.eta);
  if (!c.ok) $('#notes').textContent = c.reason ?? '';
  download(c.ok ? 'pikt-distill.json' : 'pikt-distill-experiment.json', JSON.stringify(c.config, null, 2));
});
$('#export-png').addEventListener('click', async () => {
  for (const { name, canvas } of views.charts()) {
    const png = await canvasPng(canvas);
    if (png) download(`pikt-${name}.png`, png, 'image/png');
  }
});

// Test and bench hooks: read-only numbers of the current run.
(window as unknown as { pikt: unknown }).pikt = { get state() { return state; }, get data() { return data; }, get summary() { return summary; } };
url.write(state);
restart(false);
