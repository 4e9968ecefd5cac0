/**
 * Implied volatility: the sigma at which the model price equals a given premium.
 *
 * Method: Brent's method (inverse quadratic interpolation with bisection fallback) on
 * f(σ) = price(σ) − target over a bracket. The price is strictly increasing in σ, so a sign
 * change brackets the unique root and Brent always converges, including deep ITM/OTM and
 * near expiry where Newton steps (price/vega) blow up. The bracket starts wide (1e-4 … 4, per
 * shared/data/options/README: do not clamp to the sigma range of the fixtures) and widens to
 * 1e-8 … 20 if needed. A premium outside the no-arbitrage bounds
 *   call: max(0, D·(F−K)) < p < D·F,   put: max(0, D·(K−F)) < p < D·K
 * (F the forward, D = e^{−rT}) has no solution → AppError ERR_ANALYTICS_NO_SOLUTION.
 */
import { AppError } from '../errors.ts';
import { forwardTerms, optionPrice, validateOptionSpec, type OptionSpec } from './option-pricing.ts';

export interface ImpliedVolOptions {
  /** Absolute tolerance on sigma (default 1e-12). */
  volTolerance?: number;
  maxIterations?: number;
}

export interface NoArbitrageBounds {
  lower: number;
  upper: number;
}

/** Premium bounds outside of which no volatility reproduces the price. */
export function noArbitrageBounds(spec: OptionSpec): NoArbitrageBounds {
  const { forward, discount } = forwardTerms(spec);
  const K = spec.strike;
  if (spec.type === 'call') return { lower: discount * Math.max(0, forward - K), upper: discount * forward };
  return { lower: discount * Math.max(0, K - forward), upper: discount * K };
}

/**
 * Brent root finder on [a, b] where f(a) and f(b) have opposite signs. Returns the root
 * to within `tol` on x.
 */
export function brentRoot(f: (x: number) => number, a: number, b: number, tol: number, maxIterations = 200): number {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0) throw new AppError('ERR_ANALYTICS_NO_SOLUTION', 'root is not bracketed');
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIterations; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // Try inverse quadratic interpolation (secant when only two points are distinct).
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}

const BRACKETS: ReadonlyArray<readonly [number, number]> = [
  [1e-4, 4],
  [1e-8, 20],
];

/** Solves for the volatility reproducing `price`; `spec.volatility` is ignored. */
export function impliedVolatility(spec: OptionSpec, price: number, options: ImpliedVolOptions = {}): number {
  validateOptionSpec(spec, { requireVolatility: false });
  if (!Number.isFinite(price)) throw new AppError('ERR_ANALYTICS_INPUT', 'price must be a finite number');
  if (spec.timeToExpiry <= 0) {
    throw new AppError('ERR_ANALYTICS_NO_SOLUTION', 'implied volatility is undefined at expiry (T = 0)');
  }
  const bounds = noArbitrageBounds(spec);
  if (!(price > bounds.lower && price < bounds.upper)) {
    throw new AppError(
      'ERR_ANALYTICS_NO_SOLUTION',
      `price ${price} is outside the no-arbitrage bounds (${bounds.lower}, ${bounds.upper}) for this ${spec.type}`,
      { price, lower: bounds.lower, upper: bounds.upper },
    );
  }
  const tol = options.volTolerance ?? 1e-12;
  const f = (sigma: number): number => optionPrice({ ...spec, volatility: sigma }) - price;
  for (const [lo, hi] of BRACKETS) {
    const flo = f(lo);
    const fhi = f(hi);
    if (flo === 0) return lo;
    if (fhi === 0) return hi;
    if (flo < 0 && fhi > 0) return brentRoot(f, lo, hi, tol, options.maxIterations ?? 200);
  }
  throw new AppError(
    'ERR_ANALYTICS_NO_SOLUTION',
    `no volatility in [1e-8, 20] reproduces price ${price} (time value too small or too large to invert)`,
    { price },
  );
}
