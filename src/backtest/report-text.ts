/** The human-readable `--report text` summary. */
import { formatFixed } from '../domain/money.ts';
import type { BacktestResult } from './types.ts';
import type { PortfolioResult } from './portfolio.ts';

export function fmtNum(x: number | null, digits = 2, suffix = ''): string {
  if (x === null) return 'n/a';
  return `${x.toFixed(digits)}${suffix}`;
}

export function paramsLabel(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * Rejected orders, by rule (an order rejected by several rules counts under each), and the first
 * rejection with its rule and reason: what a trader needs to see why a strategy did not trade.
 */
export function rejectionLines(r: BacktestResult): string[] {
  const orders = new Set(r.rejections.map((x) => x.orderId)).size;
  const byRule = new Map<string, number>();
  for (const x of r.rejections) byRule.set(x.rule, (byRule.get(x.rule) ?? 0) + 1);
  const rules = [...byRule].map(([rule, n]) => `${rule} ${n}`).join(', ');
  const first = r.rejections[0];
  return [
    `rejected orders ${orders}${rules ? ` (by rule: ${rules})` : ''}`,
    ...(first ? [`  first at ${first.ts}: ${first.rule}: ${first.reason}`] : []),
  ];
}

/** Per symbol of a multi-instrument run: its bars, trades, net P&L, drawdown and exposure. */
function symbolLines(r: PortfolioResult): string[] {
  const lines = ['', 'symbol         bars  trades       net P&L   max DD   Sharpe  exposure'];
  for (const [symbol, x] of Object.entries(r.symbols)) {
    const s = x.stats;
    lines.push(
      `${symbol.padEnd(12)} ${String(x.bars).padStart(6)}  ${String(s.trades).padStart(6)}  ${s.netPnl.padStart(12)}  ${fmtNum(s.maxDrawdownPct, 2, '%').padStart(7)}  ${fmtNum(s.sharpe).padStart(7)}  ${fmtNum(s.exposurePct, 1, '%').padStart(8)}`,
    );
  }
  lines.push('');
  return lines;
}

export function textReport(r: BacktestResult, lastTrades = 10): string {
  const s = r.stats;
  const first = r.equity.ts[0];
  const last = r.equity.ts[r.equity.ts.length - 1];
  const span =
    first !== undefined && last !== undefined
      ? `${new Date(first).toISOString().slice(0, 10)} → ${new Date(last).toISOString().slice(0, 10)}`
      : '';
  const lines = [
    `riskgate backtest: ${r.strategy} (${paramsLabel(r.params)}) on ${r.symbol}`,
    `bars            ${r.bars}   ${span}`,
    `capital         ${formatFixed(r.capital)}`,
    `trades          ${s.trades}`,
    `net P&L         ${s.netPnl}`,
    `total return    ${fmtNum(s.totalReturnPct, 2, '%')}`,
    `CAGR            ${fmtNum(s.cagrPct, 2, '%')}`,
    `max drawdown    ${fmtNum(s.maxDrawdownPct, 2, '%')}`,
    `Sharpe          ${fmtNum(s.sharpe)}`,
    `Sortino         ${fmtNum(s.sortino)}`,
    `win rate        ${fmtNum(s.winRate * 100, 1, '%')}`,
    `profit factor   ${s.profitFactor === null ? '∞ (no losing trade)' : fmtNum(s.profitFactor)}`,
    `exposure        ${fmtNum(s.exposurePct, 1, '%')}`,
  ];
  if ('symbols' in r) lines.push(...symbolLines(r as PortfolioResult));
  if (r.stopped) lines.push(`stopped         ${r.stopped.reason}`);
  if (r.rejections.length > 0 || r.risk) lines.push(...rejectionLines(r));
  if (r.risk) {
    lines.push(`risk breaches   ${r.breaches.length} (first per rule per trading day)`);
    lines.push(`enforcements    ${r.enforcements} reduce-only orders`);
    for (const b of r.breaches.slice(0, 20))
      lines.push(
        `  ${b.day}  ${b.rule} ${b.action}${b.symbol ? ` ${b.symbol}` : ''} at ${b.ts}${b.until ? ` until ${b.until}` : ''}`,
      );
    if (r.breaches.length > 20) lines.push(`  … ${r.breaches.length - 20} more (--report json lists all)`);
  }
  if (r.trades.length > 0) {
    const shown = r.trades.slice(-lastTrades);
    lines.push(
      '',
      `last ${shown.length} trades:`,
      'side   qty  entry time                entry price    exit time                 exit price          pnl',
    );
    for (const t of shown)
      lines.push(
        `${t.side.padEnd(6)} ${String(t.qty).padStart(3)}  ${t.entryTime}  ${t.entryPrice.padStart(12)}  ${t.exitTime}  ${t.exitPrice.padStart(12)}  ${t.pnl.padStart(11)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
