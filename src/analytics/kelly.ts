/**
 * Kelly fraction: the share of capital to risk per bet that maximises expected log growth.
 *
 * Discrete bets: f* = p − (1 − p)/b with win probability p and payoff ratio b = average win /
 * average loss. From a trade list, p and b are estimated from the P&L of each trade.
 * Continuous (returns): f* = (μ − r_f)/σ² (leverage of the growth-optimal portfolio).
 * A negative value means the edge is negative: do not bet. No clamping is applied; callers
 * usually trade a fraction ("half Kelly") of it.
 */
import { AppError } from '../errors.ts';
import { mean, sampleStdDev } from './value-at-risk.ts';

export function kellyFraction(winProbability: number, payoffRatio: number): number {
  if (!(winProbability >= 0 && winProbability <= 1)) {
    throw new AppError('ERR_ANALYTICS_INPUT', `winProbability must be in [0, 1], got ${winProbability}`);
  }
  if (!(payoffRatio > 0)) throw new AppError('ERR_ANALYTICS_INPUT', `payoffRatio must be > 0, got ${payoffRatio}`);
  return winProbability - (1 - winProbability) / payoffRatio;
}

export interface KellyFromTrades {
  winProbability: number;
  payoffRatio: number;
  fraction: number;
}

/** Estimates p and b from closed-trade P&L (zero P&L trades count as neither win nor loss). */
export function kellyFromTrades(pnls: readonly number[]): KellyFromTrades {
  const wins = pnls.filter((p) => p > 0);
  const losses = pnls.filter((p) => p < 0);
  if (wins.length === 0 || losses.length === 0) {
    throw new AppError('ERR_ANALYTICS_INPUT', 'Kelly from trades needs at least one winning and one losing trade');
  }
  const winProbability = wins.length / (wins.length + losses.length);
  const payoffRatio = mean(wins) / -mean(losses);
  return { winProbability, payoffRatio, fraction: kellyFraction(winProbability, payoffRatio) };
}

/** Continuous-time Kelly leverage (μ − r_f)/σ² from per-period returns. */
export function kellyFromReturns(returns: readonly number[], riskFreePerPeriod = 0): number {
  if (returns.length < 2) throw new AppError('ERR_ANALYTICS_INPUT', 'need at least 2 returns');
  const sigma = sampleStdDev(returns);
  if (sigma === 0) throw new AppError('ERR_ANALYTICS_NO_SOLUTION', 'returns have zero variance');
  return (mean(returns) - riskFreePerPeriod) / (sigma * sigma);
}
