/**
 * The backtest HTML report, one self-contained file: price with entries and exits, equity against
 * buy-and-hold with the drawdown underneath and breaches marked (web/charts, inlined), monthly
 * returns, statistics, trades and the risk rules' breaches and rejections.
 */
import { formatFixed } from '../domain/money.ts';
import type { Quote } from '../adapters/broker.ts';
import {
  ATTRIBUTION,
  CHART_CSS,
  chartFigure,
  chartsScripts,
  esc,
  monthlyReturnsTable,
  type ChartsData,
} from '../report/page.ts';
import {
  buyAndHold,
  monthlyReturns,
  roundForChart,
  thinCandles,
  thinCurve,
  type ChartPoint,
} from '../report/series.ts';
import { fmtNum, paramsLabel } from './report-text.ts';
import type { Bar, BacktestResult } from './types.ts';
import type { PortfolioResult } from './portfolio.ts';

/** The prices the backtest ran over, for the price chart and buy-and-hold (bars or quotes). */
export interface ReportPrices {
  readonly bars?: readonly Bar[];
  readonly quotes?: readonly Quote[];
}

/** Closes (bars) or last / mid prices (quotes) as epoch ms and numbers. */
function pricePoints(p: ReportPrices): ChartPoint[] {
  if (p.bars) return p.bars.map((b) => ({ time: b.ts, value: b.num.close }));
  const out: ChartPoint[] = [];
  for (const q of p.quotes ?? []) {
    const px = q.last ?? (q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2n : (q.bid ?? q.ask));
    if (px !== undefined) out.push({ time: q.ts, value: Number(formatFixed(px)) });
  }
  return out;
}

const TRADE_WORDS = { long: ['buy', 'sell'], short: ['short', 'cover'] } as const;

/** Equity (thinned) and buy-and-hold of the same capital (when the prices are given). */
export function equitySeries(
  r: BacktestResult,
  prices?: ReportPrices,
): { equity: ChartPoint[]; benchmark: ChartPoint[]; closes: ChartPoint[] } {
  const capital = Number(formatFixed(r.capital));
  const closes = prices ? pricePoints(prices) : [];
  const rounded = (points: ChartPoint[]) => points.map((p) => ({ time: p.time, value: roundForChart(p.value) }));
  const benchmark = thinCurve(
    closes.map((p) => p.time),
    buyAndHold(closes, capital).map((p) => p.value),
  );
  return { equity: rounded(thinCurve(r.equity.ts, r.equity.values)), benchmark: rounded(benchmark), closes };
}

/** The charts of a backtest: price (when the prices are given) and equity with drawdown. */
export function backtestCharts(r: BacktestResult, prices?: ReportPrices): ChartsData {
  const { equity, benchmark, closes } = equitySeries(r, prices);
  const charts: ChartsData['charts'] = [];
  if (closes.length > 0) {
    const marks = r.trades.flatMap((t) => {
      const [entry, exit] = TRADE_WORDS[t.side];
      return [
        { time: t.entryTime, action: t.side === 'long' ? ('buy' as const) : ('sell' as const), label: entry },
        { time: t.exitTime, action: t.side === 'long' ? ('sell' as const) : ('buy' as const), label: exit },
      ];
    });
    const bars = prices?.bars
      ? thinCandles(
          prices.bars.map((b) => ({
            time: b.ts,
            open: b.num.open,
            high: b.num.high,
            low: b.num.low,
            close: b.num.close,
          })),
        )
      : undefined;
    const line = bars
      ? undefined
      : thinCurve(
          closes.map((p) => p.time),
          closes.map((p) => p.value),
        );
    charts.push({
      id: 'chart-price',
      kind: 'price',
      data: { symbol: r.symbol, ...(bars ? { bars } : { line }), marks, height: 340 },
    });
  }
  charts.push({
    id: 'chart-equity',
    kind: 'equity',
    data: {
      points: equity,
      ...(benchmark.length > 0 ? { benchmark, benchmarkName: `buy and hold ${r.symbol}` } : {}),
      breaches: r.breaches.map((b) => ({ time: b.ts, label: b.rule })),
      drawdown: true,
      name: r.strategy,
      height: 440,
    },
  });
  return { charts, sync: [charts.map((c) => c.id)] };
}

/** A multi-instrument run's per-symbol table (portfolio.ts). */
function symbolsHtml(r: PortfolioResult): string {
  const rows = Object.entries(r.symbols)
    .map(
      ([symbol, x]) =>
        `<tr><td>${esc(symbol)}</td><td>${x.bars}</td><td>${x.stats.trades}</td><td class="${x.stats.netPnl.startsWith('-') ? 'neg' : 'pos'}">${esc(x.stats.netPnl)}</td><td>${esc(fmtNum(x.stats.maxDrawdownPct, 2, '%'))}</td><td>${esc(fmtNum(x.stats.sharpe))}</td><td>${esc(fmtNum(x.stats.exposurePct, 1, '%'))}</td></tr>`,
    )
    .join('\n');
  return `
<h2>Symbols</h2>
<table><tr><th>symbol</th><th>bars</th><th>trades</th><th>net P&amp;L</th><th>max drawdown</th><th>Sharpe</th><th>exposure</th></tr>
${rows}
</table>`;
}

export function htmlReport(r: BacktestResult, prices?: ReportPrices): string {
  const s = r.stats;
  const capital = Number(formatFixed(r.capital));
  const charts = backtestCharts(r, prices);
  const hasPrice = charts.charts.some((c) => c.kind === 'price');
  const rows: Array<[string, string]> = [
    ['bars', String(r.bars)],
    ['capital', formatFixed(r.capital)],
    ['trades', String(s.trades)],
    ['net P&L', s.netPnl],
    ['total return', fmtNum(s.totalReturnPct, 2, '%')],
    ['CAGR', fmtNum(s.cagrPct, 2, '%')],
    ['max drawdown', fmtNum(s.maxDrawdownPct, 2, '%')],
    ['Sharpe', fmtNum(s.sharpe)],
    ['Sortino', fmtNum(s.sortino)],
    ['win rate', fmtNum(s.winRate * 100, 1, '%')],
    ['profit factor', s.profitFactor === null ? '∞' : fmtNum(s.profitFactor)],
    ['exposure', fmtNum(s.exposurePct, 1, '%')],
    ['rejected orders', String(new Set(r.rejections.map((x) => x.orderId)).size)],
    ...(r.stopped ? [['stopped', r.stopped.reason] as [string, string]] : []),
  ];
  if (r.risk) rows.push(['risk breaches', String(r.breaches.length)], ['enforcement orders', String(r.enforcements)]);
  const breaches = r.breaches
    .map(
      (b) =>
        `<tr><td>${esc(b.day)}</td><td>${esc(b.rule)}</td><td>${esc(b.action)}</td><td>${esc(b.symbol ?? '')}</td><td>${esc(b.ts)}</td><td>${esc(b.until ?? '')}</td></tr>`,
    )
    .join('\n');
  const rejections = r.rejections
    .map(
      (x) => `<tr><td>${esc(x.ts)}</td><td>${esc(x.rule)}</td><td>${esc(x.orderId)}</td><td>${esc(x.reason)}</td></tr>`,
    )
    .join('\n');
  const riskHtml = r.risk
    ? `<h2>Risk breaches (first per rule per trading day)</h2>
<table><tr><th>day</th><th>rule</th><th>action</th><th>symbol</th><th>time</th><th>until</th></tr>
${breaches}
</table>
<h2>Rejected orders</h2>
<table><tr><th>time</th><th>rule</th><th>order</th><th>reason</th></tr>
${rejections}
</table>
`
    : '';
  const title = `riskgate backtest: ${r.strategy} on ${r.symbol}`;
  const trades = r.trades
    .map(
      (t, i) =>
        `<tr><td>${i + 1}</td><td>${esc(t.side)}</td><td>${esc(String(t.qty))}</td><td>${esc(t.entryTime)}</td><td>${esc(t.entryPrice)}</td><td>${esc(t.exitTime)}</td><td>${esc(t.exitPrice)}</td><td class="${t.pnl.startsWith('-') ? 'neg' : 'pos'}">${esc(t.pnl)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:right}
th{background:#f6f8fa}td:first-child,th:first-child{text-align:left}.neg{color:#b42318}.pos{color:#067647}
${CHART_CSS}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Parameters: ${esc(paramsLabel(r.params)) || 'none'}</p>
${hasPrice ? chartFigure('chart-price', `${r.symbol}: entries and exits`) : ''}
${chartFigure('chart-equity', `Equity of ${r.strategy} on ${r.symbol}${hasPrice ? ' against buy and hold' : ''}, drawdown underneath`)}
<h2>Monthly returns</h2>
${monthlyReturnsTable(monthlyReturns(r.equity.ts, r.equity.values, capital))}
<h2>Statistics</h2>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>${'symbols' in r ? symbolsHtml(r as PortfolioResult) : ''}
<h2>Trades</h2>
<table><tr><th>#</th><th>side</th><th>qty</th><th>entry time</th><th>entry price</th><th>exit time</th><th>exit price</th><th>pnl</th></tr>
${trades}
</table>
${riskHtml}${ATTRIBUTION}
${chartsScripts(charts)}</body></html>
`;
}
