/**
 * Backtest statistics (formulas in docs/backtest.md). Money (`netPnl`) is exact; ratios are
 * analytics and use JS numbers. Per-period returns are bar-to-bar changes of the marked equity,
 * the first one against the starting capital. Single passes, no intermediate arrays.
 */
import { formatFixed, type Fixed } from '../domain/money.ts';
import type { BacktestStats } from './types.ts';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export interface StatsInput {
  readonly capital: Fixed;
  readonly finalEquity: Fixed;
  /** Equity marked at each bar's close (the last one after the final close-out). */
  readonly equity: ArrayLike<number>;
  readonly times: ArrayLike<number>;
  /** Net P&L per trade. */
  readonly tradePnls: readonly number[];
  readonly exposedBars: number;
  readonly periodsPerYear?: number | undefined;
}

/** Bars per year observed in the data: (bars − 1) / span in years. */
export function observedPeriodsPerYear(times: ArrayLike<number>): number | undefined {
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined || last <= first || times.length < 2) return undefined;
  return (times.length - 1) / ((last - first) / YEAR_MS);
}

/** Largest peak-to-trough fall of equity, in % of the peak (starting capital counts as a peak). */
export function maxDrawdownPct(capital: number, equity: ArrayLike<number>): number {
  let peak = capital;
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i] as number;
    if (e > peak) peak = e;
    else if (peak > 0) {
      const dd = (peak - e) / peak;
      if (dd > worst) worst = dd;
    }
  }
  return worst * 100;
}

export interface ReturnMoments {
  readonly n: number;
  readonly mean: number;
  /** Sample variance (n − 1). */
  readonly variance: number;
  /** Σ min(r, 0)² / n */
  readonly downsideVariance: number;
}

/** Moments of the per-bar returns r_i = e_i / e_{i−1} − 1 (e_{−1} = capital), in two passes. */
export function returnMoments(capital: number, equity: ArrayLike<number>): ReturnMoments {
  const n = equity.length;
  let sum = 0;
  let prev = capital;
  for (let i = 0; i < n; i++) {
    const e = equity[i] as number;
    sum += prev === 0 ? 0 : e / prev - 1;
    prev = e;
  }
  const mean = n > 0 ? sum / n : 0;
  let sq = 0;
  let down = 0;
  prev = capital;
  for (let i = 0; i < n; i++) {
    const e = equity[i] as number;
    const r = prev === 0 ? 0 : e / prev - 1;
    sq += (r - mean) * (r - mean);
    if (r < 0) down += r * r;
    prev = e;
  }
  return { n, mean, variance: n > 1 ? sq / (n - 1) : 0, downsideVariance: n > 0 ? down / n : 0 };
}

/** Annualised Sharpe (risk-free 0): mean / sample std × √periodsPerYear; null when undefined. */
export function sharpeRatio(m: ReturnMoments, periodsPerYear: number): number | null {
  if (m.n < 2 || m.variance === 0) return null;
  return (m.mean / Math.sqrt(m.variance)) * Math.sqrt(periodsPerYear);
}

/** Annualised Sortino (target 0): mean / √(Σ min(r,0)² / n) × √periodsPerYear; null when undefined. */
export function sortinoRatio(m: ReturnMoments, periodsPerYear: number): number | null {
  if (m.n < 2 || m.downsideVariance === 0) return null;
  return (m.mean / Math.sqrt(m.downsideVariance)) * Math.sqrt(periodsPerYear);
}

export function computeStats(input: StatsInput): BacktestStats {
  const capital = Number(input.capital) / 1e18;
  const final = Number(input.finalEquity) / 1e18;
  const net = input.finalEquity - input.capital;
  const bars = input.equity.length;
  const ppy = input.periodsPerYear ?? observedPeriodsPerYear(input.times) ?? 252;
  const moments = returnMoments(capital, input.equity);
  let wins = 0;
  let grossWin = 0;
  let grossLoss = 0;
  for (const p of input.tradePnls) {
    if (p > 0) {
      wins++;
      grossWin += p;
    } else if (p < 0) grossLoss -= p;
  }
  const first = input.times[0];
  const last = input.times[input.times.length - 1];
  const years = first !== undefined && last !== undefined ? (last - first) / YEAR_MS : 0;
  let cagrPct: number | null = null;
  if (years > 0 && capital > 0) cagrPct = final <= 0 ? -100 : ((final / capital) ** (1 / years) - 1) * 100;
  const trades = input.tradePnls.length;
  return {
    trades,
    netPnl: formatFixed(net),
    totalReturnPct: capital > 0 ? (Number(net) / 1e18 / capital) * 100 : 0,
    maxDrawdownPct: maxDrawdownPct(capital, input.equity),
    sharpe: sharpeRatio(moments, ppy),
    sortino: sortinoRatio(moments, ppy),
    winRate: trades > 0 ? wins / trades : 0,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? null : 0,
    exposurePct: bars > 0 ? (input.exposedBars / bars) * 100 : 0,
    cagrPct,
  };
}
