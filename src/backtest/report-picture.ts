/**
 * The `backtest --png` picture: the HTML report's equity figure (equity against buy and hold,
 * drawdown underneath, breaches marked), drawn by Chromium or, without it, as an SVG chart.
 */
import { formatFixed } from '../domain/money.ts';
import { pictureSvg } from '../report/picture-svg.ts';
import { PICTURE_WIDTH, renderPng, type PngRenderer } from '../report/png.ts';
import { equitySeries, type ReportPrices } from './report-html.ts';
import type { BacktestResult } from './types.ts';

export async function backtestPicture(
  r: BacktestResult,
  html: string,
  prices?: ReportPrices,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ png: Buffer; renderer: PngRenderer }> {
  const svg = () => {
    const { equity, benchmark } = equitySeries(r, prices);
    return pictureSvg(
      {
        title: `${r.strategy} on ${r.symbol}: equity from ${formatFixed(r.capital)}`,
        equity,
        ...(benchmark.length > 0 ? { benchmark, benchmarkName: `buy and hold ${r.symbol}` } : {}),
        breaches: r.breaches.map((b) => Date.parse(b.ts)),
      },
      PICTURE_WIDTH,
    );
  };
  return renderPng({ html, figureId: 'fig-chart-equity', svg }, env);
}
