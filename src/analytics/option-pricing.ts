/**
 * European option prices and Greeks: Black-Scholes-Merton (spot with continuous dividend yield q)
 * and Black-76 (option on a futures price, premium discounted with exp(-rT)).
 *
 * Conventions follow shared/data/options/README.md exactly (the QuantLib 1.29 oracle):
 * - T in years ACT/365 Fixed, r and q continuously compounded decimals, sigma annualised.
 * - vega and rho are raw derivatives per 1.00 change (per vol point = vega/100).
 * - theta is dV/dt per YEAR of calendar time (per day = theta/365), underlying held fixed.
 * - Black-76 rho holds F fixed, so rho = -T·price.
 * Prices are per 1 unit of underlying (multiplier 1); callers scale by the contract multiplier.
 */
import { AppError } from '../errors.ts';
import { normCdf, normPdf } from './normal.ts';

export const OptionModel = { BSM: 'bsm', BLACK76: 'black76' } as const;
export type OptionModel = (typeof OptionModel)[keyof typeof OptionModel];

export const OptionType = { CALL: 'call', PUT: 'put' } as const;
export type OptionType = (typeof OptionType)[keyof typeof OptionType];

export interface OptionSpec {
  model: OptionModel;
  type: OptionType;
  /** Spot S (bsm) or futures price F (black76). */
  underlying: number;
  strike: number;
  /** Years, ACT/365 Fixed. */
  timeToExpiry: number;
  /** Continuously compounded risk-free rate. */
  rate: number;
  /** Continuous dividend yield (bsm only; ignored for black76). */
  dividendYield: number;
  /** Lognormal volatility, annualised. */
  volatility: number;
}

export interface OptionValuation {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
}

function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new AppError('ERR_ANALYTICS_INPUT', `${name} must be a finite number`);
}

/** Rejects inputs for which the model is undefined; messages name the offending field. */
export function validateOptionSpec(spec: OptionSpec, opts: { requireVolatility?: boolean } = {}): void {
  if (spec.model !== 'bsm' && spec.model !== 'black76') {
    throw new AppError('ERR_ANALYTICS_INPUT', `model must be "bsm" or "black76", got "${String(spec.model)}"`);
  }
  if (spec.type !== 'call' && spec.type !== 'put') {
    throw new AppError('ERR_ANALYTICS_INPUT', `type must be "call" or "put", got "${String(spec.type)}"`);
  }
  requireFinite('S_or_F', spec.underlying);
  requireFinite('K', spec.strike);
  requireFinite('T', spec.timeToExpiry);
  requireFinite('r', spec.rate);
  requireFinite('q', spec.dividendYield);
  if (spec.underlying <= 0) throw new AppError('ERR_ANALYTICS_INPUT', 'S_or_F must be > 0');
  if (spec.strike <= 0) throw new AppError('ERR_ANALYTICS_INPUT', 'K must be > 0');
  if (spec.timeToExpiry < 0) throw new AppError('ERR_ANALYTICS_INPUT', 'T must be >= 0');
  if (opts.requireVolatility !== false) {
    requireFinite('sigma', spec.volatility);
    if (spec.volatility < 0) throw new AppError('ERR_ANALYTICS_INPUT', 'sigma must be >= 0');
  }
}

/** Discount factors and forward of a spec, shared by pricing and the IV bounds. */
export function forwardTerms(spec: OptionSpec): { forward: number; discount: number; carryDiscount: number } {
  const T = spec.timeToExpiry;
  const discount = Math.exp(-spec.rate * T);
  if (spec.model === 'black76') return { forward: spec.underlying, discount, carryDiscount: discount };
  const carryDiscount = Math.exp(-spec.dividendYield * T);
  return { forward: (spec.underlying * carryDiscount) / discount, discount, carryDiscount };
}

/**
 * Value at expiry or with zero volatility: the discounted intrinsic value of the forward,
 * with the corresponding limiting greeks (gamma and vega are 0 away from the strike).
 */
function degenerateValuation(spec: OptionSpec): OptionValuation {
  const { forward, discount, carryDiscount } = forwardTerms(spec);
  const K = spec.strike;
  const T = spec.timeToExpiry;
  const sign = spec.type === 'call' ? 1 : -1;
  const itm = sign * (forward - K) > 0;
  const price = itm ? sign * discount * (forward - K) : 0;
  const delta = itm ? sign * carryDiscount : 0;
  let theta: number;
  let rho: number;
  if (spec.model === 'black76') {
    theta = spec.rate * price;
    rho = -T * price;
  } else {
    // d/dt of sign·(S e^{-qT} - K e^{-rT}) with T shrinking.
    theta = itm ? sign * (spec.dividendYield * spec.underlying * carryDiscount - spec.rate * K * discount) : 0;
    rho = itm ? sign * K * T * discount : 0;
  }
  return { price, delta, gamma: 0, vega: 0, theta, rho };
}

/** Price and Greeks of one European option (formulas in shared/data/options/README.md). */
export function valueOption(spec: OptionSpec): OptionValuation {
  validateOptionSpec(spec);
  const T = spec.timeToExpiry;
  const sigma = spec.volatility;
  if (T === 0 || sigma === 0) return degenerateValuation(spec);

  const K = spec.strike;
  const X = spec.underlying;
  const r = spec.rate;
  const sqrtT = Math.sqrt(T);
  const volSqrtT = sigma * sqrtT;
  const D = Math.exp(-r * T);
  const isCall = spec.type === 'call';

  if (spec.model === 'black76') {
    const d1 = (Math.log(X / K) + 0.5 * sigma * sigma * T) / volSqrtT;
    const d2 = d1 - volSqrtT;
    const pdf = normPdf(d1);
    const price = isCall ? D * (X * normCdf(d1) - K * normCdf(d2)) : D * (K * normCdf(-d2) - X * normCdf(-d1));
    const delta = isCall ? D * normCdf(d1) : -D * normCdf(-d1);
    const gamma = (D * pdf) / (X * volSqrtT);
    const vega = D * X * pdf * sqrtT;
    const theta = r * price - (D * X * pdf * sigma) / (2 * sqrtT);
    const rho = -T * price;
    return { price, delta, gamma, vega, theta, rho };
  }

  const q = spec.dividendYield;
  const Dq = Math.exp(-q * T);
  const d1 = (Math.log(X / K) + (r - q + 0.5 * sigma * sigma) * T) / volSqrtT;
  const d2 = d1 - volSqrtT;
  const pdf = normPdf(d1);
  const decay = -(X * Dq * pdf * sigma) / (2 * sqrtT);
  const gamma = (Dq * pdf) / (X * volSqrtT);
  const vega = X * Dq * pdf * sqrtT;
  if (isCall) {
    const Nd1 = normCdf(d1);
    const Nd2 = normCdf(d2);
    return {
      price: X * Dq * Nd1 - K * D * Nd2,
      delta: Dq * Nd1,
      gamma,
      vega,
      theta: decay + q * X * Dq * Nd1 - r * K * D * Nd2,
      rho: K * T * D * Nd2,
    };
  }
  const Nmd1 = normCdf(-d1);
  const Nmd2 = normCdf(-d2);
  return {
    price: K * D * Nmd2 - X * Dq * Nmd1,
    delta: -Dq * Nmd1,
    gamma,
    vega,
    theta: decay - q * X * Dq * Nmd1 + r * K * D * Nmd2,
    rho: -K * T * D * Nmd2,
  };
}

/** Price only (same validation and formulas as valueOption). */
export function optionPrice(spec: OptionSpec): number {
  return valueOption(spec).price;
}
