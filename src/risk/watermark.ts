/**
 * Equity and its high-water marks (RULE-014 trailing_drawdown). Equity = balance (the starting
 * balance: the account event's, else the initial one) + cumulative net realized + unrealized.
 * Two marks are kept whatever the rule's mode, so switching mode needs no history:
 *   - `intraday`: raised on every fill and quote the account is evaluated on;
 *   - `eod`: raised only at the trading-day reset, from the equity at that instant.
 * A balance change (deposit, withdrawal, first balance report) shifts both marks by the same
 * amount: the drawdown measures trading losses, not cash movements.
 */
import { ZERO, type Fixed } from '../domain/money.ts';
import type { Position } from '../domain/position.ts';
import type { AccountState } from './account.ts';

export interface EquityWatermark {
  intraday: Fixed;
  eod: Fixed;
}

export function newWatermark(balance: Fixed): EquityWatermark {
  return { intraday: balance, eod: balance };
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

export function raiseIntraday(state: AccountState, equity: Fixed): void {
  if (equity > state.watermark.intraday) state.watermark.intraday = equity;
}

export function raiseEndOfDay(state: AccountState, equity: Fixed): void {
  if (equity > state.watermark.eod) state.watermark.eod = equity;
  // The intraday mark can never be below the end-of-day one.
  if (equity > state.watermark.intraday) state.watermark.intraday = equity;
}

/** Sets the balance, shifting both marks by the change. */
export function setBalance(state: AccountState, balance: Fixed): void {
  const delta = balance - state.balance;
  state.balance = balance;
  state.watermark.intraday += delta;
  state.watermark.eod += delta;
}
