import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng, countNonWhite } from '../figures/png-decode.js';
import { renderLinePlot } from '../figures/svg-plot.js';
import type { ReportDocument } from './types.js';
import { judge } from './verdict.js';
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
      verdicts: [judge({ prediction: 'P4', claim: 'label error = alpha ||z - y||', measured: 0.123456, predicted: 0.12, tolerance: 0.05 })],
      notes: ['Feature matching has no kernel prediction.'],
    }],
  };
}

describe('writeReport', () => {
  it('writes figures as SVG and PNG, report.md with tables and verdicts, a self-contained report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-report-'));
    const doc = sampleDoc();
    const { files } = await writeReport(dir, doc);
    expect(files).toEqual(['figures/e1-loss.svg', 'figures/e1-loss.png', 'report.md', 'report.html']);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| run | label error (measured) | label error (predicted) |');
    expect(md).toContain('| with teacher | 0.1235 | 0.12 |');
    expect(md).toContain('| without | 1e-7 | n/a |');
    expect(md).toContain('**Question.** Does the teacher | help?');
    expect(md).toContain('![loss](figures/e1-loss.svg)');
    expect(md).toContain('- P4 holds: measured 0.1235 vs predicted 0.12, a gap of 2.9% relative (within the 5% tolerance).');
    expect(md).toContain('Overall: 1 holds, 0 do not, 0 not checked.');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
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
