/**
 * The research pages (`--html`): a sweep's heatmap of the metric over two parameters, and a
 * walk-forward's combined out-of-sample equity curve (with drawdown) and its windows. The heatmap
 * is inline SVG; the equity chart is web/charts, inlined. No fonts or assets from elsewhere.
 */
import { ATTRIBUTION, CHART_CSS, chartFigure, chartsScripts } from '../report/page.ts';
import { thinCurve } from '../report/series.ts';
import { fmtNum, paramsLabel } from '../backtest/report-text.ts';
import { metricValue, type Metric } from './metric.ts';
import type { ParamAxis } from './param-space.ts';
import type { SweepReport } from './sweep.ts';
import type { WalkForwardReport } from './walkforward.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, scripts = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:right}
th{background:#f6f8fa}td:first-child,th:first-child{text-align:left}
${scripts ? CHART_CSS : ''}
</style></head><body>
<h1>${esc(title)}</h1>
${body}${scripts ? `${ATTRIBUTION}\n${scripts}` : ''}</body></html>
`;
}

/** Red (worst) through yellow to green (best) for t in [0, 1]. */
function colour(t: number): string {
  const r = t < 0.5 ? 215 : Math.round(215 - (t - 0.5) * 2 * 160);
  const g = t < 0.5 ? Math.round(60 + t * 2 * 150) : 210 - Math.round((t - 0.5) * 2 * 40);
  return `rgb(${r},${g},70)`;
}

/**
 * The metric over the first two `--param`s (rows: the first, columns: the second; a single
 * `--param` gives one row). With more parameters a cell shows the best value over the others; a
 * cell no run reached (random sweeps) stays grey.
 */
export function heatmapSvg(report: SweepReport, axes: readonly ParamAxis[], metric: Metric): string {
  const rowsAxis = axes[0] as ParamAxis;
  const colsAxis = axes[1];
  const rows = rowsAxis.values;
  const cols = colsAxis?.values ?? [''];
  const better = (a: number, b: number) => (metric === 'maxDrawdownPct' ? a < b : a > b);
  const cells = new Map<string, number | null>();
  for (const run of report.runs) {
    const key = `${run.params[rowsAxis.key]}|${colsAxis ? run.params[colsAxis.key] : ''}`;
    const v = metricValue(run.stats, metric);
    const old = cells.get(key);
    if (old === undefined || (v !== null && (old === null || better(v, old)))) cells.set(key, v);
  }
  const values = [...cells.values()].filter((v): v is number => v !== null);
  const lo = values.length > 0 ? Math.min(...values) : 0;
  const hi = values.length > 0 ? Math.max(...values) : 0;
  const cw = Math.max(6, Math.min(48, Math.floor(800 / cols.length)));
  const ch = Math.max(6, Math.min(28, Math.floor(600 / rows.length)));
  const left = 70;
  const top = 30;
  const w = Math.max(640, left + cw * cols.length + 20);
  const h = top + ch * rows.length + 40;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="heatmap of ${esc(metric)}">`,
  ];
  rows.forEach((rv, i) => {
    cols.forEach((cv, j) => {
      const v = cells.get(`${rv}|${cv}`);
      const fill =
        v === undefined
          ? '#eee'
          : v === null
            ? '#999'
            : colour(hi === lo ? 1 : (metric === 'maxDrawdownPct' ? hi - v : v - lo) / (hi - lo));
      const label = `${rowsAxis.key}=${rv}${colsAxis ? `, ${colsAxis.key}=${cv}` : ''}: ${v === undefined ? 'not run' : fmtNum(v === null ? null : v, 4)}`;
      out.push(
        `<rect class="cell" x="${left + j * cw}" y="${top + i * ch}" width="${cw}" height="${ch}" fill="${fill}"><title>${esc(label)}</title></rect>`,
      );
    });
    if (rows.length <= 40 || i % Math.ceil(rows.length / 40) === 0)
      out.push(
        `<text x="${left - 6}" y="${top + i * ch + ch / 2 + 4}" font-size="11" text-anchor="end" font-family="sans-serif">${esc(rv)}</text>`,
      );
  });
  if (colsAxis)
    cols.forEach((cv, j) => {
      if (cols.length <= 20 || j % Math.ceil(cols.length / 20) === 0)
        out.push(
          `<text x="${left + j * cw + cw / 2}" y="${top + rows.length * ch + 16}" font-size="11" text-anchor="middle" font-family="sans-serif">${esc(cv)}</text>`,
        );
    });
  out.push(
    `<text x="4" y="16" font-size="12" font-family="sans-serif">rows: ${esc(rowsAxis.key)}${colsAxis ? `, columns: ${esc(colsAxis.key)}` : ''}; ${esc(metric)} from ${fmtNum(lo, 4)} (red) to ${fmtNum(hi, 4)} (green)</text>`,
  );
  out.push('</svg>');
  return out.join('\n');
}

export function sweepHtml(report: SweepReport, axes: readonly ParamAxis[], metric: Metric, title: string): string {
  const best = report.best;
  return page(
    title,
    `<p>${report.runs.length} parameter sets; best by ${esc(metric)}: ${esc(paramsLabel(best.params))} (${esc(metric)} ${esc(String(best.stats[metric]))}, net P&amp;L ${esc(best.stats.netPnl)})</p>
<h2>Heatmap of ${esc(metric)}</h2>
${heatmapSvg(report, axes, metric)}
`,
  );
}

export function walkForwardHtml(report: WalkForwardReport, metric: Metric, title: string): string {
  const s = report.outOfSample.stats;
  const rows = report.windows
    .map(
      (w) =>
        `<tr><td>${esc(w.inSample.from)} – ${esc(w.inSample.to)}</td><td>${esc(w.outOfSample.from)} – ${esc(w.outOfSample.to)}</td><td>${esc(paramsLabel(w.outOfSample.params))}</td><td>${esc(fmtNum(metricValue(w.inSample.best.stats, metric), 4))}</td><td>${esc(w.outOfSample.stats.netPnl)}</td></tr>`,
    )
    .join('\n');
  return page(
    title,
    `<p>Combined out-of-sample: net P&amp;L ${esc(s.netPnl)}, Sharpe ${fmtNum(s.sharpe)}, max drawdown ${fmtNum(s.maxDrawdownPct, 2, '%')}, ${s.trades} trades</p>
${chartFigure('chart-equity', 'Out-of-sample equity, drawdown underneath')}
<h2>Windows</h2>
<table><tr><th>in-sample</th><th>out-of-sample</th><th>chosen parameters</th><th>in-sample ${esc(metric)}</th><th>out-of-sample net P&amp;L</th></tr>
${rows}
</table>
`,
    chartsScripts({
      charts: [
        {
          id: 'chart-equity',
          kind: 'equity',
          data: {
            points: thinCurve(report.equity.ts, report.equity.values),
            drawdown: true,
            name: 'out-of-sample equity',
          },
        },
      ],
    }),
  );
}
