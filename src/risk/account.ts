/**
 * The per-account state that rules read (pure data; the engine evolves it from events).
 */
import { ZERO, type Fixed } from '../domain/money.ts';
import type { Position } from '../domain/position.ts';
import type { OrderType, Side } from '../domain/events.ts';
import { newActivityLog, type ActivityLog } from './activity.ts';
import { newWatermark, type EquityWatermark } from './watermark.ts';

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
  /** Filled-order and order-rate history (RULE-006, RULE-016); updated by the engine via activity.ts. */
  readonly activity: ActivityLog;
  /** Equity high-water marks (RULE-014); updated by the engine via watermark.ts. */
  readonly watermark: EquityWatermark;
}

/** A fresh account: flat, no orders or locks, trading allowed, equity marks at the balance. */
export function newAccountState(id: string, balance: Fixed, dayLabel: string): AccountState {
  return {
    id,
    canTrade: true,
    balance,
    positions: new Map(),
    orders: new Map(),
    day: { label: dayLabel, grossRealized: ZERO, fees: ZERO, fills: 0 },
    locks: new Map(),
    cumulativeNetRealized: ZERO,
    activity: newActivityLog(),
    watermark: newWatermark(balance),
  };
}
