/**
 * One-period Value at Risk and Expected Shortfall from a series of returns (or P&L).
 *
 * Sign convention: VaR and ES are reported as POSITIVE losses (a VaR of 0.021 = a 2.1 % loss),
 * in the unit of the input series, multiplied by `portfolioValue` when given (returns → money).
 * The horizon is the period of the input (1 day for daily returns); `horizonDays` scales by
 * √h, the usual i.i.d. square-root-of-time rule.
 *
 * Historical (non-parametric): with n observations sorted ascending and k = ceil(n·(1−c)),
 * VaR = −r₍ₖ₎ (the k-th worst outcome; for 250 days at 99 %, the 3rd worst), and
 * ES = −mean(r₍₁₎ … r₍ₖ₎) (mean of the k worst outcomes, so ES ≥ VaR).
 *
 * Parametric (variance-covariance, normal): with sample mean μ and sample σ (n − 1),
 * z = N⁻¹(c): VaR = zσ − μ and ES = σ·n(z)/(1 − c) − μ. `zeroMean` drops μ (common for daily).
 */
import { AppError } from '../errors.ts';
import { normInv, normPdf } from './normal.ts';

export interface VarOptions {
  /** Confidence level, e.g. 0.95 or 0.99. */
  confidence: number;
  /** Multiplies the result (e.g. portfolio value when the series are returns). Default 1. */
  portfolioValue?: number;
  /** Horizon in periods, scaled by √h. Default 1. */
  horizonDays?: number;
  /** Parametric only: assume a zero mean. Default false. */
  zeroMean?: boolean;
}

export interface RiskEstimate {
  method: 'historical' | 'parametric';
  confidence: number;
  valueAtRisk: number;
  expectedShortfall: number;
  observations: number;
}

function validate(returns: readonly number[], opts: VarOptions, minObs: number): void {
  if (!(opts.confidence > 0 && opts.confidence < 1)) {
    throw new AppError('ERR_ANALYTICS_INPUT', `confidence must be in (0, 1), got ${opts.confidence}`);
  }
  if (returns.length < minObs)
    throw new AppError('ERR_ANALYTICS_INPUT', `need at least ${minObs} returns, got ${returns.length}`);
  returns.forEach((r, i) => {
    if (!Number.isFinite(r)) throw new AppError('ERR_ANALYTICS_INPUT', `returns[${i}] is not a finite number`);
  });
  const h = opts.horizonDays ?? 1;
  if (!(h > 0)) throw new AppError('ERR_ANALYTICS_INPUT', `horizonDays must be > 0, got ${h}`);
}

function scale(opts: VarOptions): number {
  return (opts.portfolioValue ?? 1) * Math.sqrt(opts.horizonDays ?? 1);
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (divides by n − 1). */
export function sampleStdDev(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

export function historicalVar(returns: readonly number[], opts: VarOptions): RiskEstimate {
  validate(returns, opts, 1);
  const sorted = [...returns].sort((a, b) => a - b);
  // The epsilon guards against n·(1−c) landing a hair above an integer (0.05·100 = 5.000000000000001).
  const k = Math.max(1, Math.ceil(sorted.length * (1 - opts.confidence) - 1e-9));
  const tail = sorted.slice(0, k);
  const m = scale(opts);
  return {
    method: 'historical',
    confidence: opts.confidence,
    valueAtRisk: -sorted[k - 1]! * m,
    expectedShortfall: -mean(tail) * m,
    observations: sorted.length,
  };
}

export function parametricVar(returns: readonly number[], opts: VarOptions): RiskEstimate {
  validate(returns, opts, 2);
  const mu = opts.zeroMean ? 0 : mean(returns);
  const sigma = sampleStdDev(returns);
  const z = normInv(opts.confidence);
  const h = opts.horizonDays ?? 1;
  const pv = opts.portfolioValue ?? 1;
  // Mean scales with h, sigma with √h.
  const varValue = (z * sigma * Math.sqrt(h) - mu * h) * pv;
  const es = ((sigma * normPdf(z)) / (1 - opts.confidence)) * Math.sqrt(h) * pv - mu * h * pv;
  return {
    method: 'parametric',
    confidence: opts.confidence,
    valueAtRisk: varValue,
    expectedShortfall: es,
    observations: returns.length,
  };
}

/** Simple returns r_t = p_t / p_{t−1} − 1 from a price or equity series. */
export function simpleReturns(prices: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++) {
    if (!(prices[i - 1]! > 0))
      throw new AppError('ERR_ANALYTICS_INPUT', `prices[${i - 1}] must be > 0 to compute a return`);
    out.push(prices[i]! / prices[i - 1]! - 1);
  }
  return out;
}
