/**
 * The strategy selector and allocator (docs/research.md "Strategy selection and allocation"):
 * pure functions over the candidates' per-bar returns in a lookback window. `scoreCandidates`
 * rates each candidate by four factors (risk-adjusted return, drawdown, fit to the current regime,
 * correlation with the others) and picks the active set; `allocate` weights the active set with
 * the portfolio optimizer, then scales it down to the VaR, drawdown and Kelly budgets. No clock
 * and no randomness: the same returns give the same answer, so shadow and paper runs can call
 * them on their own schedule.
 */
import { AppError, isAppError } from '../errors.ts';
import { estimateMoments, optimizePortfolio, type OptimizerMethod } from '../analytics/portfolio-optimizer.ts';
import { historicalVar, mean, sampleStdDev } from '../analytics/value-at-risk.ts';

export interface SelectorWeights {
  /** Per unit of annualised Sharpe over the lookback. */
  readonly sharpe: number;
  /** Per unit of annualised Sharpe on the lookback's bars in the current regime. */
  readonly regime: number;
  /** Per unit of (lookback max drawdown ÷ drawdown budget), subtracted. */
  readonly drawdown: number;
  /** Per unit of mean correlation with the other candidates, subtracted. */
  readonly correlation: number;
}

export interface AllocationSettings {
  readonly method: OptimizerMethod;
  /** Cap per strategy (fraction of capital). */
  readonly maxWeight: number;
  /** Portfolio one-day historical VaR budget (fraction of capital) at `varConfidence`. */
  readonly varBudget: number;
  readonly varConfidence: number;
  /** Max drawdown budget of the allocation over the lookback (fraction). */
  readonly drawdownBudget: number;
  /** Kelly leverage as an upper bound on total exposure: full, half, or off. */
  readonly kelly: 'full' | 'half' | 'off';
}

export interface SelectorSettings {
  /** Bars of history each selection looks at. */
  readonly lookback: number;
  /** Bars between selections (the first one once `lookback` bars exist). */
  readonly rebalance: number;
  /** Most strategies active at once. */
  readonly maxActive: number;
  /** A candidate is active only with a score above this. */
  readonly minScore: number;
  /** Fewest lookback bars in the current regime for the regime factor (else it is 0). */
  readonly minRegimeBars: number;
  readonly weights: SelectorWeights;
  readonly allocation: AllocationSettings;
}

export const DEFAULT_SELECTOR_SETTINGS: SelectorSettings = {
  lookback: 252,
  rebalance: 21,
  maxActive: 3,
  minScore: 0,
  minRegimeBars: 20,
  weights: { sharpe: 1, regime: 0.5, drawdown: 0.5, correlation: 0.25 },
  allocation: {
    method: 'risk-parity',
    maxWeight: 0.4,
    varBudget: 0.02,
    varConfidence: 0.95,
    drawdownBudget: 0.15,
    kelly: 'full',
  },
};

export interface CandidateScore {
  readonly id: string;
  readonly sharpe: number;
  readonly regimeSharpe: number;
  readonly regimeBars: number;
  readonly maxDrawdownPct: number;
  readonly correlation: number;
  /** Each factor × its weight (drawdown and correlation negative): they sum to `score`. */
  readonly contributions: { sharpe: number; regime: number; drawdown: number; correlation: number };
  readonly score: number;
  readonly active: boolean;
}

/** Annualised Sharpe of returns (0 when undefined: fewer than 2 returns or no variance). */
export function annualSharpe(returns: readonly number[], periodsPerYear: number): number {
  if (returns.length < 2) return 0;
  const sd = sampleStdDev(returns);
  return sd > 0 ? (mean(returns) / sd) * Math.sqrt(periodsPerYear) : 0;
}

/** Largest peak-to-trough fall of the compounded returns, as a fraction. */
export function maxDrawdown(returns: readonly number[]): number {
  let e = 1;
  let peak = 1;
  let worst = 0;
  for (const r of returns) {
    e *= 1 + r;
    if (e > peak) peak = e;
    else if (peak > 0 && (peak - e) / peak > worst) worst = (peak - e) / peak;
  }
  return worst;
}

/** Pearson correlation; 0 when either series is constant. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) - ma;
    const y = (b[i] as number) - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Scores every candidate on its lookback returns (`returns[i]`, one per bar) and marks the active
 * set: the `maxActive` best scores above `minScore` (ties to the earlier candidate).
 * `inRegime[t]` says whether window bar t was in the regime of the selection bar.
 */
export function scoreCandidates(
  ids: readonly string[],
  returns: readonly (readonly number[])[],
  inRegime: readonly boolean[],
  settings: SelectorSettings,
  periodsPerYear: number,
): CandidateScore[] {
  const w = settings.weights;
  const rows = ids.map((id, i) => {
    const r = returns[i] as readonly number[];
    const inR = r.filter((_, t) => inRegime[t] === true);
    const regimeSharpe = inR.length >= settings.minRegimeBars ? annualSharpe(inR, periodsPerYear) : 0;
    const sharpe = annualSharpe(r, periodsPerYear);
    const dd = maxDrawdown(r);
    const others = returns.filter((_, j) => j !== i);
    const corr = others.length === 0 ? 0 : mean(others.map((o) => correlation(r, o)));
    const contributions = {
      sharpe: w.sharpe * sharpe,
      regime: w.regime * regimeSharpe,
      drawdown: -w.drawdown * (dd / settings.allocation.drawdownBudget),
      correlation: -w.correlation * corr,
    };
    const score = contributions.sharpe + contributions.regime + contributions.drawdown + contributions.correlation;
    return {
      id,
      sharpe,
      regimeSharpe,
      regimeBars: inR.length,
      maxDrawdownPct: dd * 100,
      correlation: corr,
      contributions,
      score,
    };
  });
  const ranked = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.score > settings.minScore)
    .sort((a, b) => b.r.score - a.r.score || a.i - b.i)
    .slice(0, settings.maxActive);
  const active = new Set(ranked.map(({ i }) => i));
  return rows.map((r, i) => ({ ...r, active: active.has(i) }));
}

export interface Allocation {
  /** The optimizer's method, or how the weights were set when it could not run. */
  readonly method: OptimizerMethod | 'capped' | 'none';
  /** Set when the configured method had no solution and min-variance stood in. */
  readonly fallback?: string;
  /** The optimizer's weights (each ≤ the cap), before the budgets. */
  readonly optimized: Readonly<Record<string, number>>;
  /** Final weights: optimized × scale. */
  readonly weights: Readonly<Record<string, number>>;
  /** Σ final weights (the rest is cash). */
  readonly exposure: number;
  /** Of the optimized allocation over the lookback: one-day VaR, max drawdown, Kelly leverage. */
  readonly valueAtRisk: number;
  readonly maxDrawdownPct: number;
  readonly kellyLeverage: number | null;
  /** Each budget's limit on the scale (1 = not binding); `scale` is the smallest. */
  readonly scales: { var: number; drawdown: number; kelly: number };
  readonly scale: number;
}

const NO_ALLOCATION: Allocation = {
  method: 'none',
  optimized: {},
  weights: {},
  exposure: 0,
  valueAtRisk: 0,
  maxDrawdownPct: 0,
  kellyLeverage: null,
  scales: { var: 1, drawdown: 1, kelly: 1 },
  scale: 0,
};

/** The optimizer's weights, capped; the cap alone when the active set is too small to reach 1. */
function optimizedWeights(
  returns: readonly (readonly number[])[],
  a: AllocationSettings,
): { method: Allocation['method']; weights: number[]; fallback?: string } {
  const n = returns.length;
  if (n * a.maxWeight <= 1 + 1e-12) return { method: 'capped', weights: returns.map(() => a.maxWeight) };
  const { expectedReturns, covariance } = estimateMoments(returns);
  try {
    return {
      method: a.method,
      weights: optimizePortfolio(a.method, expectedReturns, covariance, { maxWeight: a.maxWeight }).weights,
    };
  } catch (err) {
    if (!isAppError(err) || !err.code.startsWith('ERR_ANALYTICS')) throw err;
    const weights = optimizePortfolio('min-variance', expectedReturns, covariance, { maxWeight: a.maxWeight }).weights;
    return { method: 'min-variance', weights, fallback: `${a.method}: ${err.message}` };
  }
}

/** Weights for the active candidates' lookback returns, scaled down to the budgets. */
export function allocate(
  ids: readonly string[],
  returns: readonly (readonly number[])[],
  a: AllocationSettings,
): Allocation {
  if (ids.length === 0) return NO_ALLOCATION;
  if (returns.length !== ids.length) throw new AppError('ERR_RESEARCH_INPUT', 'one return series per candidate');
  const opt = optimizedWeights(returns, a);
  const T = (returns[0] as readonly number[]).length;
  const portfolio = Array.from({ length: T }, (_, t) =>
    opt.weights.reduce((s, w, i) => s + w * ((returns[i] as readonly number[])[t] as number), 0),
  );
  const valueAtRisk = T > 0 ? Math.max(0, historicalVar(portfolio, { confidence: a.varConfidence }).valueAtRisk) : 0;
  const dd = maxDrawdown(portfolio);
  const sd = T > 1 ? sampleStdDev(portfolio) : 0;
  const kellyLeverage = sd > 0 ? mean(portfolio) / (sd * sd) : null;
  const kellyShare = a.kelly === 'half' ? 0.5 : 1;
  const exposure0 = opt.weights.reduce((s, w) => s + w, 0);
  const scales = {
    var: valueAtRisk > a.varBudget ? a.varBudget / valueAtRisk : 1,
    drawdown: dd > a.drawdownBudget ? a.drawdownBudget / dd : 1,
    // Kelly's leverage bounds the total exposure; a negative edge allows none.
    kelly:
      a.kelly === 'off' || kellyLeverage === null
        ? 1
        : Math.min(1, Math.max(0, (kellyLeverage * kellyShare) / exposure0)),
  };
  const scale = Math.min(scales.var, scales.drawdown, scales.kelly);
  const optimized: Record<string, number> = {};
  const weights: Record<string, number> = {};
  ids.forEach((id, i) => {
    optimized[id] = opt.weights[i] as number;
    weights[id] = (opt.weights[i] as number) * scale;
  });
  return {
    method: opt.method,
    ...(opt.fallback === undefined ? {} : { fallback: opt.fallback }),
    optimized,
    weights,
    exposure: exposure0 * scale,
    valueAtRisk,
    maxDrawdownPct: dd * 100,
    kellyLeverage,
    scales,
    scale,
  };
}
