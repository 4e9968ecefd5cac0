/**
 * The `backtest --png` picture: the HTML report's equity figure (equity against buy and hold,
 * drawdown underneath, breaches marked), drawn by Chromium or, without it, as an SVG chart.
 */
import { formatFixed } from '../domain/money.ts';
import { pictureSvg } from '../report/picture-svg.ts';
import { PICTURE_WIDTH, renderPng, type PngRenderer } from '../report/png.ts';
import { backtestCharts, type ReportPrices } from './report-html.ts';
import type { BacktestResult } from './types.ts';

export async function backtestPicture(
  r: BacktestResult,
  html: string,
  prices?: ReportPrices,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ png: Buffer; renderer: PngRenderer }> {
  const svg = () => {
    const equity = backtestCharts(r, prices).charts.find((c) => c.kind === 'equity');
    const data = equity?.kind === 'equity' ? equity.data : { points: [] };
    return pictureSvg(
      {
        title: `${r.strategy} on ${r.symbol}: equity from ${formatFixed(r.capital)}`,
        equity: data.points,
        ...(data.benchmark ? { benchmark: data.benchmark, benchmarkName: data.benchmarkName } : {}),
        breaches: r.breaches.map((b) => Date.parse(b.ts)),
      },
      PICTURE_WIDTH,
    );
  };
  return renderPng({ html, figureId: 'fig-chart-equity', svg }, env);
}
