import { renderBandPlot } from '../figures/band-plot.js';
import type { BandSeries } from '../figures/band-plot.js';
import type { PlotSeries } from '../figures/svg-plot.js';
import { formatNumber } from '../report/format.js';
import type { ExperimentReport, ReportFigure } from '../report/types.js';
import type { Grid, GridKey } from './grid.js';
import type { SweepSummary } from './summary.js';

/** The numbers the sweep's table and figures show, measured beside predicted. */
const FIELDS: Array<[string, string]> = [['testLoss', 'test loss'], ['labelErrorFinal', 'label error ||u - y||'], ['testAccuracy', 'test accuracy'], ['trajectoryGap', 'trajectory gap']];
const NUMERIC: readonly GridKey[] = ['lambda', 'width', 'steps'];

const cell = (s: SweepSummary, side: 'measured' | 'predicted', f: string) => {
  const v = s[side][f];
  if (!v) return null;
  return side === 'predicted' || s.seeds < 2 ? formatNumber(v.mean) : `${formatNumber(v.mean)} +- ${formatNumber(v.sd)}`;
};

/**
 * Figures: for each numeric knob the grid varies, each field against that knob, one colour per
 * combination of the other knobs: the measured mean over seeds with a band of +- 1 sd, and the
 * predicted mean (dashed).
 */
function figures(grid: Grid, summary: readonly SweepSummary[]): ReportFigure[] {
  const out: ReportFigure[] = [];
  for (const axis of grid.filter((g) => NUMERIC.includes(g.key) && g.values.length > 1)) {
    const others = grid.filter((g) => g.key !== axis.key);
    const groupOf = (s: SweepSummary) => others.map((g) => `${g.key}=${s.params[g.key]}`).join(', ') || 'all';
    const groups = [...new Set(summary.map(groupOf))];
    for (const [field, words] of FIELDS.slice(0, 2)) {
      const bands: BandSeries[] = [];
      const series: PlotSeries[] = [];
      for (const g of groups) {
        const rows = summary.filter((s) => groupOf(s) === g).sort((a, b) => (a.params[axis.key] as number) - (b.params[axis.key] as number));
        const x = rows.map((s) => s.params[axis.key] as number);
        const m = rows.map((s) => s.measured[field]);
        if (m.some((v) => v === undefined)) continue;
        bands.push({ label: `${g} (measured)`, group: g, x, mean: m.map((v) => v!.mean), sd: m.map((v) => v!.sd) });
        const p = rows.map((s) => s.predicted[field]?.mean ?? NaN);
        if (p.some(Number.isFinite)) series.push({ label: `${g} (theory)`, group: g, kind: 'predicted', x, y: p, markers: true });
      }
      if (bands.length === 0) continue;
      const id = `sweep-${field.toLowerCase()}-vs-${axis.key}`;
      const title = `Sweep: ${words} vs ${axis.key}`;
      out.push({
        id, title, file: `figures/${id}.svg`,
        caption: `${words} against ${axis.key}: mean over seeds measured (solid, shaded +- 1 sd) and predicted (dashed), one colour per ${others.map((o) => o.key).join(' x ') || 'configuration'}.`,
        svg: renderBandPlot({ title, x: { label: axis.key, log: axis.key === 'width' }, y: { label: words }, series }, bands),
      });
    }
  }
  return out;
}

/** The sweep's report section: a table of every configuration and the band figures. */
export function sweepSection(grid: Grid, seeds: number, summary: readonly SweepSummary[], setup: string, failures: readonly string[]): ExperimentReport {
  const keys = grid.map((g) => g.key);
  return {
    id: 'SWEEP', title: `grid over ${keys.join(' x ')}, ${seeds} seed(s) each`,
    question: 'How do the measured numbers move across the grid, how much do they spread over seeds (student initializations), and does the kernel-regime prediction follow them?',
    setup,
    table: {
      columns: [...keys, 'seeds', ...FIELDS.flatMap(([, w]) => [`${w} (measured${seeds > 1 ? ', mean +- sd' : ''})`, `${w} (theory)`])],
      rows: summary.map((s) => [...keys.map((k) => s.params[k]), s.failed ? `${s.seeds - s.failed} of ${s.seeds}` : s.seeds, ...FIELDS.flatMap(([f]) => [cell(s, 'measured', f), cell(s, 'predicted', f)])]),
    },
    figures: figures(grid, summary),
    verdicts: [],
    notes: failures.map((f) => `Failed run: ${f}.`),
  };
}
