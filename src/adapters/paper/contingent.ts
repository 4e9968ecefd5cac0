/**
 * What a fill sets off in related orders: OCO siblings shrink by the filled qty (cancelled when
 * nothing is left), and a bracket entry places its exits on its first fill and grows them on each
 * later one, so the exits always cover what the entry filled.
 */
import type { Fixed } from '../../domain/money.ts';
import type { OrderRequest } from '../broker.ts';
import { bracketRequests, type WorkingOrder } from './order-state.ts';

/** The exchange as contingent orders see it. */
export interface ContingentVenue {
  /** The venue's time (of the last bar or quote). */
  now(): number;
  /** Working orders of a symbol (the live list: copy it before finishing any). */
  working(symbol: string): readonly WorkingOrder[];
  order(orderId: string): WorkingOrder | undefined;
  cancel(o: WorkingOrder, reason: string): void;
  /** Publishes a change made to a working order. */
  changed(o: WorkingOrder): void;
  /** Places a bracket exit of `parent` (never rejected: exits only reduce risk). */
  placeExit(parent: WorkingOrder, req: OrderRequest): void;
}

/** Runs after `qty` of `o` filled. */
export function afterFill(v: ContingentVenue, o: WorkingOrder, qty: Fixed): void {
  if (o.ocoGroup !== undefined) shrinkSiblings(v, o, qty);
  if (!o.bracket) return;
  if (o.children.length === 0) {
    for (const r of bracketRequests(o, qty)) v.placeExit(o, r);
    return;
  }
  for (const id of o.children) {
    const c = v.order(id);
    if (c && c.status === 'working') {
      c.qty += qty;
      c.updatedTs = v.now();
      v.changed(c);
    }
  }
}

function shrinkSiblings(v: ContingentVenue, o: WorkingOrder, qty: Fixed): void {
  for (const s of [...v.working(o.symbol)]) {
    if (s === o || s.status !== 'working' || s.ocoGroup !== o.ocoGroup || s.account !== o.account) continue;
    const left = s.qty - qty;
    if (left <= s.filledQty) v.cancel(s, `oco: ${o.orderId} filled`);
    else {
      s.qty = left;
      s.updatedTs = v.now();
      v.changed(s);
    }
  }
}
