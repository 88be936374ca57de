import type { RunData } from './views/panels.js';
import type { RunSummary } from './protocol.js';
import { type DemoState } from './state.js';

/**
 * The `pikt distill --config` file (apps/cli, distill-config.ts) that reruns this state from the CLI.
 * Only the image pairs exist there as data sets; for the 2-D and CSV sets the file holds the
 * experiment alone and `ok` is false, with the reason.
 */
export function distillConfig(state: DemoState, eta: number | undefined): { ok: boolean; reason?: string; config: Record<string, unknown> } {
  const terms: Record<string, unknown>[] = [{ id: 'label-fit', name: 'label' }];
  const lambda = state.regularizer === 'none' ? 0 : state.lambda;
  const hidden = state.teacher === 'narrow-mlp' ? 2 : 32;
  if (lambda > 0 && state.regularizer === 'quadratic') terms.push({ id: 'quadratic-pi', name: 'pi', options: { lambda } });
  if (lambda > 0 && state.regularizer === 'kl') terms.push({ id: 'hinton-kl', name: 'pi', options: { weight: lambda, temperature: state.temperature } });
  if (lambda > 0 && state.regularizer === 'feature') terms.push({ id: 'feature-matching', name: 'pi', options: { weight: lambda, projection: 'none' } });
  const modelOptions: Record<string, unknown> = { width: state.width };
  if (lambda > 0 && state.regularizer === 'feature') Object.assign(modelOptions, { features: 'projected', featureDim: hidden });
  const experiment: Record<string, unknown> = {
    model: { id: 'wide-student', options: modelOptions }, terms,
    optimizer: { kind: state.batch > 0 ? 'sgd' : 'gd', lr: eta ?? 0.01 }, steps: state.steps, seed: state.seed,
    evalEvery: Math.max(1, Math.round(state.steps / 100)),
    ...(state.batch > 0 ? { batchSize: state.batch } : {}),
  };
  if (state.dataset !== 'mnist' && state.dataset !== 'fashion') {
    return { ok: false, reason: `pikt distill reads MNIST, Fashion-MNIST or CIFAR-10; the ${state.dataset} set exists only in the demo, so this file holds the experiment part only.`, config: { experiment } };
  }
  const per = Math.floor(state.n / 2);
  return {
    ok: true,
    config: {
      data: { dataset: state.dataset === 'mnist' ? 'mnist' : 'fashion-mnist', classes: state.dataset === 'mnist' ? [3, 5] : [0, 6], trainPerClass: per, testPerClass: per, teacherPerClass: per, pcaDim: state.dim, seed: state.seed },
      teacher: { hidden, steps: state.teacherSteps, lr: 0.02, trainFraction: state.teacherFraction },
      experiment,
    },
  };
}

/** Every number of the run as JSON: the state, the prediction, the measured rows and the summary. */
export function runJson(state: DemoState, data: RunData, summary: RunSummary | undefined): string {
  return JSON.stringify({ format: 'pikt-demo-run', version: 1, state, setup: data.setup, measured: { rows: data.rows, tests: data.tests, drift: data.drift }, summary }, null, 1);
}

export function download(name: string, content: Blob | string, type = 'application/json'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** A canvas as PNG with a white background (uPlot canvases are transparent). */
export async function canvasPng(canvas: HTMLCanvasElement): Promise<Blob | null> {
  if (!canvas.width || !canvas.height) return null;
  const c = document.createElement('canvas');
  c.width = canvas.width; c.height = canvas.height;
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(canvas, 0, 0);
  return new Promise((resolve) => c.toBlob(resolve, 'image/png'));
}
