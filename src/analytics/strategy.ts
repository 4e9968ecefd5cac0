/**
 * Multi-leg strategies (verticals, straddles, strangles, iron condors, futures + options):
 * mark-to-market with P&L per leg and in total, and the payoff at expiry over a price range.
 *
 * Quantities are signed (+ long, − short) in contracts; P&L = quantity × multiplier ×
 * (mark − entry). An option leg is marked at its quoted `markPrice` when given, otherwise at the
 * model value (valueOption) from the market's underlying price and the leg's volatility/expiry.
 * The payoff at expiry values every option leg at intrinsic value, i.e. it assumes all legs
 * expire together (true for the strategies above; a calendar spread needs a model instead).
 */
import { AppError } from '../errors.ts';
import { valueOption, type OptionModel, type OptionType } from './option-pricing.ts';

export interface OptionLegTerms {
  type: OptionType;
  strike: number;
  /** Years to expiry (ACT/365). */
  timeToExpiry: number;
  volatility: number;
  model?: OptionModel;
}

export interface StrategyLeg {
  id: string;
  kind: 'option' | 'future';
  quantity: number;
  multiplier: number;
  entryPrice: number;
  option?: OptionLegTerms;
  /** Quoted mark; overrides the model value of an option leg. */
  markPrice?: number;
}

export interface StrategyMarket {
  /** Spot (bsm) or futures price (black76 and future legs). */
  underlyingPrice: number;
  rate: number;
  dividendYield?: number;
}

export interface LegMark {
  id: string;
  markPrice: number;
  pnl: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
}

export interface StrategyMark {
  legs: LegMark[];
  totalPnl: number;
  /** Premium paid (> 0) or received (< 0) to open: Σ quantity × multiplier × entry of option legs. */
  netPremium: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
}

function checkLeg(leg: StrategyLeg): OptionLegTerms | undefined {
  if (!Number.isFinite(leg.quantity) || !(leg.multiplier > 0) || !Number.isFinite(leg.entryPrice)) {
    throw new AppError(
      'ERR_ANALYTICS_INPUT',
      `leg ${leg.id}: quantity, multiplier (> 0) and entryPrice must be numbers`,
    );
  }
  if (leg.kind === 'option' && !leg.option)
    throw new AppError('ERR_ANALYTICS_INPUT', `leg ${leg.id}: option terms are missing`);
  return leg.kind === 'option' ? leg.option : undefined;
}

export function markStrategy(legs: readonly StrategyLeg[], market: StrategyMarket): StrategyMark {
  const marks = legs.map((leg): LegMark => {
    const terms = checkLeg(leg);
    const k = leg.quantity * leg.multiplier;
    if (!terms) {
      const mark = leg.markPrice ?? market.underlyingPrice;
      return { id: leg.id, markPrice: mark, pnl: k * (mark - leg.entryPrice), delta: k, gamma: 0, vega: 0, theta: 0 };
    }
    const v = valueOption({
      model: terms.model ?? 'black76',
      type: terms.type,
      underlying: market.underlyingPrice,
      strike: terms.strike,
      timeToExpiry: terms.timeToExpiry,
      rate: market.rate,
      dividendYield: market.dividendYield ?? 0,
      volatility: terms.volatility,
    });
    const mark = leg.markPrice ?? v.price;
    return {
      id: leg.id,
      markPrice: mark,
      pnl: k * (mark - leg.entryPrice),
      delta: k * v.delta,
      gamma: k * v.gamma,
      vega: k * v.vega,
      theta: k * v.theta,
    };
  });
  const sum = (f: (m: LegMark) => number): number => marks.reduce((s, m) => s + f(m), 0);
  return {
    legs: marks,
    totalPnl: sum((m) => m.pnl),
    netPremium: legs
      .filter((l) => l.kind === 'option')
      .reduce((s, l) => s + l.quantity * l.multiplier * l.entryPrice, 0),
    delta: sum((m) => m.delta),
    gamma: sum((m) => m.gamma),
    vega: sum((m) => m.vega),
    theta: sum((m) => m.theta),
  };
}

/** P&L of the whole strategy if the underlying settles at `price` at expiry. */
export function payoffAt(legs: readonly StrategyLeg[], price: number): number {
  let total = 0;
  for (const leg of legs) {
    const terms = checkLeg(leg);
    const value = !terms
      ? price
      : terms.type === 'call'
        ? Math.max(0, price - terms.strike)
        : Math.max(0, terms.strike - price);
    total += leg.quantity * leg.multiplier * (value - leg.entryPrice);
  }
  return total;
}

export interface PayoffPoint {
  price: number;
  pnl: number;
}

export interface PayoffCurve {
  points: PayoffPoint[];
  /** Prices where the P&L crosses zero (linear interpolation between points). */
  breakevens: number[];
  maxProfit: number;
  maxLoss: number;
}

/** Payoff at expiry on `steps + 1` evenly spaced prices from `from` to `to` (points for a chart). */
export function payoffCurve(
  legs: readonly StrategyLeg[],
  range: { from: number; to: number; steps?: number },
): PayoffCurve {
  const steps = range.steps ?? 100;
  if (!(range.to > range.from) || !(range.from >= 0) || !Number.isInteger(steps) || steps < 1) {
    throw new AppError('ERR_ANALYTICS_INPUT', 'payoff range needs 0 <= from < to and an integer steps >= 1');
  }
  const points: PayoffPoint[] = [];
  for (let i = 0; i <= steps; i++) {
    const price = range.from + ((range.to - range.from) * i) / steps;
    points.push({ price, pnl: payoffAt(legs, price) });
  }
  const breakevens: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.pnl === 0 && (i === 1 || breakevens[breakevens.length - 1] !== a.price)) breakevens.push(a.price);
    else if (a.pnl * b.pnl < 0) breakevens.push(a.price + ((b.price - a.price) * -a.pnl) / (b.pnl - a.pnl));
  }
  if (points[points.length - 1]!.pnl === 0) breakevens.push(points[points.length - 1]!.price);
  const pnls = points.map((p) => p.pnl);
  return { points, breakevens, maxProfit: Math.max(...pnls), maxLoss: Math.min(...pnls) };
}

// ---- builders for common strategies --------------------------------------------------------

interface LegCommon {
  timeToExpiry: number;
  volatility: number;
  multiplier: number;
  model?: OptionModel;
  quantity?: number;
}

const optionLeg = (
  id: string,
  type: OptionType,
  strike: number,
  qty: number,
  entry: number,
  c: LegCommon,
): StrategyLeg => ({
  id,
  kind: 'option',
  quantity: qty,
  multiplier: c.multiplier,
  entryPrice: entry,
  option: {
    type,
    strike,
    timeToExpiry: c.timeToExpiry,
    volatility: c.volatility,
    ...(c.model ? { model: c.model } : {}),
  },
});

/** Long vertical: buy `longStrike`, sell `shortStrike` (call or put spread), entry premiums given. */
export function verticalSpread(
  type: OptionType,
  longStrike: number,
  shortStrike: number,
  premiums: [number, number],
  c: LegCommon,
): StrategyLeg[] {
  const q = c.quantity ?? 1;
  return [
    optionLeg(`long ${type} ${longStrike}`, type, longStrike, q, premiums[0], c),
    optionLeg(`short ${type} ${shortStrike}`, type, shortStrike, -q, premiums[1], c),
  ];
}

/** Long straddle (quantity < 0 for a short straddle). */
export function straddle(strike: number, premiums: { call: number; put: number }, c: LegCommon): StrategyLeg[] {
  const q = c.quantity ?? 1;
  return [
    optionLeg(`call ${strike}`, 'call', strike, q, premiums.call, c),
    optionLeg(`put ${strike}`, 'put', strike, q, premiums.put, c),
  ];
}

/** Short iron condor: long put K1 < short put K2 < short call K3 < long call K4. */
export function ironCondor(
  strikes: [number, number, number, number],
  premiums: [number, number, number, number],
  c: LegCommon,
): StrategyLeg[] {
  const [k1, k2, k3, k4] = strikes;
  if (!(k1 < k2 && k2 < k3 && k3 < k4))
    throw new AppError('ERR_ANALYTICS_INPUT', 'iron condor strikes must be increasing: K1 < K2 < K3 < K4');
  const q = c.quantity ?? 1;
  return [
    optionLeg(`long put ${k1}`, 'put', k1, q, premiums[0], c),
    optionLeg(`short put ${k2}`, 'put', k2, -q, premiums[1], c),
    optionLeg(`short call ${k3}`, 'call', k3, -q, premiums[2], c),
    optionLeg(`long call ${k4}`, 'call', k4, q, premiums[3], c),
  ];
}
