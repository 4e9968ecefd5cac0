/**
 * Equity and its high-water marks (RULE-014 trailing_drawdown). Equity = balance (the starting
 * balance: the account event's, else the initial one) + cumulative net realized + unrealized.
 * Two marks are kept whatever the rule's mode, so switching mode needs no history:
 *   - `intraday`: raised on every fill and quote the account is evaluated on;
 *   - `eod`: raised only at the trading-day reset, from the equity at that instant.
 * A balance change (deposit, withdrawal, first balance report) shifts both marks by the same
 * amount: the drawdown measures trading losses, not cash movements.
 */
import { formatFixed, parseFixed, ZERO, type Fixed } from '../domain/money.ts';
import type { Position } from '../domain/position.ts';
import { stateOf, type AccountState } from './account.ts';
import type { RuleState } from './rule.ts';

export interface EquityWatermark {
  intraday: Fixed;
  eod: Fixed;
}

export function newWatermark(balance: Fixed): EquityWatermark {
  return { intraday: balance, eod: balance };
}

/**
 * The marks as rule state (declared by RULE-014): shifted by every balance change; raised only
 * while RULE-014 is enabled, the intraday mark at each evaluated fill and quote, both at the reset.
 */
export const watermarkState: RuleState<EquityWatermark> = {
  key: 'watermark',
  create: (account) => newWatermark(account.balance),
  toJSON: (w) => ({ intraday: formatFixed(w.intraday), eod: formatFixed(w.eod) }),
  fromJSON(json) {
    const j = json as { intraday: string; eod: string };
    return { intraday: parseFixed(j.intraday), eod: parseFixed(j.eod) };
  },
  onBalance(w, delta) {
    w.intraday += delta;
    w.eod += delta;
  },
  onEquity: (w, equity, at) => (at === 'reset' ? raiseEndOfDay(w, equity) : raiseIntraday(w, equity)),
  // The intraday mark rises whenever equity exceeds it.
  equityCeiling: (w) => w.intraday,
};

/** An account's high-water marks. */
export function watermarkOf(state: AccountState): EquityWatermark {
  return stateOf(state, watermarkState);
}

export function equityOf(state: AccountState, unrealizedOf: (p: Position) => Fixed): Fixed {
  let u = ZERO;
  for (const p of state.positions.values()) if (p.qty !== ZERO) u += unrealizedOf(p);
  return equityWith(state, u);
}

/** Equity given the unrealized P&L of the open positions, already summed. */
export function equityWith(state: AccountState, unrealized: Fixed): Fixed {
  return state.balance + state.cumulativeNetRealized + unrealized;
}

export function raiseIntraday(w: EquityWatermark, equity: Fixed): void {
  if (equity > w.intraday) w.intraday = equity;
}

export function raiseEndOfDay(w: EquityWatermark, equity: Fixed): void {
  if (equity > w.eod) w.eod = equity;
  // The intraday mark can never be below the end-of-day one.
  if (equity > w.intraday) w.intraday = equity;
}
