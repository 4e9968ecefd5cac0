/** Order reads of the ProjectX adapter, and the order it answers with when it refuses one itself. */
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

/** A reduce-only order refused before reaching the venue (id `local-<client order id>`). */
export function localReject(req: OrderRequest, reason: string): Order {
  return {
    orderId: `local-${req.clientOrderId}`,
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
    reduceOnly: true,
    ocoGroup: undefined,
    parentOrderId: undefined,
    status: 'rejected',
    reason,
    createdTs: 0,
    updatedTs: 0,
  };
}
