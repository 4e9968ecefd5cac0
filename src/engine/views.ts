/**
 * Read-only views of the engine for the trading node (src/node): what the gateway, reconciler and
 * read models need to know, as plain values. The node never reaches into the engine's maps; the
 * engine may change how it keeps its state without the node noticing.
 */
import { div, ZERO, type Fixed } from '../domain/money.ts';
import type { OrderEvent, Side } from '../domain/events.ts';
import type { Rejection } from '../risk/rule.ts';
import { avgPrice } from '../domain/position.ts';
import type { Lock } from '../risk/account.ts';
import type { RiskEngine } from './risk-engine.ts';

/** A working order as the engine holds it (remaining quantity = qty − filledQty). */
export interface WorkingOrderView {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: string;
  readonly qty: Fixed;
  readonly filledQty: Fixed;
  readonly price: Fixed | undefined;
  readonly stopPrice: Fixed | undefined;
  readonly reduceOnly: boolean;
  readonly placedAt: number;
  /** Pre-trade rejected by riskgate (not a live order of riskgate's). */
  readonly rejected: boolean;
}

export interface PositionView {
  readonly symbol: string;
  /** Signed: + long, − short. */
  readonly qty: Fixed;
  /** Display average price (DESIGN §2: up to 9 decimals, half-even). */
  readonly avgPrice: string;
  /** Exact average cost per unit (cost basis / |qty|). */
  readonly avgCost: Fixed;
  readonly unrealizedPnl: Fixed;
  readonly openedAt: number;
}

/** Accounts the engine has seen, in first-seen order. */
export function accountIds(engine: RiskEngine): string[] {
  return [...engine.accounts.keys()];
}

export function hasAccount(engine: RiskEngine, account: string): boolean {
  return engine.accounts.has(account);
}

export function canTradeOf(engine: RiskEngine, account: string): boolean | undefined {
  return engine.accounts.get(account)?.state.canTrade;
}

/** Whether the account booked a fill with this id (today or the previous trading day). */
export function fillBooked(engine: RiskEngine, account: string, fillId: string): boolean {
  return engine.accounts.get(account)?.fillIds.has(fillId) ?? false;
}

/** Signed position quantity of an account in a symbol (0 when flat or unknown). */
export function positionQty(engine: RiskEngine, account: string, symbol: string): Fixed {
  return engine.accounts.get(account)?.state.positions.get(symbol)?.qty ?? ZERO;
}

/** Open (non-flat) positions of an account. */
export function openPositions(engine: RiskEngine, account: string): PositionView[] {
  const out: PositionView[] = [];
  for (const p of engine.accounts.get(account)?.state.positions.values() ?? []) {
    if (p.qty === ZERO) continue;
    out.push({
      symbol: p.symbol,
      qty: p.qty,
      avgPrice: avgPrice(p),
      avgCost: div(p.costBasis, p.qty < ZERO ? -p.qty : p.qty),
      unrealizedPnl: engine.unrealizedOf(p),
      openedAt: p.openedAt,
    });
  }
  return out;
}

/** Working orders of an account (riskgate's order ids). */
export function workingOrders(engine: RiskEngine, account: string): WorkingOrderView[] {
  return [...(engine.accounts.get(account)?.state.orders.values() ?? [])].map((o) => ({ ...o }));
}

/** The order ids working in any account (a restart's known orders). */
export function workingOrderIds(engine: RiskEngine): Set<string> {
  const ids = new Set<string>();
  for (const rec of engine.accounts.values()) for (const id of rec.state.orders.keys()) ids.add(id);
  return ids;
}

/** Locks and cooldowns of an account still in force at `now`. */
export function activeLocks(engine: RiskEngine, account: string, now: number): Lock[] {
  const out: Lock[] = [];
  for (const lock of engine.accounts.get(account)?.state.locks.values() ?? []) {
    if (typeof lock.until === 'number' && lock.until <= now) continue;
    out.push(lock);
  }
  return out;
}

/** The earliest engine timer deadline (reset, lock end, grace period), if any. */
export function nextDeadline(engine: RiskEngine): number | undefined {
  return engine.timers.peekDeadline();
}

/** The first breach of each rule per trading day of an account, in day order (the day book). */
export function firstBreachesByDay(
  engine: RiskEngine,
  account: string,
): { day: string; rule: string; ts: string; action: string; symbol?: string; until?: string }[] {
  const book = engine.accounts.get(account)?.book;
  if (!book) return [];
  const out: { day: string; rule: string; ts: string; action: string; symbol?: string; until?: string }[] = [];
  for (const day of book.labels()) for (const b of book.get(day)?.breaches ?? []) out.push({ day, ...b });
  return out;
}

/** The engine's pre-trade check of an order for an account (creating the account on first use). */
export function preTradeCheck(engine: RiskEngine, account: string, order: OrderEvent): Rejection[] {
  return engine.preTrade(engine.account(account), order);
}

/** One trading day of an account's day book: realized figures, fills, first breaches, rejections. */
export function dayFigures(
  engine: RiskEngine,
  account: string,
  label: string,
): {
  grossRealized: Fixed;
  fees: Fixed;
  fills: number;
  breaches: { rule: string; ts: string; action: string; symbol?: string; until?: string }[];
  rejections: { rule: string; ts: string; orderId: string }[];
} {
  const d = engine.accounts.get(account)?.book.get(label);
  if (!d) return { grossRealized: ZERO, fees: ZERO, fills: 0, breaches: [], rejections: [] };
  return {
    grossRealized: d.grossRealized,
    fees: d.fees,
    fills: d.fills,
    breaches: d.breaches.map((b) => ({ ...b })),
    rejections: d.rejections.map((r) => ({ ...r })),
  };
}
