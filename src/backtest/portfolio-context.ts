/**
 * The strategy context of one symbol in a multi-instrument backtest (portfolio.ts): its own
 * index, bars, position and orders; the account's equity.
 */
import type { Order } from '../adapters/broker.ts';
import type { PlaceRequest } from '../adapters/paper/order-state.ts';
import type { PaperExchange } from '../adapters/paper/exchange.ts';
import { AppError } from '../errors.ts';
import { toQty } from './engine.ts';
import type { Leg } from './portfolio.ts';
import type { StrategyContext, StrategyOrder } from './types.ts';

export function legContext(
  ex: PaperExchange,
  account: string,
  leg: Leg,
  params: Readonly<Record<string, string>>,
): StrategyContext {
  const place = (o: StrategyOrder, trusted: boolean): Order => {
    const req: PlaceRequest = {
      account,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol ?? leg.symbol,
      side: o.side,
      qty: toQty(o.qty),
      type: o.type,
      limitPrice: o.limitPrice,
      stopPrice: o.stopPrice,
      trailAmount: o.trailAmount,
      reduceOnly: o.reduceOnly,
      ocoGroup: o.ocoGroup,
      bracket: o.bracket,
    };
    if (trusted && req.qty <= 0n)
      throw new AppError('ERR_INPUT_INVALID', `order.qty: must be a positive Fixed, got ${String(o.qty)}`);
    return ex.place(req, trusted);
  };
  return {
    symbol: leg.symbol,
    params,
    get index() {
      return leg.index;
    },
    get lastFillIndex() {
      return leg.lastFillIndex;
    },
    get position() {
      return leg.book.qty;
    },
    get equity() {
      return ex.equity(account);
    },
    barsAgo: (n) => (n >= 0 ? leg.feed.bars[leg.index - n] : undefined),
    buy: (qty) => place({ side: 'buy', type: 'market', qty }, true),
    sell: (qty) => place({ side: 'sell', type: 'market', qty }, true),
    submit: (o) => place(o, false),
    cancel: (id) => ex.cancel(account, id),
    // A symbol's strategy manages its own symbol's orders.
    cancelAll: () => {
      for (const o of ex.openOrders(account, leg.symbol)) ex.cancel(account, o.orderId);
    },
    closePosition: () => {
      const p = leg.book.qty;
      if (p === 0n) return undefined;
      return place({ side: p > 0n ? 'sell' : 'buy', type: 'market', qty: p > 0n ? p : -p, reduceOnly: true }, true);
    },
    openOrders: () => ex.openOrders(account, leg.symbol),
    // This symbol's working orders (the symbol's list holds only this account's orders).
    get pendingOrders() {
      return leg.state.working.length;
    },
  };
}
