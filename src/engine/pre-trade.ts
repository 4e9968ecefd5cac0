/**
 * The pre-trade check (DESIGN §3): whether an order opens risk, the position it projects over the
 * working orders, the rejections the account's locks and cooldowns give it, and the rules' own.
 */
import { abs, ZERO, type Fixed } from '../domain/money.ts';
import type { OrderEvent, OrderUpdateEvent } from '../domain/events.ts';
import type { AccountState, WorkingOrder } from '../risk/account.ts';
import type { PreTradeContext, Rejection, RuleContext } from '../risk/rule.ts';
import type { ActiveRule } from '../config/rules.ts';
import { untilLabel } from './decision.ts';

export interface Projection {
  readonly currentQty: Fixed;
  /** Position if this order and every working order on the same side fill. */
  readonly projectedQty: Fixed;
}

/**
 * Undefined for a risk-reducing order (never checked); else the projection the rules judge. The
 * working order `replaces` (the one a change is checked for) is left out: `e` is its new form.
 */
export function openingProjection(st: AccountState, e: OrderEvent, replaces?: string): Projection | undefined {
  const currentQty = st.positions.get(e.symbol)?.qty ?? ZERO;
  const signed = e.side === 'buy' ? e.qty : -e.qty;
  if (e.reduceOnly || abs(currentQty + signed) <= abs(currentQty)) return undefined;
  let projectedQty = currentQty + signed;
  for (const o of st.orders.values()) {
    if (o.symbol !== e.symbol || o.side !== e.side || o.rejected || o.orderId === replaces) continue;
    const rem = o.qty - o.filledQty;
    projectedQty += o.side === 'buy' ? rem : -rem;
  }
  return { currentQty, projectedQty };
}

/** One rejection per lock or cooldown still in force at `t`. */
export function lockRejections(st: AccountState, t: number): Rejection[] {
  const out: Rejection[] = [];
  for (const lock of st.locks.values()) {
    if (typeof lock.until === 'number' && lock.until <= t) continue;
    const cooling = lock.kind === 'cooldown';
    out.push({
      rule: lock.rule as Rejection['rule'],
      code: cooling ? 'COOLDOWN' : 'LOCKED',
      reason: `account ${cooling ? 'cooling down' : 'locked'} until ${untilLabel(lock.until)}: ${lock.reason}`,
    });
  }
  return out;
}

export function hasRule(rejections: readonly Rejection[], rule: string): boolean {
  for (const r of rejections) if (r.rule === rule) return true;
  return false;
}

/** Rule order (the report lists rejections by rule id). */
export function sortByRule(rejections: Rejection[]): Rejection[] {
  if (rejections.length > 1) rejections.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return rejections;
}

/**
 * A change of a working order (DESIGN §4) as the order to check like a new one, or undefined when
 * it adds no exposure and is never checked. It adds exposure when it raises the quantity still to
 * fill, or moves the stop away from the market: lower for a buy, higher for a sell, a larger
 * worst-case loss (RULE-015). A limit price moved, a stop moved closer or added, less quantity:
 * no exposure added. The order to check is the part still to fill, with the changed prices; the
 * projection then decides whether it is opening at all (a risk-reducing order is never blocked).
 */
export function updatedOrder(o: WorkingOrder, u: OrderUpdateEvent): OrderEvent | undefined {
  const remaining = (u.qty ?? o.qty) - o.filledQty;
  if (remaining <= ZERO) return undefined;
  const moreQty = remaining > o.qty - o.filledQty;
  const widerStop =
    u.stopPrice !== undefined &&
    o.stopPrice !== undefined &&
    (o.side === 'buy' ? u.stopPrice < o.stopPrice : u.stopPrice > o.stopPrice);
  if (!moreQty && !widerStop) return undefined;
  return {
    type: 'order',
    ts: u.ts,
    t: u.t,
    account: u.account,
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    qty: remaining,
    orderType: o.orderType,
    price: u.price ?? o.price,
    stopPrice: u.stopPrice ?? o.stopPrice,
    reduceOnly: o.reduceOnly,
  };
}

/** What the pre-trade check reads of the engine besides the account (the engine refills one per call). */
export type OrderCheckEnv = Pick<
  RuleContext,
  'instruments' | 'nextReset' | 'timezone' | 'markOf' | 'unrealizedOf' | 'configOf'
>;

/**
 * The rejections of an order (DESIGN §3), sorted by rule: none for a risk-reducing order; else the
 * account's locks, then every enabled rule's `preTrade` (a rule already rejecting through a lock
 * is not asked again).
 */
export function preTradeRejections(
  st: AccountState,
  rules: readonly ActiveRule[],
  e: OrderEvent,
  env: OrderCheckEnv,
  replaces?: string,
): Rejection[] {
  const projection = openingProjection(st, e, replaces);
  if (projection === undefined) return [];
  const rejections = lockRejections(st, e.t);
  // One object (the fields of the engine's rule context + the order's), no spread: this runs per order.
  const ctx: PreTradeContext = {
    now: e.t,
    trigger: 'fill',
    account: st,
    instruments: env.instruments,
    nextReset: env.nextReset,
    timezone: env.timezone,
    markOf: env.markOf,
    unrealizedOf: env.unrealizedOf,
    configOf: env.configOf,
    symbol: e.symbol,
    fill: undefined,
    timer: undefined,
    order: e,
    projectedQty: projection.projectedQty,
    currentQty: projection.currentQty,
  };
  for (const { rule, config } of rules) {
    if (!rule.preTrade || (rejections.length > 0 && hasRule(rejections, rule.id))) continue;
    const r = rule.preTrade(ctx, config);
    if (r) rejections.push(r);
  }
  return sortByRule(rejections);
}
