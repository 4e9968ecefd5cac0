/**
 * Position Greeks: each position's per-unit Greeks × quantity (signed, + long / − short) ×
 * contract multiplier, aggregated per account, per underlying and per (account, underlying).
 * Options use valueOption (raw per-1.00 vega/rho, theta per year, as in option-pricing.ts);
 * futures and stock contribute delta 1 per unit of underlying and no other Greeks.
 * Delta is in units of the underlying (× price = dollar delta).
 */
import { AppError } from '../errors.ts';
import { valueOption, type OptionSpec } from './option-pricing.ts';

export interface GreekTotals {
  value: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
}

export interface GreeksPosition {
  account: string;
  underlying: string;
  quantity: number;
  multiplier: number;
  /** Options carry their pricing inputs; linear positions give their price for `value`. */
  instrument: { kind: 'option'; option: OptionSpec } | { kind: 'future' | 'stock'; price: number };
}

export interface AggregatedGreeks {
  total: GreekTotals;
  byAccount: Record<string, GreekTotals>;
  byUnderlying: Record<string, GreekTotals>;
  /** Keyed `${account}/${underlying}`. */
  byAccountUnderlying: Record<string, GreekTotals>;
}

const zero = (): GreekTotals => ({ value: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0 });

function addInto(target: GreekTotals, g: GreekTotals): void {
  target.value += g.value;
  target.delta += g.delta;
  target.gamma += g.gamma;
  target.vega += g.vega;
  target.theta += g.theta;
  target.rho += g.rho;
}

/** Greeks of one position (already scaled by quantity and multiplier). */
export function positionGreeks(p: GreeksPosition, index = 0): GreekTotals {
  if (!Number.isFinite(p.quantity))
    throw new AppError('ERR_ANALYTICS_INPUT', `positions[${index}].quantity must be a finite number`);
  if (!(p.multiplier > 0)) throw new AppError('ERR_ANALYTICS_INPUT', `positions[${index}].multiplier must be > 0`);
  const k = p.quantity * p.multiplier;
  if (p.instrument.kind === 'option') {
    const v = valueOption(p.instrument.option);
    return {
      value: k * v.price,
      delta: k * v.delta,
      gamma: k * v.gamma,
      vega: k * v.vega,
      theta: k * v.theta,
      rho: k * v.rho,
    };
  }
  // A futures position has no premium value: its "value" is the notional exposure.
  return { value: k * p.instrument.price, delta: k, gamma: 0, vega: 0, theta: 0, rho: 0 };
}

export function aggregateGreeks(positions: readonly GreeksPosition[]): AggregatedGreeks {
  const out: AggregatedGreeks = { total: zero(), byAccount: {}, byUnderlying: {}, byAccountUnderlying: {} };
  positions.forEach((p, i) => {
    const g = positionGreeks(p, i);
    addInto(out.total, g);
    addInto((out.byAccount[p.account] ??= zero()), g);
    addInto((out.byUnderlying[p.underlying] ??= zero()), g);
    addInto((out.byAccountUnderlying[`${p.account}/${p.underlying}`] ??= zero()), g);
  });
  return out;
}
