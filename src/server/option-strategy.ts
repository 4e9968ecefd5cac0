/**
 * Saved multi-leg strategies of the API (`/api/v1/strategies`, issue 14): option and futures legs
 * as decimal strings, checked here with the field named, and valued live from the marks the node
 * knows — futures at their mark, options by the model of src/analytics (Black-76 by default, on
 * the mark of the leg's underlying symbol) — with the payoff at expiry over a price range.
 * Model values are floating point (as every analytics route); money leaves as decimal strings.
 */
import { AppError } from '../errors.ts';
import { markStrategy, payoffCurve, type StrategyLeg } from '../analytics/strategy.ts';

export interface LegInput {
  kind: 'option' | 'future';
  /** The future of a future leg; the underlying (its mark prices the option) of an option leg. */
  symbol: string;
  right?: 'call' | 'put';
  strike?: string;
  /** `YYYY-MM-DD` (the option expires at the end of that UTC day) or an ISO time. */
  expiry?: string;
  side: 'buy' | 'sell';
  qty: number | string;
  /** Premium paid or received per unit (option), entry price (future). */
  price: string;
  /** Money per point; default the instrument's point value (tick value / tick size), else 1. */
  multiplier?: string;
  /** Annualised volatility of the model, e.g. "0.2"; without it an unexpired option has no model value. */
  volatility?: string;
  model?: 'black76' | 'bsm';
}

export interface StrategyInput {
  name: string;
  legs: LegInput[];
  /** Continuously compounded risk-free rate of the model, e.g. "0.05" (default 0). */
  rate?: string;
  notes?: string;
}

export const MAX_LEGS = 20;
const YEAR_MS = 365 * 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** When an option expires: the end of its UTC date, or the ISO time given; NaN when not a time. */
export function expiryMs(expiry: string): number {
  if (!DATE.test(expiry)) return Date.parse(expiry);
  const ms = Date.parse(`${expiry}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== expiry ? NaN : ms + 86_400_000;
}

const bad = (field: string, why: string) => new AppError('ERR_INPUT_INVALID', `body.${field}: ${why}`);

/** Checks what a schema cannot: the terms each kind of leg needs or must not have, dates, numbers. */
export function checkStrategy(s: StrategyInput): void {
  s.legs.forEach((leg, i) => {
    const at = `legs.${i}`;
    if (leg.kind === 'future') {
      for (const k of ['right', 'strike', 'expiry', 'volatility', 'model'] as const)
        if (leg[k] !== undefined) throw bad(`${at}.${k}`, 'not a term of a future leg');
      if (!(Number(leg.price) > 0)) throw bad(`${at}.price`, 'a future leg needs its entry price > 0');
    } else {
      for (const k of ['right', 'strike', 'expiry'] as const)
        if (leg[k] === undefined) throw bad(`${at}.${k}`, 'required for an option leg');
      if (!(Number(leg.strike) > 0)) throw bad(`${at}.strike`, 'must be > 0');
      if (Number.isNaN(expiryMs(leg.expiry!))) throw bad(`${at}.expiry`, 'not a date (YYYY-MM-DD) or ISO time');
    }
    if (!(Number(leg.qty) > 0)) throw bad(`${at}.qty`, 'must be > 0');
    if (leg.multiplier !== undefined && !(Number(leg.multiplier) > 0)) throw bad(`${at}.multiplier`, 'must be > 0');
  });
}

export interface Market {
  /** The node's mark of a symbol as a decimal string, undefined when it has none. */
  mark(symbol: string): string | undefined;
  /** Money per point of a symbol's instrument, undefined when unknown. */
  pointValue(symbol: string): number | undefined;
  readonly now: number;
}

export interface PayoffRange {
  from?: number;
  to?: number;
  steps?: number;
}

/** A decimal string of a model number (2 places for money, more for prices). */
function dec(x: number, places = 2): string {
  const s = x.toFixed(places);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

function analyticsLeg(leg: LegInput, i: number, m: Market, underlying: number | undefined): StrategyLeg {
  const quantity = (leg.side === 'buy' ? 1 : -1) * Number(leg.qty);
  const multiplier = leg.multiplier !== undefined ? Number(leg.multiplier) : (m.pointValue(leg.symbol) ?? 1);
  const base = { id: String(i), quantity, multiplier, entryPrice: Number(leg.price) };
  if (leg.kind === 'future')
    return { ...base, kind: 'future', ...(underlying !== undefined ? { markPrice: underlying } : {}) };
  const timeToExpiry = Math.max(0, (expiryMs(leg.expiry!) - m.now) / YEAR_MS);
  return {
    ...base,
    kind: 'option',
    option: {
      type: leg.right!,
      strike: Number(leg.strike),
      timeToExpiry,
      // Expired: intrinsic value, whatever the volatility.
      volatility: timeToExpiry === 0 ? 0 : Number(leg.volatility ?? NaN),
      model: leg.model ?? 'black76',
    },
  };
}

interface LegValue {
  leg: number;
  symbol: string;
  underlying: string | null;
  markPrice: string | null;
  pnl: string | null;
  /** quote (a future at its mark), model, intrinsic (expired), or none (no mark or no volatility). */
  source: 'quote' | 'model' | 'intrinsic' | 'none';
  greeks: { delta: number; gamma: number; vega: number; theta: number } | null;
}

function valueLeg(leg: LegInput, i: number, m: Market, rate: number, price: string | undefined): LegValue {
  const head = { leg: i, symbol: leg.symbol, underlying: price ?? null };
  const none: LegValue = { ...head, markPrice: null, pnl: null, source: 'none', greeks: null };
  if (price === undefined) return none;
  const a = analyticsLeg(leg, i, m, Number(price));
  if (a.kind === 'option' && Number.isNaN(a.option!.volatility)) return none;
  const v = markStrategy([a], { underlyingPrice: Number(price), rate }).legs[0]!;
  const source = a.kind === 'future' ? 'quote' : a.option!.timeToExpiry === 0 ? 'intrinsic' : 'model';
  return {
    ...head,
    markPrice: dec(v.markPrice, 4),
    pnl: dec(v.pnl),
    source,
    greeks: { delta: v.delta, gamma: v.gamma, vega: v.vega, theta: v.theta },
  };
}

/** The default chart range: the mark (or the strikes and entries) ±20 %, covering every strike. */
function defaultRange(s: StrategyInput, mark: number | undefined): { from: number; to: number } {
  const strikes = s.legs.filter((l) => l.kind === 'option').map((l) => Number(l.strike));
  const anchors = [
    ...strikes,
    ...(mark !== undefined ? [mark] : s.legs.filter((l) => l.kind === 'future').map((l) => Number(l.price))),
  ];
  const lo = Math.min(...anchors);
  const hi = Math.max(...anchors);
  return { from: Math.max(0, lo * 0.8), to: hi * 1.2 };
}

/** Payoff at expiry when every leg is on one underlying; null (with why) otherwise. */
function payoff(s: StrategyInput, m: Market, mark: string | undefined, range: PayoffRange) {
  const symbols = new Set(s.legs.map((l) => l.symbol));
  if (symbols.size !== 1) return { payoff: null, payoffNote: 'legs on several underlyings: no single payoff curve' };
  const d = defaultRange(s, mark === undefined ? undefined : Number(mark));
  const from = range.from ?? d.from;
  const to = range.to ?? d.to;
  if (!(to > from)) throw new AppError('ERR_INPUT_INVALID', `querystring.to: must be above from (${dec(from, 4)})`);
  const legs = s.legs.map((l, i) => analyticsLeg(l, i, m, undefined));
  const curve = payoffCurve(legs, { from, to, steps: range.steps ?? 100 });
  return {
    payoff: {
      symbol: [...symbols][0],
      points: curve.points.map((p) => ({ price: dec(p.price, 4), pnl: dec(p.pnl) })),
      breakevens: curve.breakevens.map((b) => dec(b, 4)),
      maxProfit: dec(curve.maxProfit),
      maxLoss: dec(curve.maxLoss),
    },
  };
}

/** Live mark-to-market of every leg and in total (null when a leg has no value), and the payoff. */
export function valueStrategy(s: StrategyInput, m: Market, range: PayoffRange = {}): Record<string, unknown> {
  const rate = Number(s.rate ?? '0');
  const marks = new Map([...new Set(s.legs.map((l) => l.symbol))].map((sym) => [sym, m.mark(sym)]));
  const legs = s.legs.map((l, i) => valueLeg(l, i, m, rate, marks.get(l.symbol)));
  const complete = legs.every((l) => l.pnl !== null);
  const sum = (f: (g: NonNullable<LegValue['greeks']>) => number) =>
    legs.reduce((acc, l) => acc + (l.greeks ? f(l.greeks) : 0), 0);
  // Premium paid (> 0) or received (< 0) to open the option legs.
  const netPremium = s.legs
    .map((l, i) => analyticsLeg(l, i, m, undefined))
    .filter((a) => a.kind === 'option')
    .reduce((acc, a) => acc + a.quantity * a.multiplier * a.entryPrice, 0);
  const single = marks.size === 1 ? [...marks.values()][0] : undefined;
  return {
    asOf: new Date(m.now).toISOString(),
    marks: Object.fromEntries([...marks].map(([sym, p]) => [sym, p ?? null])),
    legs,
    totalPnl: complete ? dec(legs.reduce((acc, l) => acc + Number(l.pnl), 0)) : null,
    netPremium: dec(netPremium),
    greeks: complete
      ? { delta: sum((g) => g.delta), gamma: sum((g) => g.gamma), vega: sum((g) => g.vega), theta: sum((g) => g.theta) }
      : null,
    ...payoff(s, m, single, range),
  };
}
