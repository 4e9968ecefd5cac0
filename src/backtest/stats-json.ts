/**
 * A backtest's stats exactly as `riskgate backtest --report json` prints them (same keys, same
 * order): the report and research sweeps both print through here.
 */
import type { BacktestStats } from './types.ts';

export type StatsJson = BacktestStats;

export function statsJson(s: BacktestStats): StatsJson {
  return {
    trades: s.trades,
    netPnl: s.netPnl,
    totalReturnPct: s.totalReturnPct,
    maxDrawdownPct: s.maxDrawdownPct,
    sharpe: s.sharpe,
    sortino: s.sortino,
    winRate: s.winRate,
    profitFactor: s.profitFactor,
    exposurePct: s.exposurePct,
    cagrPct: s.cagrPct,
  };
}
