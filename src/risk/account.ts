/**
 * The per-account state that rules read (pure data; the engine evolves it from events).
 */
import { ZERO, type Fixed } from '../domain/money.ts';
import type { Position } from '../domain/position.ts';
import type { OrderType, Side } from '../domain/events.ts';
import type { RuleState } from './rule.ts';

export interface WorkingOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  /** Total quantity (filled part included); a venue-side change (`order_update`) may change it and the prices. */
  qty: Fixed;
  filledQty: Fixed;
  price: Fixed | undefined;
  stopPrice: Fixed | undefined;
  readonly reduceOnly: boolean;
  readonly placedAt: number;
  /** Pre-trade rejected, or cancelled for a rejected change, by riskgate (enforce mode drops its fills). */
  rejected: boolean;
}

/** An open-ended or timed restriction on opening orders. */
export interface Lock {
  readonly rule: string;
  /** Epoch ms, or an open-ended condition. */
  readonly until: number | 'admin' | 'canTrade';
  readonly kind: 'lockout' | 'cooldown';
  readonly since: number;
  readonly reason: string;
}

export interface DayFigures {
  label: string;
  grossRealized: Fixed;
  fees: Fixed;
  fills: number;
}

export interface AccountState {
  readonly id: string;
  canTrade: boolean;
  balance: Fixed;
  readonly positions: Map<string, Position>;
  readonly orders: Map<string, WorkingOrder>;
  day: DayFigures;
  /** Active locks keyed by rule id (at most one per rule). */
  readonly locks: Map<string, Lock>;
  /** Cumulative net realized P&L since the start (for equity rules). */
  cumulativeNetRealized: Fixed;
  /** The rules' own states (`RiskRule.state`), in creation order; read through `stateOf`. */
  readonly ruleStates: Map<RuleState<unknown>, unknown>;
}

/** A fresh account: flat, no orders or locks, trading allowed, with a fresh state of each of `states`. */
export function newAccountState(
  id: string,
  balance: Fixed,
  dayLabel: string,
  states: readonly RuleState<unknown>[] = [],
): AccountState {
  const account: AccountState = {
    id,
    canTrade: true,
    balance,
    positions: new Map(),
    orders: new Map(),
    day: { label: dayLabel, grossRealized: ZERO, fees: ZERO, fills: 0 },
    locks: new Map(),
    cumulativeNetRealized: ZERO,
    ruleStates: new Map(),
  };
  for (const s of states) account.ruleStates.set(s, s.create(account));
  return account;
}

/** An account's state of a rule, created on first use when the account was made without it. */
export function stateOf<S>(account: AccountState, spec: RuleState<S>): S {
  let s = account.ruleStates.get(spec) as S | undefined;
  if (s === undefined) account.ruleStates.set(spec, (s = spec.create(account)));
  return s;
}

/** Sets the balance; the rules' states hear of the change (`RuleState.onBalance`). */
export function setBalance(account: AccountState, balance: Fixed): void {
  const delta = balance - account.balance;
  account.balance = balance;
  for (const [spec, s] of account.ruleStates) spec.onBalance?.(s, delta);
}
