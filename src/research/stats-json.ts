/** A backtest's stats exactly as `riskgate backtest --report json` prints them (same keys, same order). */
import type { BacktestStats } from '../backtest/types.ts';

export interface StatsJson {
  readonly trades: number;
  readonly netPnl: string;
  readonly totalReturnPct: number;
  readonly maxDrawdownPct: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly winRate: number;
  readonly profitFactor: number | null;
  readonly exposurePct: number;
  readonly cagrPct: number | null;
}

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
