import type { Setup, StepRow } from '../protocol.js';
import { drawHeat, drawRegions, range } from './heat-map.js';
import { lineChart, type LineChart } from './line-chart.js';

function panel(root: HTMLElement, id: string, title: string, sentence: string, formula: string): HTMLElement {
  const sec = document.createElement('article');
  sec.className = 'view';
  sec.id = id;
  sec.innerHTML = `<h2>${title}</h2><p class="sentence">${sentence}</p><p class="formula"><code>${formula}</code></p>`;
  const body = document.createElement('div');
  body.className = 'body';
  sec.append(body);
  root.append(sec);
  return body;
}

export interface RunData {
  setup?: Setup;
  rows: StepRow[];
  tests: { k: number; loss: number; accuracy: number }[];
  drift: { k: number; drift: number }[];
  heats: { k: number; values: number[] }[];
  regions: { k: number; values: number[] }[];
  /** Steps revealed so far (predict-then-reveal draws the whole prediction first). */
  revealAll: boolean;
}

export interface Views {
  render(data: RunData): void;
  highlight(data: RunData, k: number | null): void;
  charts(): { name: string; canvas: HTMLCanvasElement }[];
}

const C = { label: '#1f77b4', pi: '#d62728', test: '#2ca02c', y: '#1f77b4', z: '#d62728', ybar: '#9467bd', mu: '#333' };

export function buildViews(root: HTMLElement, onHover: (k: number | null) => void): Views {
  const b1 = panel(root, 'view-loss', '1. Losses: measured over predicted',
    'The real student (solid) against the kernel-regime prediction on Hinf (dashed), per sample; the gap is the largest output difference along the run.',
    'u(k) − ȳ = (I − η(1+λ)H)^k (u(0) − ȳ),   gap = max_k max_i |u_meas(k)_i − u_pred(k)_i| / max_i |ȳ_i|');
  const loss = lineChart(b1, {
    xLabel: 'step k', yLabel: 'loss / n', logY: true, sync: 'steps', onHover,
    series: [
      { label: 'label', color: C.label }, { label: 'label (pred)', color: C.label, dashed: true },
      { label: 'PI', color: C.pi }, { label: 'PI (pred)', color: C.pi, dashed: true },
      { label: 'test', color: C.test }, { label: 'test (pred)', color: C.test, dashed: true },
    ],
  });
  const gapLine = document.createElement('p');
  gapLine.className = 'numbers';
  gapLine.innerHTML = 'measured-vs-predicted gap: <output id="gap">–</output> <span id="readout"></span>';
  b1.append(gapLine);

  const b2 = panel(root, 'view-spectrum', '2. Spectrum of Hinf and where the targets live',
    'Each eigen-direction i is fitted at rate (1 − η(1+λ)μ_i)^k; a teacher whose outputs sit on the top eigenvectors cuts the iterations.',
    'k_ε(t) = min k: Σ_i (1 − sμ_i)^{2k} (v_iᵀt)² ≤ ε²‖t‖²,   t = ȳ − u0 (teacher) or y − u0');
  const spec = lineChart(b2, {
    xLabel: 'eigen index i', yLabel: 'μ_i, energy (v_iᵀ·)²', logY: true,
    series: [{ label: 'μ_i', color: C.mu }, { label: 'y', color: C.y, points: true }, { label: 'z', color: C.z, points: true }, { label: 'ȳ', color: C.ybar, points: true },
      { label: 'left at step k (pred)', color: '#ff7f0e', dashed: true }],
  });
  const iters = document.createElement('p');
  iters.className = 'numbers';
  iters.id = 'iterations';
  b2.append(iters);

  const b3 = panel(root, 'view-tradeoff', '3. Trade-off: label error against capacity',
    'More weight on the teacher moves the end point to ȳ: the label error grows as α‖z − y‖ while the weights travel less far.',
    'α = λ/(1+λ),   ‖u(∞) − y‖ = α‖z − y‖,   ‖W(∞) − W(0)‖_F ≈ √((ȳ − u0)ᵀ H⁻¹ (ȳ − u0))');
  const trade = lineChart(b3, {
    xLabel: 'α', yLabel: 'α‖z − y‖', y2: { label: 'capacity' },
    series: [{ label: 'label error', color: C.label }, { label: 'capacity', color: C.pi, scale: 'y2' }, { label: 'this run', color: '#000', points: true },
      { label: '‖W(k) − W(0)‖ at step k', color: '#ff7f0e', points: true, scale: 'y2' }],
  });

  const b4 = panel(root, 'view-ntk', '4. The NTK and its drift',
    'Hinf (left) and the student\'s empirical kernel H(W(k)) (right) on 48 samples sorted by class; the drift, measured on 128 samples, shrinks as m grows.',
    'H(W)_ij = (x_i·x_j)/m Σ_r 1{w_r·x_i ≥ 0} 1{w_r·x_j ≥ 0},   drift = ‖H(W(k)) − H(W(0))‖_F / ‖H(W(0))‖_F');
  const heats = document.createElement('div');
  heats.className = 'pair';
  const hInf = document.createElement('canvas'); hInf.className = 'heat'; hInf.id = 'heat-hinf';
  const hK = document.createElement('canvas'); hK.className = 'heat'; hK.id = 'heat-hk';
  heats.append(hInf, hK);
  b4.append(heats);
  const drift = lineChart(b4, { xLabel: 'step k', yLabel: 'kernel drift', sync: 'steps', onHover, height: 160, series: [{ label: 'drift', color: C.pi }] });

  const b5 = panel(root, 'view-regions', '5. Decision regions',
    'The teacher\'s (left) and the student\'s (right) sign of f on the plane, as training goes (2-D sets only).',
    'f(x; W) = (1/√m) Σ_r a_r relu(w_r·x),   x ↦ (x, 1)/‖(x, 1)‖');
  const regs = document.createElement('div');
  regs.className = 'pair';
  const rT = document.createElement('canvas'); rT.id = 'regions-teacher';
  const rS = document.createElement('canvas'); rS.id = 'regions-student';
  regs.append(rT, rS);
  b5.append(regs);

  let drawnSetup: Setup | undefined;
  const nearest = <T extends { k: number }>(list: T[], k: number | null): T | undefined => {
    if (!list.length) return undefined;
    if (k === null) return list[list.length - 1];
    let best = list[0];
    for (const e of list) if (e.k <= k) best = e;
    return best;
  };
  // Snapshots are redrawn only when the one to show changes (renders come at every worker message).
  let shownHeat: unknown;
  let shownRegions: unknown;
  const drawSnapshots = (data: RunData, k: number | null) => {
    const s = data.setup;
    if (!s) return;
    const h = nearest(data.heats, k);
    if (h && h !== shownHeat) { const [lo, hi] = range(s.heat.hinf); drawHeat(hK, h.values, s.heat.side, lo, hi); shownHeat = h; }
    const r = nearest(data.regions, k);
    if (s.plane && r && r !== shownRegions) { drawRegions(rS, r.values, s.plane.side, s.plane.box, s.plane.points, s.plane.labels); shownRegions = r; }
  };

  const pos = (a: number[]) => a.map((v) => (v > 1e-12 ? v : null));
  let tradeData: (number | null)[][] = [];
  /** The spectrum and trade-off views at step k: the energy (1 - s mu_i)^(2k) (v_i . t)^2 still to fit, and ||W(k) - W(0)||_F. */
  const stepOverlays = (data: RunData, k: number | null) => {
    const s = data.setup;
    if (!s) return;
    const idx = s.eigenvalues.map((_, i) => i + 1);
    const left = k === null ? s.eigenvalues.map(() => null) : pos(s.energyTarget.map((e, i) => (1 - s.effectiveStep * s.eigenvalues[i]) ** (2 * k) * e));
    spec.set([idx, pos(s.eigenvalues), pos(s.energyY), pos(s.energyZ), pos(s.energyYbar), left]);
    const row = k === null ? undefined : data.rows.find((r) => r.k === k);
    if (tradeData.length) {
      const marker = tradeData[3].map((v) => (v === null || !row ? null : row.weightDistance));
      trade.set([...tradeData.slice(0, 4), marker]);
    }
  };

  const setupStatic = (s: Setup) => {
    const it = s.iterations;
    iters.innerHTML = `iterations to ε = ${it.eps}: with the teacher <output id="iters-teacher">${it.withTeacher ?? 'not reached'}</output>, without <output id="iters-plain">${it.withoutTeacher ?? 'not reached'}</output> (at the same step s = η(1+λ))`;
    const t = s.tradeoff;
    const xs = [...t.alpha, t.current.alpha].map((a, i) => ({ a, i })).sort((p, q) => p.a - q.a);
    const le = [...t.labelError, t.current.labelError];
    const cap = [...t.capacity, t.current.capacity];
    tradeData = [xs.map((p) => p.a), xs.map((p) => le[p.i]), xs.map((p) => cap[p.i]), xs.map((p) => (p.i === t.alpha.length ? le[p.i] : null))];
    const [lo, hi] = range(s.heat.hinf);
    drawHeat(hInf, s.heat.hinf, s.heat.side, lo, hi);
    hK.width = hK.height = rS.width = rS.height = 0;
    shownHeat = shownRegions = undefined;
    b5.parentElement?.classList.toggle('disabled', !s.plane);
    if (s.plane) drawRegions(rT, s.plane.teacher, s.plane.side, s.plane.box, s.plane.points, s.plane.labels);
    else { rT.width = rT.height = rS.width = rS.height = 0; }
  };

  return {
    render(data) {
      const s = data.setup;
      if (!s) { loss.set([[], [], [], [], [], [], []]); drift.set([[], []]); return; }
      if (s !== drawnSetup) { setupStatic(s); drawnSetup = s; stepOverlays(data, null); }
      const last = data.rows.length ? data.rows[data.rows.length - 1].k : -1;
      // One x axis: every step 0..K; measured values where they exist, predicted where shown.
      const K = data.revealAll ? s.K : Math.max(0, last);
      const xs = Array.from({ length: K + 1 }, (_, k) => k);
      const col = () => new Array<number | null>(K + 1).fill(null);
      const [lm, lp, pm, pp, tm, tp] = [col(), col(), col(), col(), col(), col()];
      const pos = (v: number) => (v > 0 && Number.isFinite(v) ? v : null);
      for (const r of data.rows) if (r.k <= K) { lm[r.k] = pos(r.label); pm[r.k] = pos(r.pi); }
      for (const t of data.tests) if (t.k <= K) tm[t.k] = pos(t.loss);
      s.predSteps.forEach((k, i) => { if (k <= K) { lp[k] = pos(s.predLabel[i]); pp[k] = pos(s.predPi[i]); tp[k] = pos(s.predTest[i]); } });
      loss.set([xs, lm, lp, pm, pp, tm, tp]);
      drift.set([data.drift.map((d) => d.k), data.drift.map((d) => d.drift)]);
      drawSnapshots(data, null);
    },
    highlight(data, k) {
      drawSnapshots(data, k);
      stepOverlays(data, k);
    },
    charts: () => [
      { name: 'losses', canvas: loss.canvas() }, { name: 'spectrum', canvas: spec.canvas() }, { name: 'tradeoff', canvas: trade.canvas() },
      { name: 'kernel-drift', canvas: drift.canvas() }, { name: 'ntk-hinf', canvas: hInf }, { name: 'ntk-hk', canvas: hK },
      { name: 'regions-teacher', canvas: rT }, { name: 'regions-student', canvas: rS },
    ],
  };
}
