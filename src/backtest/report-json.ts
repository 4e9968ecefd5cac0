/**
 * `--report json` as DESIGN §5: {"trades":[…],"stats":{…},"bars":N} (+ cagrPct in stats). With
 * the risk engine on (`--config`), `rejections` ([{rule, ts, orderId, reason}], one per rejecting rule) and
 * `breaches` (first per rule per trading day: [{day, rule, ts, action, symbol?, until?}]) follow
 * `trades`; the DESIGN keys are unchanged. An account that lost its capital adds
 * `stopped` ({ts, equity, reason}) at the end. A multi-instrument run adds `symbols` (per symbol:
 * its bars and stats) before `stats`, which are then the account's.
 */
import { statsJson, type StatsJson } from './stats-json.ts';
import type { PortfolioResult } from './portfolio.ts';
import type { BacktestResult } from './types.ts';

export function jsonReport(r: BacktestResult): string {
  const stats = statsJson(r.stats);
  const trades = r.trades.map((t) => ({
    symbol: t.symbol,
    side: t.side,
    qty: t.qty,
    entryTime: t.entryTime,
    entryPrice: t.entryPrice,
    exitTime: t.exitTime,
    exitPrice: t.exitPrice,
    pnl: t.pnl,
  }));
  const stopped = r.stopped ? { stopped: { ...r.stopped } } : {};
  const symbols = 'symbols' in r ? { symbols: symbolsJson(r as PortfolioResult) } : {};
  if (!r.risk) return JSON.stringify({ trades, ...symbols, stats, bars: r.bars, ...stopped });
  const rejections = r.rejections.map((x) => ({ rule: x.rule, ts: x.ts, orderId: x.orderId, reason: x.reason }));
  const breaches = r.breaches.map((b) => ({ ...b }));
  return JSON.stringify({ trades, rejections, breaches, ...symbols, stats, bars: r.bars, ...stopped });
}

/** A multi-instrument run's per-symbol part: {"SYM":{"bars":N,"stats":{…}}} in feed order. */
function symbolsJson(r: PortfolioResult): Record<string, { bars: number; stats: StatsJson }> {
  const out: Record<string, { bars: number; stats: StatsJson }> = {};
  for (const [symbol, s] of Object.entries(r.symbols)) out[symbol] = { bars: s.bars, stats: statsJson(s.stats) };
  return out;
}
