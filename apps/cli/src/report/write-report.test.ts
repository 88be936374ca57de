import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng, countNonWhite } from '../figures/png-decode.js';
import { renderLinePlot } from '../figures/svg-plot.js';
import type { ReportDocument } from './types.js';
import { judge } from './verdict.js';
import { summarizeClaims } from './summary.js';
import { writeReport } from './write-report.js';

function sampleDoc(): ReportDocument {
  const svg = renderLinePlot({ title: 'loss', x: { label: 'k', unit: 'steps' }, y: { label: 'loss', unit: 'squared error' },
    series: [{ label: 'measured', kind: 'measured', x: [0, 1, 2], y: [3, 2, 1] }, { label: 'predicted', kind: 'predicted', x: [0, 1, 2], y: [3, 2.1, 1.2] }] });
  return {
    title: 'pikt report', summary: 'pikt reproduce --preset tiny', environment: { backend: 'cpu', cpus: 2 },
    experiments: [{
      id: 'E1', title: 'with vs without teacher', question: 'Does the teacher | help?', setup: 'n = 10',
      table: { columns: ['run', 'label error (measured)', 'label error (predicted)'], rows: [['with teacher', 0.123456, 0.12], ['without', 1e-7, null]] },
      figures: [{ id: 'e1-loss', title: 'loss', caption: 'Training loss, measured vs predicted.', svg, file: 'figures/e1-loss.svg' }],
      verdicts: [judge({ prediction: 'P4', claim: 'label error = alpha ||z - y||', measured: 0.123456, predicted: 0.12, tolerance: 0.05, toleranceReason: 'finite-width error model' }),
        { ...judge({ prediction: 'P2', claim: 'trajectory', measured: 0.2, predicted: 0, scale: { name: 'max |ybar|', value: 1 }, tolerance: 0.05, toleranceReason: 'drift' }), explanation: 'E7: a narrow student' }],
      notes: ['Feature matching has no kernel prediction.'],
    }],
  };
}

function withSummary(doc: ReportDocument): ReportDocument {
  return { ...doc, claims: summarizeClaims(doc.experiments), failedRuns: [{ experiment: 'E3', label: 'teacher=weak', reason: 'Training diverged at step 4' }] };
}

describe('writeReport', () => {
  it('writes figures as SVG and PNG, report.md with tables and verdicts, a self-contained report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-report-'));
    const doc = withSummary(sampleDoc());
    const { files } = await writeReport(dir, doc);
    expect(files).toEqual(['figures/e1-loss.svg', 'figures/e1-loss.png', 'report.md', 'report.html']);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| run | label error (measured) | label error (predicted) |');
    expect(md).toContain('| with teacher | 0.1235 | 0.12 |');
    expect(md).toContain('| without | 1e-7 | n/a |');
    expect(md).toContain('**Question.** Does the teacher | help?');
    expect(md).toContain('![loss](figures/e1-loss.svg)');
    expect(md).toContain('- P4 holds: measured 0.1235 vs predicted 0.12, a gap of 2.9% relative (within the 5% tolerance). *Claim: label error = alpha ||z - y||.* Tolerance: finite-width error model.');
    expect(md).toContain('- P2 does not hold: measured 0.2 vs predicted 0, a gap of 20% of max |ybar| = 1 (above the 5% tolerance). *Claim: trajectory.* Tolerance: drift. **Explained by** E7: a narrow student.');
    expect(md).toContain('Overall: 1 holds, 1 does not, 0 not checked.');
    // The one-screen summary comes first, then the failed runs with their reasons.
    expect(md.indexOf('## Summary: the paper\'s claims, here')).toBeLessThan(md.indexOf('## E1: '));
    expect(md).toContain('| P4: the student interpolates between PI and data (P1): label error alpha \\|\\|z - y\\|\\| at convergence | held (1 of 1) | P4: 0.1235 vs 0.12, gap 2.9% (tolerance 5%) | n/a |');
    expect(md).toContain('| P2: convergence is governed by the spectrum: u(k) follows the linear dynamics on H | did not hold (0 of 1) | P2: 0.2 vs 0, gap 20% of max \\|ybar\\| (tolerance 5%) | n/a |');
    expect(md).toContain('- P2: E7: a narrow student');
    expect(md).toContain('- E3/teacher=weak: failed: Training diverged at step 4');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<li>E3/teacher=weak: failed: Training diverged at step 4</li>');
    expect(html).toContain('<strong>Explained by</strong> E7: a narrow student.');
    expect(html).toContain('<svg width="760"');
    expect(html).toContain('<td>0.1235</td>');
    expect(html).not.toMatch(/https?:|src=|<script|<link/);
    const png = decodePng(readFileSync(join(dir, 'figures/e1-loss.png')));
    expect(png.width).toBe(1520);
    expect(countNonWhite(png, { x0: 2 * 78, y0: 2 * 44, x1: 2 * 540, y1: 2 * 382 })).toBeGreaterThan(2000);
    expect(existsSync(join(dir, 'figures/e1-loss.svg'))).toBe(true);
  });

  it('skips PNGs when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-report-'));
    const { files } = await writeReport(dir, sampleDoc(), { png: false });
    expect(files).toEqual(['figures/e1-loss.svg', 'report.md', 'report.html']);
  });
});
