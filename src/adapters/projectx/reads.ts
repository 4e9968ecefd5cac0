/** Order and trade reads of the ProjectX adapter, and the orders it answers with before the venue does. */
import { fromInt } from '../../domain/money.ts';
import type { Order, OrderRequest } from '../broker.ts';
import type { ProjectXClient } from './client.ts';
import * as S from './schemas.ts';

/** Open orders (Order/searchOpen), or every order since `sinceMs` (Order/search). */
export async function venueOrders(
  client: ProjectXClient,
  venueId: number,
  sinceMs: number | undefined,
): Promise<S.VenueOrder[]> {
  const r =
    sinceMs === undefined
      ? await client.post('Order/searchOpen', { accountId: venueId }, S.orderSearchResponse, { idempotent: true })
      : await client.post(
          'Order/search',
          { accountId: venueId, startTimestamp: new Date(sinceMs).toISOString() },
          S.orderSearchResponse,
          { idempotent: true },
        );
  return r.orders ?? [];
}

/** The account's trades since `sinceMs` (Trade/search), voided ones left out. */
export async function venueTrades(client: ProjectXClient, venueId: number, sinceMs: number): Promise<S.VenueTrade[]> {
  const r = await client.post(
    'Trade/search',
    { accountId: venueId, startTimestamp: new Date(sinceMs).toISOString() },
    S.tradeSearchResponse,
    { idempotent: true },
  );
  return (r.trades ?? []).filter((t) => !t.voided);
}

/** Fills in execution order (time, then trade id). */
export function byExecution(a: { ts: number; fillId: string }, b: { ts: number; fillId: string }): number {
  return a.ts - b.ts || Number(a.fillId) - Number(b.fillId);
}

/** The first order matching `pred`: open orders first, then every order since `sinceMs`. */
export async function findVenueOrder(
  client: ProjectXClient,
  venueId: number,
  sinceMs: number,
  pred: (v: S.VenueOrder) => boolean,
): Promise<S.VenueOrder | undefined> {
  return (
    (await venueOrders(client, venueId, undefined)).find(pred) ??
    (await venueOrders(client, venueId, sinceMs)).find(pred)
  );
}

/** A reduce-only order refused before reaching the venue (id `local-<client order id>`). */
export function localReject(req: OrderRequest, reason: string): Order {
  return { ...fromRequest(req, `local-${req.clientOrderId}`), reduceOnly: true, status: 'rejected', reason };
}

/** An order the venue accepted (`orderId`) but has not been read back yet: working, unfilled. */
export function fromRequest(req: OrderRequest, orderId: string): Order {
  return {
    orderId,
    clientOrderId: req.clientOrderId,
    account: req.account,
    symbol: req.symbol,
    side: req.side,
    qty: req.qty,
    filledQty: fromInt(0),
    avgFillPrice: undefined,
    type: req.type,
    limitPrice: req.limitPrice,
    stopPrice: req.stopPrice,
    trailAmount: req.trailAmount,
    reduceOnly: req.reduceOnly ?? false,
    ocoGroup: undefined,
    parentOrderId: undefined,
    status: 'working',
    reason: undefined,
    createdTs: 0,
    updatedTs: 0,
  };
}
