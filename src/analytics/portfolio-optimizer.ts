/**
 * Portfolio optimizer across strategies: long-only weights summing to 1, each ≤ a cap
 * (default 40 %, so no strategy dominates the book).
 *
 * Methods (μ = expected returns, Σ = covariance, σ = √diag Σ, all per period):
 * - 'min-variance'        minimise w'Σw.
 * - 'mean-variance'       maximise w'μ − (λ/2)·w'Σw (λ = riskAversion, default 1).
 * - 'max-sharpe'          maximise (w'μ − r_f)/√(w'Σw) (tangency portfolio).
 * - 'max-diversification' maximise (w'σ)/√(w'Σw) (Choueifaty's diversification ratio).
 * - 'risk-parity'         equal risk contributions w_i·(Σw)_i (ERC).
 *
 * Solver: the feasible set {0 ≤ w_i ≤ cap, Σw = 1} is a "capped simplex"; its Euclidean
 * projection is clamp(v − τ, 0, cap) with τ found by bisection.
 * - Min-variance and mean-variance are concave quadratic programs, solved by accelerated
 *   projected gradient (FISTA with adaptive restart, step 1/L, L = θ·λmax(Σ)).
 * - Max-Sharpe and max-diversification maximise a ratio a'w/√(w'Σw) (a = μ − r_f or σ). Its KKT
 *   conditions are those of the mean-variance problem max a'w − (θ/2)w'Σw with θ = a'w/(w'Σw),
 *   so we find the θ where the mean-variance optimum reproduces its own θ (Brent on log θ).
 *   A root-find keeps full precision where a direct search on the flat ratio would not.
 * Risk parity solves the convex problem min ½w'Σw − κ Σ ln w_i by cyclic coordinate descent
 * (closed-form per-coordinate root), which gives equal risk contributions, then normalises.
 * When an ERC weight exceeds the cap it is fixed at the cap and the remaining strategies share
 * the rest of the budget with equal risk contributions among themselves (κ found by bisection so
 * the free weights sum to the remaining budget); repeated until no weight exceeds the cap.
 */
import { AppError } from '../errors.ts';
import { brentRoot } from './implied-vol.ts';

export const OptimizerMethod = {
  MIN_VARIANCE: 'min-variance',
  MEAN_VARIANCE: 'mean-variance',
  MAX_SHARPE: 'max-sharpe',
  MAX_DIVERSIFICATION: 'max-diversification',
  RISK_PARITY: 'risk-parity',
} as const;
export type OptimizerMethod = (typeof OptimizerMethod)[keyof typeof OptimizerMethod];
export const OPTIMIZER_METHODS: readonly OptimizerMethod[] = Object.values(OptimizerMethod);

export interface OptimizerOptions {
  /** Per-strategy weight cap (default 0.4). */
  maxWeight?: number;
  /** Risk-free rate per period for max-sharpe (default 0). */
  riskFreeRate?: number;
  /** λ for mean-variance (default 1). */
  riskAversion?: number;
}

export interface OptimizedPortfolio {
  method: OptimizerMethod;
  weights: number[];
  expectedReturn: number;
  volatility: number;
  sharpe: number | null;
  /** Share of portfolio variance from each strategy: w_i(Σw)_i / w'Σw (sums to 1). */
  riskContributions: number[];
}

type Vec = number[];
type Mat = number[][];

const matVec = (m: Mat, v: Vec): Vec => m.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
const dot = (a: Vec, b: Vec): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** Sample means and covariance (n − 1) of per-strategy return series of equal length. */
export function estimateMoments(series: readonly (readonly number[])[]): { expectedReturns: Vec; covariance: Mat } {
  if (series.length === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'no strategies given');
  const T = series[0]!.length;
  series.forEach((s, i) => {
    if (s.length !== T)
      throw new AppError(
        'ERR_ANALYTICS_INPUT',
        `strategy ${i} has ${s.length} returns, expected ${T} (all series must align)`,
      );
    s.forEach((x, t) => {
      if (!Number.isFinite(x))
        throw new AppError('ERR_ANALYTICS_INPUT', `strategy ${i} return ${t} is not a finite number`);
    });
  });
  if (T < 2) throw new AppError('ERR_ANALYTICS_INPUT', 'need at least 2 returns per strategy');
  const mu = series.map((s) => s.reduce((a, x) => a + x, 0) / T);
  const cov = series.map((si, i) =>
    series.map((sj, j) => {
      let c = 0;
      for (let t = 0; t < T; t++) c += (si[t]! - mu[i]!) * (sj[t]! - mu[j]!);
      return c / (T - 1);
    }),
  );
  return { expectedReturns: mu, covariance: cov };
}

/** Euclidean projection of v onto {0 ≤ w ≤ cap, Σw = 1}. */
export function projectCappedSimplex(v: Vec, cap: number): Vec {
  const total = (tau: number): number => v.reduce((s, x) => s + Math.min(cap, Math.max(0, x - tau)), 0);
  let lo = Math.min(...v) - cap - 1;
  let hi = Math.max(...v);
  for (let i = 0; i < 200 && hi - lo > 0; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (total(mid) > 1) lo = mid;
    else hi = mid;
  }
  const w = v.map((x) => Math.min(cap, Math.max(0, x - 0.5 * (lo + hi))));
  // Spread the last rounding residue over the strictly interior weights.
  const interior = w.map((x, i) => (x > 0 && x < cap ? i : -1)).filter((i) => i >= 0);
  const residue = 1 - w.reduce((a, x) => a + x, 0);
  if (interior.length > 0) for (const i of interior) w[i]! += residue / interior.length;
  return w;
}

/** Largest eigenvalue of a symmetric PSD matrix (power iteration, slightly over-estimated). */
function largestEigenvalue(m: Mat): number {
  let v: Vec = m.map(() => 1);
  let lambda = 0;
  for (let i = 0; i < 200; i++) {
    const mv = matVec(m, v);
    const norm = Math.sqrt(dot(mv, mv));
    if (norm === 0) return 0;
    lambda = norm / Math.sqrt(dot(v, v));
    v = mv.map((x) => x / norm);
  }
  return lambda * 1.05;
}

/**
 * maximise a'w − (θ/2)·w'Σw on the capped simplex: accelerated projected gradient (FISTA with
 * adaptive restart), fixed step 1/L with L = θ·λmax(Σ). Stops on the step size, which — unlike
 * objective values — stays measurable down to rounding level near the optimum.
 */
function solveMeanVariance(a: Vec, cov: Mat, theta: number, cap: number): Vec {
  const n = a.length;
  const L = theta * largestEigenvalue(cov);
  if (!(L > 0))
    return projectCappedSimplex(
      a.map((x) => x * 1e12),
      cap,
    );
  const step = 1 / L;
  let w = projectCappedSimplex(
    Array.from({ length: n }, () => 1 / n),
    cap,
  );
  let y = w;
  let t = 1;
  for (let iter = 0; iter < 200000; iter++) {
    const sy = matVec(cov, y);
    const next = projectCappedSimplex(
      y.map((x, i) => x + step * (a[i]! - theta * sy[i]!)),
      cap,
    );
    const moved = Math.max(...next.map((x, i) => Math.abs(x - w[i]!)));
    if (moved < 1e-16) return next;
    // Restart momentum when it points against the last step (O'Donoghue & Candès).
    const restart =
      dot(
        y.map((x, i) => x - next[i]!),
        next.map((x, i) => x - w[i]!),
      ) > 0;
    const tNext = restart ? 1 : (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    y = restart ? next : next.map((x, i) => x + ((t - 1) / tNext) * (x - w[i]!));
    w = next;
    t = tNext;
  }
  return w;
}

/**
 * maximise a'w / √(w'Σw) on the capped simplex. At the optimum the KKT conditions are those of
 * the mean-variance problem with θ = a'w/(w'Σw), so we solve h(θ) = a'w(θ)/v(w(θ)) − θ = 0 for θ
 * (Brent on log θ) with w(θ) the mean-variance optimum: a root-find keeps full precision where
 * a direct search on the flat ratio would not.
 */
function maximiseRatio(a: Vec, cov: Mat, cap: number): Vec {
  const wOf = (theta: number): Vec => solveMeanVariance(a, cov, theta, cap);
  const h = (logTheta: number): number => {
    const theta = Math.exp(logTheta);
    const w = wOf(theta);
    return Math.log(dot(a, w) / dot(w, matVec(cov, w))) - logTheta;
  };
  const maxVar = Math.max(...cov.map((r, i) => r[i]!));
  let lo = Math.log(Math.max(...a) / maxVar);
  let hi = lo;
  for (let i = 0; i < 60 && !(h(lo) > 0); i++) lo -= 2;
  for (let i = 0; i < 60 && !(h(hi) < 0); i++) hi += 2;
  const root = brentRoot(h, lo, hi, 1e-13);
  return wOf(Math.exp(root));
}

/** ERC weights for the free set F with the capped set fixed, free weights summing to `budget`. */
function riskParityFree(cov: Mat, fixed: Map<number, number>, budget: number): Vec {
  const n = cov.length;
  const free = [...Array(n).keys()].filter((i) => !fixed.has(i));
  const w: Vec = Array.from({ length: n }, (_, i) => fixed.get(i) ?? budget / free.length);
  const solve = (kappa: number): number => {
    for (let sweep = 0; sweep < 10000; sweep++) {
      let change = 0;
      for (const i of free) {
        const sii = cov[i]![i]!;
        let c = 0;
        for (let j = 0; j < n; j++) if (j !== i) c += cov[i]![j]! * w[j]!;
        const wi = (-c + Math.sqrt(c * c + 4 * sii * kappa)) / (2 * sii);
        change = Math.max(change, Math.abs(wi - w[i]!));
        w[i] = wi;
      }
      if (change < 1e-16) break;
    }
    return free.reduce((s, i) => s + w[i]!, 0);
  };
  if (fixed.size === 0) {
    const s = solve(1);
    return w.map((x) => x / s);
  }
  let lo = 1e-30;
  let hi = 1;
  while (solve(hi) < budget) hi *= 4;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (solve(mid) < budget) lo = mid;
    else hi = mid;
    if (hi / lo - 1 < 1e-15) break;
  }
  solve(hi);
  const s = free.reduce((a, i) => a + w[i]!, 0);
  for (const i of free) w[i] = (w[i]! * budget) / s;
  return w;
}

function riskParity(cov: Mat, cap: number): Vec {
  const fixed = new Map<number, number>();
  for (;;) {
    const w = riskParityFree(cov, fixed, 1 - cap * fixed.size);
    let worst = -1;
    for (let i = 0; i < w.length; i++)
      if (!fixed.has(i) && w[i]! > cap + 1e-12 && (worst < 0 || w[i]! > w[worst]!)) worst = i;
    if (worst < 0) return w;
    fixed.set(worst, cap);
  }
}

function validateMoments(mu: Vec, cov: Mat): void {
  const n = mu.length;
  if (n === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'no strategies given');
  if (cov.length !== n || cov.some((r) => r.length !== n))
    throw new AppError('ERR_ANALYTICS_INPUT', `covariance must be ${n}×${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(mu[i]!))
      throw new AppError('ERR_ANALYTICS_INPUT', `expectedReturns[${i}] is not a finite number`);
    if (!(cov[i]![i]! > 0)) throw new AppError('ERR_ANALYTICS_INPUT', `covariance[${i}][${i}] (variance) must be > 0`);
    for (let j = 0; j < n; j++) {
      if (
        !Number.isFinite(cov[i]![j]!) ||
        Math.abs(cov[i]![j]! - cov[j]![i]!) > 1e-12 * Math.max(1, Math.abs(cov[i]![j]!))
      ) {
        throw new AppError('ERR_ANALYTICS_INPUT', `covariance must be symmetric and finite (entry [${i}][${j}])`);
      }
    }
  }
}

export function optimizePortfolio(
  method: OptimizerMethod,
  expectedReturns: Vec,
  covariance: Mat,
  opts: OptimizerOptions = {},
): OptimizedPortfolio {
  validateMoments(expectedReturns, covariance);
  const n = expectedReturns.length;
  const cap = opts.maxWeight ?? 0.4;
  if (!(cap > 0 && cap <= 1)) throw new AppError('ERR_ANALYTICS_INPUT', `maxWeight must be in (0, 1], got ${cap}`);
  if (cap * n < 1 - 1e-12) {
    throw new AppError(
      'ERR_ANALYTICS_NO_SOLUTION',
      `${n} strategies with a weight cap of ${cap} cannot sum to 1 (need cap ≥ ${1 / n})`,
    );
  }
  const rf = opts.riskFreeRate ?? 0;
  const lambda = opts.riskAversion ?? 1;
  const mu = expectedReturns;
  const cov = covariance;
  const sd = cov.map((r, i) => Math.sqrt(r[i]!));

  let weights: Vec;
  switch (method) {
    case 'min-variance':
      weights = solveMeanVariance(
        Array.from({ length: n }, () => 0),
        cov,
        2,
        cap,
      );
      break;
    case 'mean-variance':
      weights = solveMeanVariance(mu, cov, lambda, cap);
      break;
    case 'max-sharpe':
    case 'max-diversification': {
      const a = method === 'max-sharpe' ? mu.map((m) => m - rf) : sd;
      if (!a.some((x) => x > 0)) {
        throw new AppError(
          'ERR_ANALYTICS_NO_SOLUTION',
          'max-sharpe needs at least one strategy with expected return above the risk-free rate',
        );
      }
      weights = maximiseRatio(a, cov, cap);
      break;
    }
    case 'risk-parity':
      weights = riskParity(cov, cap);
      break;
    default:
      throw new AppError(
        'ERR_ANALYTICS_INPUT',
        `unknown optimizer method "${String(method)}" (use ${OPTIMIZER_METHODS.join(', ')})`,
      );
  }
  const sw = matVec(cov, weights);
  const v = dot(weights, sw);
  const vol = Math.sqrt(v);
  const ret = dot(weights, mu);
  return {
    method,
    weights,
    expectedReturn: ret,
    volatility: vol,
    sharpe: vol > 0 ? (ret - rf) / vol : null,
    riskContributions: weights.map((w, i) => (w * sw[i]!) / v),
  };
}
