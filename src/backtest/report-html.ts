/**
 * A self-contained HTML report: stats, an inline SVG equity curve and the trade list. No scripts,
 * fonts or external assets, so the file can be mailed or archived as is.
 */
import { formatFixed } from '../domain/money.ts';
import { fmtNum, paramsLabel } from './report-text.ts';
import type { BacktestResult, EquityCurve } from './types.ts';
import type { PortfolioResult } from './portfolio.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Equity polyline scaled into a w×h box; at most ~2 points per pixel column are kept. */
export function equitySvg(curve: EquityCurve, capital: number, w = 900, h = 320): string {
  const pad = 40;
  const n = curve.values.length;
  if (n === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"></svg>`;
  let lo = capital;
  let hi = capital;
  for (let i = 0; i < curve.values.length; i++) {
    const e = curve.values[i] as number;
    if (e < lo) lo = e;
    if (e > hi) hi = e;
  }
  if (hi === lo) hi = lo + 1;
  const t0 = curve.ts[0] as number;
  const t1 = Math.max(curve.ts[n - 1] as number, t0 + 1);
  const x = (ts: number) => pad + ((ts - t0) / (t1 - t0)) * (w - 2 * pad);
  const y = (e: number) => h - pad - ((e - lo) / (hi - lo)) * (h - 2 * pad);
  const step = Math.max(1, Math.floor(n / (2 * w)));
  const coords: string[] = [];
  const at = (i: number) => `${x(curve.ts[i] as number).toFixed(1)},${y(curve.values[i] as number).toFixed(1)}`;
  for (let i = 0; i < n; i += step) coords.push(at(i));
  coords.push(at(n - 1));
  const label = (v: number) => v.toFixed(2);
  const d0 = new Date(t0).toISOString().slice(0, 10);
  const d1 = new Date(t1).toISOString().slice(0, 10);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="equity curve">`,
    `<rect width="${w}" height="${h}" fill="#fff"/>`,
    `<line x1="${pad}" y1="${y(capital).toFixed(1)}" x2="${w - pad}" y2="${y(capital).toFixed(1)}" stroke="#bbb" stroke-dasharray="4 4"/>`,
    `<polyline fill="none" stroke="#1f6feb" stroke-width="1.5" points="${coords.join(' ')}"/>`,
    `<text x="${pad}" y="${pad - 10}" font-size="12" font-family="sans-serif">${label(hi)}</text>`,
    `<text x="${pad}" y="${h - pad + 16}" font-size="12" font-family="sans-serif">${label(lo)}</text>`,
    `<text x="${pad}" y="${h - 8}" font-size="12" font-family="sans-serif">${d0}</text>`,
    `<text x="${w - pad}" y="${h - 8}" font-size="12" font-family="sans-serif" text-anchor="end">${d1}</text>`,
    `</svg>`,
  ].join('\n');
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

export function htmlReport(r: BacktestResult): string {
  const s = r.stats;
  const capital = Number(r.capital) / 1e18;
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
</style></head><body>
<h1>${esc(title)}</h1>
<p>Parameters: ${esc(paramsLabel(r.params)) || 'none'}</p>
<h2>Equity</h2>
${equitySvg(r.equity, capital)}
<h2>Statistics</h2>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>${'symbols' in r ? symbolsHtml(r as PortfolioResult) : ''}
<h2>Trades</h2>
<table><tr><th>#</th><th>side</th><th>qty</th><th>entry time</th><th>entry price</th><th>exit time</th><th>exit price</th><th>pnl</th></tr>
${trades}
</table>
${riskHtml}</body></html>
`;
}
