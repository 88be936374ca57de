import { describe, expect, it } from 'vitest';
import type { ExperimentReport } from '../report/types.js';
import type { ResultsFile } from '../results/types.js';
import { jsonWithNumbers, runWarnings } from './reproduce-output.js';

const params = { lambda: 1, alpha: 0.5, width: 64, teacher: null, embedding: 'raw', regularizer: 'quadratic' };
const data: ResultsFile = {
  version: 1, config: {}, environment: { backend: 'cpu', node: 'v20', cpus: 2 },
  experiments: { E1: { runs: [
    { label: 'a', params, measured: { labelErrorFinal: 0.25, iterationsToEps: null }, predicted: { labelErrorFinal: 0.5 }, curves: { step: [0, 1] } },
    { label: 'b', params, measured: { labelErrorFinal: null as unknown as number, capacity: Infinity }, predicted: {} },
  ] } },
};
const section = { id: 'E1', verdicts: [{ prediction: 'P4', claim: '', measured: 0.25, predicted: 0.5, gap: 0.5, gapKind: 'relative', tolerance: 0.1, holds: false, words: '' }] } as unknown as ExperimentReport;

describe('reproduce --json', () => {
  it('carries every run\'s numbers and verdicts (not curves), and names non-finite ones', () => {
    const o = JSON.parse(jsonWithNumbers({ out: '/o' }, data, [section]));
    expect(o.out).toBe('/o');
    expect(o.experiments.E1.runs[0]).toEqual({ label: 'a', params, measured: { labelErrorFinal: 0.25, iterationsToEps: null }, predicted: { labelErrorFinal: 0.5 } });
    expect(o.experiments.E1.verdicts).toEqual([{ prediction: 'P4', measured: 0.25, predicted: 0.5, gap: 0.5, tolerance: 0.1, holds: false }]);
    expect(o.warnings).toEqual([
      '[PIKT_NON_FINITE] experiments.E1.runs[1].measured.capacity is not a finite number (printed as null)',
      '[PIKT_NON_FINITE] E1/b: measured.labelErrorFinal is not a finite number (stored as null)',
      '[PIKT_NON_FINITE] E1/b: measured.capacity is not a finite number (Infinity)',
    ]);
    expect(runWarnings({ ...data, experiments: { E1: { runs: [data.experiments.E1.runs[0]] } } })).toEqual([]);
  });
});
