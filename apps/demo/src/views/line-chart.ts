import uPlot from 'uplot';

export interface SeriesSpec {
  label: string;
  color: string;
  /** Predicted curves are dashed, measured ones solid. */
  dashed?: boolean;
  /** Points only (a marked run, energies). */
  points?: boolean;
  scale?: string;
}

/** Log-axis tick labels: 0.01 .. 1000 as decimals, the rest as 1e-5 (uPlot's default prints tiny ones as 0). */
const logTick = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : v >= 0.01 && v < 1e4 ? String(Number(v.toPrecision(2))) : v.toExponential(0));

export interface LineChart {
  plot: uPlot;
  set(data: (number | null)[][]): void;
  canvas(): HTMLCanvasElement;
}

/**
 * A streaming line chart on uPlot (canvas; built for data that grows every frame). Charts with the
 * same `sync` key share the hovered step: `onHover(k)` fires with the x value under the cursor.
 */
export function lineChart(el: HTMLElement, opts: {
  xLabel: string; yLabel: string; series: SeriesSpec[]; logY?: boolean; logX?: boolean; sync?: string;
  y2?: { label: string }; onHover?: (x: number | null) => void; height?: number;
}): LineChart {
  const width = Math.max(280, Math.min(560, el.clientWidth || 460));
  const scales: uPlot.Scales = { x: { time: false, ...(opts.logX ? { distr: 3 } : {}) }, y: opts.logY ? { distr: 3 } : {} };
  if (opts.y2) scales.y2 = {};
  const plot = new uPlot({
    width, height: opts.height ?? 220,
    scales,
    legend: { live: true },
    cursor: { sync: opts.sync ? { key: opts.sync } : undefined, drag: { x: false, y: false } },
    axes: [
      { label: opts.xLabel, stroke: '#333' },
      { label: opts.yLabel, stroke: '#333', size: 60, ...(opts.logY ? { values: (_u: uPlot, splits: number[]) => splits.map(logTick) } : {}) },
      ...(opts.y2 ? [{ label: opts.y2.label, scale: 'y2', side: 1, stroke: '#333', grid: { show: false }, size: 60 } as uPlot.Axis] : []),
    ],
    series: [
      { label: opts.xLabel },
      ...opts.series.map((s): uPlot.Series => ({
        label: s.label, stroke: s.color, width: s.dashed ? 1.5 : 2, dash: s.dashed ? [6, 4] : undefined,
        scale: s.scale ?? 'y', spanGaps: !s.points,
        points: s.points ? { show: true, size: 8, fill: s.color } : { show: false },
        ...(s.points ? { paths: () => null } : {}),
      })),
    ],
    hooks: opts.onHover ? {
      setCursor: [(u) => {
        const i = u.cursor.idx;
        opts.onHover?.(i === null || i === undefined ? null : (u.data[0][i] as number));
      }],
    } : {},
  }, [[], ...opts.series.map(() => [])] as unknown as uPlot.AlignedData, el);
  return {
    plot,
    set(data) { plot.setData(data as unknown as uPlot.AlignedData); },
    canvas: () => plot.ctx.canvas,
  };
}
