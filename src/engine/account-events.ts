/**
 * What fills and orders do to an account's own records (positions, day figures, working orders,
 * the rules' states), before the rules look at them: plain bookkeeping, kept out of the engine's
 * control flow (risk-engine.ts decides when, and evaluates the rules after).
 */
import { abs, ZERO } from '../domain/money.ts';
import type { Instrument } from '../domain/instrument.ts';
import { applyFill, newPosition } from '../domain/position.ts';
import type { FillEvent, OrderEvent, OrderUpdateEvent } from '../domain/events.ts';
import type { WorkingOrder } from '../risk/account.ts';
import type { FillFacts, Rejection } from '../risk/rule.ts';
import { isOpeningOrder } from '../risk/activity.ts';
import type { Decision } from './decision.ts';
import type { AccountRecord, EngineMode } from './engine-core.ts';

/**
 * Books a fill: position, realized P&L and fees of the day (state and day book), the order's
 * filled quantity, the rules' states (`RuleState.onFill`). Returns what the rules read of it, or undefined for
 * the fill of an order riskgate rejected in enforce mode (never sent: the recorded fill does not
 * touch the position, but it completes the order so rejected orders do not pile up).
 */
export function bookFill(
  rec: AccountRecord,
  e: FillEvent,
  instrument: Instrument,
  mode: EngineMode,
): FillFacts | undefined {
  const st = rec.state;
  const order = st.orders.get(e.orderId);
  if (mode === 'enforce' && order?.rejected) {
    order.filledQty += e.qty;
    if (order.filledQty >= order.qty) st.orders.delete(e.orderId);
    return undefined;
  }
  let pos = st.positions.get(e.symbol);
  if (!pos) {
    pos = newPosition(e.symbol, instrument);
    st.positions.set(e.symbol, pos);
  }
  const r = applyFill(pos, e.side, e.qty, e.price, e.t);
  st.day.grossRealized += r.realized;
  st.day.fees += e.fee;
  st.day.fills++;
  st.cumulativeNetRealized += r.realized - e.fee;
  const day = rec.book.entry(st.day.label);
  day.grossRealized += r.realized;
  day.fees += e.fee;
  day.fills++;
  if (order) {
    order.filledQty += e.qty;
    if (order.filledQty >= order.qty) st.orders.delete(e.orderId);
  }
  const facts: FillFacts = {
    symbol: e.symbol,
    orderId: e.orderId,
    realized: r.realized,
    fee: e.fee,
    closedQty: r.closedQty,
    openedQty: r.openedQty,
    prevAbsQty: r.prevAbsQty,
    newAbsQty: abs(pos.qty),
  };
  for (const [spec, s] of st.ruleStates) spec.onFill?.(s, st, facts, e.t);
  return facts;
}

/**
 * Books an order after its pre-trade check: a working order (marked rejected when it was), an
 * accepted opening order in the rules' states (`RuleState.onOpeningOrder`), each rejection in the day book and as a
 * decision.
 */
export function bookOrder(rec: AccountRecord, e: OrderEvent, rejections: readonly Rejection[], out: Decision[]): void {
  const st = rec.state;
  st.orders.set(e.orderId, {
    orderId: e.orderId,
    symbol: e.symbol,
    side: e.side,
    orderType: e.orderType,
    qty: e.qty,
    filledQty: ZERO,
    price: e.price,
    stopPrice: e.stopPrice,
    reduceOnly: e.reduceOnly,
    placedAt: e.t,
    rejected: rejections.length > 0,
  });
  if (rejections.length === 0 && isOpeningOrder(st, e))
    for (const [spec, s] of st.ruleStates) spec.onOpeningOrder?.(s, st, e.t);
  bookRejections(rec, e, e.symbol, rejections, out, (r) => r.reason, false);
}

/**
 * Books a venue-side change of a working order (DESIGN §4) after its check (`checked`: the order
 * it was checked as, undefined when it adds no exposure). The order takes the change, a fact at
 * the venue; one left with nothing to fill is done. A rejected change is answered by cancelling
 * the order: it leaves the working set (marked rejected, as a rejected new order is: no
 * projection, stop or rule counts it, and enforce mode ignores its later fills), and each
 * rejection goes in the day book and out as a decision with a `cancel_order` outcome. An accepted
 * change that adds exposure to an opening order goes out on the new-order lane (RULE-016), as a
 * new order does.
 */
export function bookOrderUpdate(
  rec: AccountRecord,
  order: WorkingOrder,
  e: OrderUpdateEvent,
  checked: OrderEvent | undefined,
  rejections: readonly Rejection[],
  out: Decision[],
): void {
  const st = rec.state;
  if (e.qty !== undefined) order.qty = e.qty;
  if (e.price !== undefined) order.price = e.price;
  if (e.stopPrice !== undefined) order.stopPrice = e.stopPrice;
  if (order.filledQty >= order.qty) {
    st.orders.delete(order.orderId);
    return;
  }
  if (rejections.length === 0) {
    if (checked !== undefined && isOpeningOrder(st, checked))
      for (const [spec, s] of st.ruleStates) spec.onOpeningOrder?.(s, st, e.t);
    return;
  }
  order.rejected = true;
  bookRejections(
    rec,
    e,
    order.symbol,
    rejections,
    out,
    (r) => `change of order ${e.orderId} rejected, order cancelled: ${r.reason}`,
    true,
  );
}

/** Each rejection in the day book and out as a decision; a rejected change also cancels its order. */
function bookRejections(
  rec: AccountRecord,
  e: { readonly t: number; readonly ts: string; readonly account: string; readonly orderId: string },
  symbol: string,
  rejections: readonly Rejection[],
  out: Decision[],
  reasonOf: (r: Rejection) => string,
  cancel: boolean,
): void {
  for (const r of rejections) {
    rec.book.entry(rec.state.day.label).rejections.push({ rule: r.rule, ts: e.ts, orderId: e.orderId });
    out.push({
      t: e.t,
      ts: e.ts,
      account: e.account,
      kind: 'rejection',
      rule: r.rule,
      action: 'reject',
      symbol,
      orderId: e.orderId,
      reason: reasonOf(r),
      outcomes: cancel
        ? [
            { kind: 'reject', orderId: e.orderId, code: r.code },
            { kind: 'cancel_order', orderId: e.orderId },
          ]
        : [{ kind: 'reject', orderId: e.orderId, code: r.code }],
    });
  }
}
