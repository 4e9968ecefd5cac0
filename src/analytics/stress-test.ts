/**
 * Scenario stress tests: revalue a book of linear positions (futures, stock) and options under
 * a shocked underlying price and volatility, and report the P&L per position and in total.
 *
 * A scenario moves every underlying by a RELATIVE price shock (−0.30 = −30 %) unless it gives a
 * per-underlying override, and shifts option volatility by an ABSOLUTE amount (+0.20 = +20 vol
 * points, floored at 1e-4). Options are repriced in full with valueOption (not a delta-gamma
 * approximation), holding T, r and q fixed (an instantaneous shock).
 */
import { AppError } from '../errors.ts';
import { valueOption, type OptionSpec } from './option-pricing.ts';

export interface StressScenario {
  name: string;
  priceShock: number;
  volShock: number;
  /** Optional per-underlying relative price shocks overriding `priceShock`. */
  priceShocks?: Record<string, number>;
}

/** Default named scenarios; callers may pass their own list (all fields configurable). */
export const DEFAULT_SCENARIOS: readonly StressScenario[] = [
  { name: 'bull', priceShock: 0.1, volShock: -0.05 },
  { name: 'bear', priceShock: -0.15, volShock: 0.1 },
  { name: 'sideways', priceShock: 0, volShock: -0.03 },
  { name: 'crisis', priceShock: -0.3, volShock: 0.3 },
];

export interface LinearPosition {
  kind: 'linear';
  id: string;
  underlying: string;
  quantity: number;
  multiplier: number;
  price: number;
}

export interface OptionPosition {
  kind: 'option';
  id: string;
  underlying: string;
  quantity: number;
  multiplier: number;
  option: OptionSpec;
}

export type StressPosition = LinearPosition | OptionPosition;

export interface StressResult {
  scenario: string;
  totalPnl: number;
  positions: { id: string; underlying: string; pnl: number }[];
}

function shockFor(s: StressScenario, underlying: string): number {
  const shock = s.priceShocks?.[underlying] ?? s.priceShock;
  if (!(shock > -1))
    throw new AppError(
      'ERR_ANALYTICS_INPUT',
      `scenario ${s.name}: price shock for ${underlying} must be > −1, got ${shock}`,
    );
  return shock;
}

export function positionPnlUnderScenario(p: StressPosition, s: StressScenario): number {
  const shock = shockFor(s, p.underlying);
  if (p.kind === 'linear') return p.quantity * p.multiplier * p.price * shock;
  const before = valueOption(p.option).price;
  const after = valueOption({
    ...p.option,
    underlying: p.option.underlying * (1 + shock),
    volatility: Math.max(1e-4, p.option.volatility + s.volShock),
  }).price;
  return p.quantity * p.multiplier * (after - before);
}

export function stressTest(
  positions: readonly StressPosition[],
  scenarios: readonly StressScenario[] = DEFAULT_SCENARIOS,
): StressResult[] {
  return scenarios.map((s) => {
    const rows = positions.map((p) => ({ id: p.id, underlying: p.underlying, pnl: positionPnlUnderScenario(p, s) }));
    return { scenario: s.name, totalPnl: rows.reduce((a, r) => a + r.pnl, 0), positions: rows };
  });
}
