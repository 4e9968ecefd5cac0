/**
 * The fake Gateway's REST endpoints over the fake venue (venue.ts), with the published request
 * and response JSON: reads, order actions, position closes, contracts and bars.
 */
import type { z } from 'zod';
import { fixedOfJson, VENUE_SIDE, VENUE_TYPE } from '../mapper.ts';
import * as S from '../schemas.ts';
import { AppError } from '../../../errors.ts';
import { fromInt, parseFixed } from '../../../domain/money.ts';
import type { OrderType } from '../../broker.ts';
import { FAKE_CONTRACTS, type FakeVenue } from './venue.ts';

export type Handler = (body: unknown, accountOk: (id: number) => boolean) => unknown;

export const ok = (data: Record<string, unknown> = {}) => ({
  ...data,
  success: true,
  errorCode: 0,
  errorMessage: null,
});
export const refuse = (errorCode: number, errorMessage: string) => ({ success: false, errorCode, errorMessage });

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new AppError('ERR_INPUT_INVALID', r.error.issues[0]?.message ?? 'bad request');
  return r.data;
}

const TYPE_OF: Readonly<Record<number, OrderType>> = {
  [VENUE_TYPE.limit]: 'limit',
  [VENUE_TYPE.market]: 'market',
  [VENUE_TYPE.stop]: 'stop',
  [VENUE_TYPE.trailingStop]: 'trailing_stop',
};

const opt = (n: number | null | undefined) => (n === null || n === undefined ? undefined : fixedOfJson(n));

export function readRoutes(v: FakeVenue): Record<string, Handler> {
  return {
    'Account/search': () => ok({ accounts: v.accountsJson() }),
    'Contract/search': (b) => {
      const q = parse(S.contractSearchRequest, b).searchText.toUpperCase();
      return ok({
        contracts: FAKE_CONTRACTS.filter((c) => c.name.startsWith(q) || c.symbol === q).map((c) => v.contractJson(c)),
      });
    },
    'Contract/searchById': (b) => {
      const c = v.contract(parse(S.contractByIdRequest, b).contractId);
      return c ? ok({ contract: v.contractJson(c) }) : refuse(1, 'contract not found');
    },
    'Contract/available': () => ok({ contracts: FAKE_CONTRACTS.map((c) => v.contractJson(c)) }),
    'History/retrieveBars': (b) => {
      const r = parse(S.retrieveBarsRequest, b);
      const from = Date.parse(r.startTime);
      const to = Date.parse(r.endTime);
      return ok({ bars: v.bars(r.contractId, from, to, r.limit) });
    },
    'Order/searchOpen': (b) => ok({ orders: v.ordersJson(parse(S.accountRequest, b).accountId, true) }),
    'Order/search': (b) => {
      const r = parse(S.timeRangeRequest, b);
      return ok({ orders: v.ordersJson(r.accountId, false, Date.parse(r.startTimestamp)) });
    },
    'Position/searchOpen': (b) => ok({ positions: v.positionsJson(parse(S.accountRequest, b).accountId) }),
    'Trade/search': (b) => {
      const r = parse(S.timeRangeRequest, b);
      return ok({ trades: v.tradesJson(r.accountId, Date.parse(r.startTimestamp)) });
    },
  };
}

/** Bracket exits as price levels, counted in ticks from the entry's limit or stop price. */
function bracketLevels(r: z.infer<typeof S.placeOrderRequest>, tick: string | undefined) {
  const ref = opt(r.limitPrice) ?? opt(r.stopPrice);
  if (!tick || ref === undefined || (!r.stopLossBracket && !r.takeProfitBracket)) return undefined;
  const at = (ticks: number) => ref + BigInt(ticks) * parseFixed(tick);
  return {
    ...(r.stopLossBracket ? { stopLoss: at(r.stopLossBracket.ticks) } : {}),
    ...(r.takeProfitBracket ? { takeProfit: at(r.takeProfitBracket.ticks) } : {}),
  };
}

export function actionRoutes(v: FakeVenue): Record<string, Handler> {
  return {
    'Order/place': (b, accountOk) => {
      const r = parse(S.placeOrderRequest, b);
      if (!accountOk(r.accountId)) return refuse(1, 'account not found');
      const symbol = v.symbolOf(r.contractId);
      const type = TYPE_OF[r.type];
      if (!symbol) return refuse(2, 'contract not found');
      if (!type) return refuse(2, `order type ${r.type} not supported`);
      const tag = r.customTag ?? `auto-${Math.random().toString(36).slice(2)}`;
      if (v.hasTag(r.accountId, tag)) return refuse(2, 'customTag must be unique across the account');
      const side = r.side === VENUE_SIDE.buy ? 'buy' : 'sell';
      const trailStart = opt(r.trailPrice);
      const bracket = bracketLevels(r, v.contract(r.contractId)?.tickSize);
      const orderId = v.place(
        r.accountId,
        {
          symbol,
          side,
          qty: fromInt(r.size),
          type,
          limitPrice: opt(r.limitPrice),
          stopPrice: type === 'trailing_stop' ? trailStart : opt(r.stopPrice),
          trailAmount: trailStart === undefined ? undefined : v.trailFrom(symbol, side, trailStart),
          ...(bracket ? { bracket } : {}),
        },
        tag,
      );
      return ok({ orderId });
    },
    'Order/cancel': (b, accountOk) => {
      const r = parse(S.orderRefRequest, b);
      const o = accountOk(r.accountId) ? v.paperOrder(r.accountId, r.orderId) : undefined;
      if (!o) return refuse(1, 'order not found');
      if (o.status !== 'working') return refuse(2, `order is ${o.status}`);
      v.paper.exchange.cancel(String(r.accountId), o.orderId);
      return ok();
    },
    'Order/modify': (b, accountOk) => {
      const r = parse(S.modifyOrderRequest, b);
      const o = accountOk(r.accountId) ? v.paperOrder(r.accountId, r.orderId) : undefined;
      if (!o) return refuse(1, 'order not found');
      if (o.status !== 'working') return refuse(2, `order is ${o.status}`);
      v.paper.exchange.modify(String(r.accountId), o.orderId, {
        ...(r.size ? { qty: fromInt(r.size) } : {}),
        ...(opt(r.limitPrice) !== undefined ? { limitPrice: opt(r.limitPrice) } : {}),
        ...(opt(r.stopPrice) !== undefined ? { stopPrice: opt(r.stopPrice) } : {}),
      });
      return ok();
    },
    'Position/partialCloseContract': (b, accountOk) => {
      const r = parse(S.partialCloseRequest, b);
      const symbol = v.symbolOf(r.contractId);
      if (!symbol || !accountOk(r.accountId)) return refuse(1, 'position not found');
      const pos = v.paper.exchange.positionQty(String(r.accountId), symbol);
      const size = fromInt(r.size);
      if (pos === 0n || size > (pos > 0n ? pos : -pos)) return refuse(2, 'size exceeds the position');
      const tag = `pclose-${Math.random().toString(36).slice(2)}`;
      v.place(r.accountId, { symbol, side: pos > 0n ? 'sell' : 'buy', qty: size, type: 'market' }, tag);
      return ok();
    },
    'Position/closeContract': (b, accountOk) => {
      const r = parse(S.closeContractRequest, b);
      const symbol = v.symbolOf(r.contractId);
      if (!symbol || !accountOk(r.accountId)) return refuse(1, 'position not found');
      const pos = v.paper.exchange.positionQty(String(r.accountId), symbol);
      if (pos === 0n) return ok();
      const tag = `close-${Math.random().toString(36).slice(2)}`;
      v.place(
        r.accountId,
        { symbol, side: pos > 0n ? 'sell' : 'buy', qty: pos > 0n ? pos : -pos, type: 'market' },
        tag,
      );
      return ok();
    },
  };
}
