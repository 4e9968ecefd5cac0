/**
 * Backtest statistics (formulas in docs/backtest.md). Money (`netPnl`) is exact; ratios are
 * analytics and use JS numbers. Per-period returns are bar-to-bar changes of the marked equity.
 */
import { formatFixed, type Fixed } from '../domain/money.ts';
import type { BacktestStats } from './types.ts';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export interface StatsInput {
  readonly capital: Fixed;
  readonly finalEquity: Fixed;
  /** Equity marked at each bar's close (the last one after the final close-out). */
  readonly equity: readonly number[];
  readonly times: readonly number[];
  /** Net P&L per trade. */
  readonly tradePnls: readonly number[];
  readonly exposedBars: number;
  readonly periodsPerYear?: number | undefined;
}

/** Bars per year observed in the data: (bars − 1) / span in years. */
export function observedPeriodsPerYear(times: readonly number[]): number | undefined {
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined || last <= first || times.length < 2) return undefined;
  return (times.length - 1) / ((last - first) / YEAR_MS);
}

export function maxDrawdownPct(capital: number, equity: readonly number[]): number {
  let peak = capital;
  let worst = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    else if (peak > 0) {
      const dd = (peak - e) / peak;
      if (dd > worst) worst = dd;
    }
  }
  return worst * 100;
}

export function periodReturns(capital: number, equity: readonly number[]): number[] {
  const r: number[] = [];
  let prev = capital;
  for (const e of equity) {
    r.push(prev === 0 ? 0 : e / prev - 1);
    prev = e;
  }
  return r;
}

/** Annualised Sharpe (risk-free 0): mean / sample std × √periodsPerYear. */
export function sharpeRatio(returns: readonly number[], periodsPerYear: number): number | null {
  const n = returns.length;
  if (n < 2) return null;
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const variance = returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  if (variance === 0) return null;
  return (mean / Math.sqrt(variance)) * Math.sqrt(periodsPerYear);
}

/** Annualised Sortino (target 0): mean / √(Σ min(r,0)² / n) × √periodsPerYear. */
export function sortinoRatio(returns: readonly number[], periodsPerYear: number): number | null {
  const n = returns.length;
  if (n < 2) return null;
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const downside = Math.sqrt(returns.reduce((a, b) => a + (b < 0 ? b * b : 0), 0) / n);
  if (downside === 0) return null;
  return (mean / downside) * Math.sqrt(periodsPerYear);
}

export function computeStats(input: StatsInput): BacktestStats {
  const capital = Number(input.capital) / 1e18;
  const final = Number(input.finalEquity) / 1e18;
  const net = input.finalEquity - input.capital;
  const bars = input.equity.length;
  const ppy = input.periodsPerYear ?? observedPeriodsPerYear(input.times) ?? 252;
  const returns = periodReturns(capital, input.equity);
  const wins = input.tradePnls.filter((p) => p > 0);
  const losses = input.tradePnls.filter((p) => p < 0);
  const grossWin = wins.reduce((a, b) => a + b, 0);
  const grossLoss = -losses.reduce((a, b) => a + b, 0);
  const first = input.times[0];
  const last = input.times[input.times.length - 1];
  const years = first !== undefined && last !== undefined ? (last - first) / YEAR_MS : 0;
  let cagrPct: number | null = null;
  if (years > 0 && capital > 0) cagrPct = final <= 0 ? -100 : ((final / capital) ** (1 / years) - 1) * 100;
  return {
    trades: input.tradePnls.length,
    netPnl: formatFixed(net),
    totalReturnPct: capital > 0 ? (Number(net) / 1e18 / capital) * 100 : 0,
    maxDrawdownPct: maxDrawdownPct(capital, input.equity),
    sharpe: sharpeRatio(returns, ppy),
    sortino: sortinoRatio(returns, ppy),
    winRate: input.tradePnls.length > 0 ? wins.length / input.tradePnls.length : 0,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? null : 0,
    exposurePct: bars > 0 ? (input.exposedBars / bars) * 100 : 0,
    cagrPct,
  };
}
