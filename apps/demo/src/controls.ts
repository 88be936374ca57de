import { DATASETS, REGULARIZERS, TEACHER_KINDS, BACKENDS, MODES, type DemoState } from './state.js';

type Key = keyof DemoState;
interface NumSpec { key: Key; label: string; min: number; max: number; step: number; log?: boolean; title?: string }
interface EnumSpec { key: Key; label: string; values: readonly string[]; names?: Record<string, string> }

const GROUPS: { title: string; items: (NumSpec | EnumSpec)[] }[] = [
  { title: 'Data', items: [
    { key: 'dataset', label: 'data set', values: DATASETS, names: { moons: 'two moons', circles: 'circles', xor: 'XOR Gaussians', lupi: 'LUPI (teacher sees x*)', mnist: 'MNIST 3 vs 5', fashion: 'Fashion-MNIST shirt pair', csv: 'my CSV' } },
    { key: 'n', label: 'samples n', min: 20, max: 500, step: 10 },
    { key: 'dim', label: 'PCA dim (images)', min: 2, max: 64, step: 1 },
    { key: 'noise', label: 'noise (2-D)', min: 0, max: 0.5, step: 0.01 },
  ] },
  { title: 'Teacher', items: [
    { key: 'teacher', label: 'kind', values: TEACHER_KINDS, names: { mlp: 'MLP, 32 hidden', 'narrow-mlp': 'MLP, 2 hidden' } },
    { key: 'teacherFraction', label: 'data fraction', min: 0.02, max: 1, step: 0.01 },
    { key: 'teacherSteps', label: 'steps', min: 1, max: 2000, step: 1, log: true },
    { key: 'labelNoise', label: 'label noise', min: 0, max: 0.5, step: 0.01 },
  ] },
  { title: 'Transfer', items: [
    { key: 'regularizer', label: 'regularizer', values: REGULARIZERS, names: { quadratic: 'quadratic PI', kl: 'temperature KL', feature: 'feature matching', none: 'none' } },
    { key: 'lambda', label: 'λ', min: 0, max: 20, step: 0.05 },
    { key: 'temperature', label: 'T (KL)', min: 0.5, max: 20, step: 0.5 },
  ] },
  { title: 'Student', items: [
    { key: 'width', label: 'width m', min: 2, max: 16384, step: 2, log: true },
    { key: 'step', label: 'step η(1+λ)μmax', min: 0.05, max: 3, step: 0.05, title: '1 = half the stability bound, 2 = the bound' },
    { key: 'steps', label: 'GD steps', min: 10, max: 2000, step: 10, log: true },
    { key: 'batch', label: 'batch (0 = full GD)', min: 0, max: 200, step: 5 },
    { key: 'seed', label: 'seed', min: 0, max: 9999, step: 1 },
    { key: 'backend', label: 'backend', values: BACKENDS },
    { key: 'mode', label: 'mode', values: MODES, names: { live: 'live', predict: 'predict, then reveal' } },
  ] },
];

const toSlider = (s: NumSpec, v: number) => (s.log ? Math.log(Math.max(v, s.min)) : v);
const fromSlider = (s: NumSpec, v: number) => {
  if (!s.log) return v;
  const x = Math.exp(v);
  return Math.round(x / s.step) * s.step;
};

export interface Controls {
  set(state: DemoState): void;
  /** The element showing alpha, eta and the bound beside the lambda / step controls. */
  info: HTMLElement;
}

/** Builds the control panel; every change calls onChange with the new state. */
export function buildControls(root: HTMLElement, initial: DemoState, onChange: (s: DemoState) => void): Controls {
  let state = { ...initial };
  const setters: ((s: DemoState) => void)[] = [];
  for (const g of GROUPS) {
    const fs = document.createElement('fieldset');
    fs.innerHTML = `<legend>${g.title}</legend>`;
    for (const item of g.items) {
      const row = document.createElement('label');
      row.className = 'ctl';
      const name = document.createElement('span');
      name.textContent = item.label;
      row.append(name);
      if ('values' in item) {
        const sel = document.createElement('select');
        sel.id = `ctl-${item.key}`;
        for (const v of item.values) sel.add(new Option(item.names?.[v] ?? v, v));
        sel.addEventListener('change', () => { state = { ...state, [item.key]: sel.value }; onChange(state); });
        setters.push((s) => { sel.value = String(s[item.key]); });
        row.append(sel);
      } else {
        const input = document.createElement('input');
        input.type = 'range';
        input.id = `ctl-${item.key}`;
        if (item.title) input.title = item.title;
        input.min = String(toSlider(item, item.min));
        input.max = String(toSlider(item, item.max));
        input.step = item.log ? 'any' : String(item.step);
        const out = document.createElement('output');
        input.addEventListener('input', () => { out.textContent = String(fromSlider(item, Number(input.value))); });
        input.addEventListener('change', () => { state = { ...state, [item.key]: fromSlider(item, Number(input.value)) }; onChange(state); });
        setters.push((s) => { input.value = String(toSlider(item, s[item.key] as number)); out.textContent = String(s[item.key]); });
        row.append(input, out);
      }
      fs.append(row);
    }
    root.append(fs);
  }
  const info = document.createElement('div');
  info.id = 'theory-info';
  root.append(info);
  const api: Controls = { set(s) { state = { ...s }; for (const f of setters) f(s); }, info };
  api.set(state);
  return api;
}
