/**
 * Orders (DESIGN §6): place (pre-trade check, then the broker; 409 naming the rules when refused),
 * modify (a change that adds exposure is checked like a new order) and cancel (never blocked by
 * locks or limits). Order ids are riskgate's: the client order id the engine knows the order by.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Order, OrderChanges, OrderType, Side } from '../../adapters/broker.ts';
import { formatFixed } from '../../domain/money.ts';
import { qtyJson } from '../../engine/report.ts';
import type { OrderView } from '../../node/read-models.ts';
import type { TradingNode } from '../../node/node.ts';
import { AppError } from '../../errors.ts';
import { maySee, visibleAccount } from '../auth.ts';
import { needs } from '../guards.ts';
import { ClientOrderIds, fingerprintOf, type OrderAnswer } from '../idempotency.ts';
import { accountId, decimal, fixedOf, positiveDecimal, quantity, symbol, token } from '../schemas.ts';

const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;

export interface PlaceBody {
  account: string;
  symbol: string;
  side: Side;
  qty: number | string;
  orderType: OrderType;
  price?: string;
  stopPrice?: string;
  trailAmount?: string;
  reduceOnly?: boolean;
  clientOrderId?: string;
}

const placeSchema = {
  body: {
    type: 'object',
    required: ['account', 'symbol', 'side', 'qty', 'orderType'],
    additionalProperties: false,
    properties: {
      account: accountId,
      symbol,
      side: { type: 'string', enum: ['buy', 'sell'] },
      qty: quantity,
      orderType: { type: 'string', enum: ORDER_TYPES },
      price: decimal,
      stopPrice: decimal,
      trailAmount: positiveDecimal,
      reduceOnly: { type: 'boolean' },
      clientOrderId: token,
    },
  },
} as const;

const orderParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: token },
} as const;
const cancelSchema = {
  params: orderParams,
  querystring: { type: 'object', additionalProperties: false, properties: { account: accountId } },
} as const;
const modifySchema = {
  params: orderParams,
  querystring: cancelSchema.querystring,
  body: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: { qty: quantity, price: decimal, stopPrice: decimal, trailAmount: positiveDecimal },
  },
} as const;

interface OrderReq {
  Params: { id: string };
  Querystring: { account?: string };
  Body: { qty?: number | string; price?: string; stopPrice?: string; trailAmount?: string };
}

/** An order as the API shows it: riskgate's id, the broker's, decimal strings. */
export function orderJson(o: Order): Record<string, unknown> {
  const opt = (k: string, v: bigint | undefined) => (v === undefined ? {} : { [k]: formatFixed(v) });
  return {
    orderId: o.clientOrderId,
    brokerOrderId: o.orderId,
    account: o.account,
    symbol: o.symbol,
    side: o.side,
    qty: qtyJson(o.qty),
    orderType: o.type,
    ...opt('price', o.limitPrice),
    ...opt('stopPrice', o.stopPrice),
    ...opt('trailAmount', o.trailAmount),
    reduceOnly: o.reduceOnly,
    status: o.status,
    filledQty: formatFixed(o.filledQty),
    ...opt('avgFillPrice', o.avgFillPrice),
  };
}

/** The 409 of a pre-trade rejection: the rules, their codes and reasons in words. */
export function rejectionBody(
  orderId: string,
  r: { codes: readonly string[]; rules: readonly string[]; reasons: readonly string[] },
): Record<string, unknown> {
  const rules = r.rules.map((rule, i) => ({
    rule,
    code: r.codes[i] ?? r.codes[0] ?? rule,
    reason: r.reasons[i] ?? '',
  }));
  const message = `order ${orderId} rejected: ${rules.map((x) => `${x.rule} (${x.code}): ${x.reason}`).join('; ')}`;
  return { error: { code: 'ERR_ORDER_REJECTED', message, orderId, rules } };
}

function checkPrices(b: PlaceBody): void {
  const needs: Record<OrderType, (keyof PlaceBody)[]> = {
    market: [],
    limit: ['price'],
    stop: ['stopPrice'],
    stop_limit: ['price', 'stopPrice'],
    trailing_stop: ['trailAmount'],
  };
  for (const field of needs[b.orderType])
    if (b[field] === undefined)
      throw new AppError('ERR_INPUT_INVALID', `body.${field}: required for a ${b.orderType} order`);
  for (const field of ['price', 'stopPrice'] as const) {
    if (b[field] !== undefined && fixedOf(field, b[field]) <= 0n)
      throw new AppError('ERR_INPUT_INVALID', `body.${field}: must be > 0`);
  }
  if (fixedOf('qty', b.qty) <= 0n) throw new AppError('ERR_INPUT_INVALID', 'body.qty: must be > 0');
}

/** The same order in words the fingerprint compares (decimals normalised). */
function paramsOf(b: Pick<PlaceBody, 'symbol' | 'side' | 'qty' | 'orderType' | 'price' | 'stopPrice' | 'reduceOnly'>) {
  const norm = (field: string, v: string | number | undefined) =>
    v === undefined ? undefined : formatFixed(fixedOf(field, v));
  return {
    symbol: b.symbol,
    side: b.side,
    qty: norm('qty', b.qty)!,
    orderType: b.orderType,
    price: norm('price', b.price),
    stopPrice: norm('stopPrice', b.stopPrice),
    reduceOnly: b.reduceOnly ?? false,
  };
}

function viewJson(v: OrderView): Record<string, unknown> {
  return {
    orderId: v.orderId,
    account: v.account,
    symbol: v.symbol,
    side: v.side,
    qty: v.qty,
    orderType: v.orderType,
    ...(v.price ? { price: v.price } : {}),
    ...(v.stopPrice ? { stopPrice: v.stopPrice } : {}),
    reduceOnly: v.reduceOnly,
    status: v.status,
    filledQty: v.filledQty,
  };
}

async function place(node: TradingNode, b: PlaceBody): Promise<OrderAnswer> {
  const r = await node.submitOrder({
    account: b.account,
    symbol: b.symbol,
    side: b.side,
    qty: fixedOf('qty', b.qty),
    type: b.orderType,
    ...(b.price !== undefined ? { limitPrice: fixedOf('price', b.price) } : {}),
    ...(b.stopPrice !== undefined ? { stopPrice: fixedOf('stopPrice', b.stopPrice) } : {}),
    ...(b.trailAmount !== undefined ? { trailAmount: fixedOf('trailAmount', b.trailAmount) } : {}),
    ...(b.reduceOnly !== undefined ? { reduceOnly: b.reduceOnly } : {}),
    ...(b.clientOrderId !== undefined ? { clientOrderId: b.clientOrderId } : {}),
  });
  if (r.status === 'rejected') return { status: 409, body: rejectionBody(r.clientOrderId, r) };
  if (r.order.status === 'rejected') {
    const message = `order ${r.order.clientOrderId} rejected by the broker: ${r.order.reason ?? 'no reason given'}`;
    return { status: 409, body: { error: { code: 'ERR_BROKER_REJECTED', message, orderId: r.order.clientOrderId } } };
  }
  return { status: 201, body: { ...orderJson(r.order), routedReduceOnly: r.reduceOnly } };
}

/** A client order id the node already recorded (beyond the server's memory): the same answer or a conflict. */
function known(
  node: TradingNode,
  account: string,
  clientOrderId: string,
  fingerprint: string,
): OrderAnswer | undefined {
  const v = node.queries.orders(account).find((o) => o.orderId === clientOrderId);
  if (!v) return undefined;
  const same =
    fingerprintOf(
      paramsOf({
        symbol: v.symbol,
        side: v.side as Side,
        qty: v.qty,
        orderType: v.orderType as OrderType,
        price: v.price,
        stopPrice: v.stopPrice,
        reduceOnly: v.reduceOnly,
      }),
    ) === fingerprint;
  if (!same)
    throw new AppError(
      'ERR_ORDER_CONFLICT',
      `clientOrderId ${clientOrderId} names another order (${v.side} ${v.qty} ${v.symbol} ${v.orderType})`,
    );
  if (v.status === 'rejected')
    return {
      status: 409,
      body: rejectionBody(v.orderId, {
        rules: v.rejectedBy ?? ['UNKNOWN'],
        codes: [],
        reasons: ['rejected earlier; use a new clientOrderId to try again'],
      }),
    };
  return { status: 200, body: viewJson(v) };
}

/** The account of an order the caller may see (`?account=` or looked up); else the one 404. */
function accountOfOrder(req: FastifyRequest<OrderReq>): string {
  const node = req.server.node;
  const id = req.params.id;
  const has = (account: string) => node.queries.orders(account).some((o) => o.orderId === id);
  if (req.query.account !== undefined) {
    const account = visibleAccount(req, req.query.account);
    if (has(account)) return account;
  } else {
    const found = node.accounts.find((a) => req.principal && maySee(req.principal, a) && has(a));
    if (found) return found;
  }
  throw new AppError('ERR_ORDER_UNKNOWN', `unknown order ${id.slice(0, 100)}`);
}

export async function orderRoutes(app: FastifyInstance): Promise<void> {
  const recent = new ClientOrderIds();
  const node = () => app.node;

  app.post<{ Body: PlaceBody }>(
    '/orders',
    { schema: placeSchema, preValidation: needs('trader') },
    async (req, reply) => {
      const b = req.body;
      visibleAccount(req, b.account);
      checkPrices(b);
      if (b.clientOrderId === undefined) return send(reply, await place(node(), b));
      const fingerprint = fingerprintOf(paramsOf(b));
      const seen = recent.get(b.account, b.clientOrderId);
      if (seen) {
        if (seen.fingerprint !== fingerprint)
          throw new AppError(
            'ERR_ORDER_CONFLICT',
            `clientOrderId ${b.clientOrderId} was used for an order with other parameters`,
          );
        const a = await seen.answer;
        return send(reply, a.status === 201 ? { status: 200, body: a.body } : a);
      }
      const before = known(node(), b.account, b.clientOrderId, fingerprint);
      if (before) return send(reply, before);
      return send(reply, await recent.remember(b.account, b.clientOrderId, fingerprint, () => place(node(), b)));
    },
  );

  app.delete<OrderReq>('/orders/:id', { schema: cancelSchema, preValidation: needs('trader') }, async (req) => {
    const account = accountOfOrder(req);
    return { order: orderJson(await node().cancelOrder(account, req.params.id)) };
  });

  app.patch<OrderReq>('/orders/:id', { schema: modifySchema, preValidation: needs('trader') }, async (req, reply) => {
    const account = accountOfOrder(req);
    const b = req.body;
    const changes: OrderChanges = {
      ...(b.qty !== undefined ? { qty: positive('qty', b.qty) } : {}),
      ...(b.price !== undefined ? { limitPrice: positive('price', b.price) } : {}),
      ...(b.stopPrice !== undefined ? { stopPrice: positive('stopPrice', b.stopPrice) } : {}),
      ...(b.trailAmount !== undefined ? { trailAmount: positive('trailAmount', b.trailAmount) } : {}),
    };
    const r = await node().modifyOrder(account, req.params.id, changes);
    if (r.status === 'rejected') return reply.status(409).send(rejectionBody(r.orderId, r));
    return { order: orderJson(r.order) };
  });
}

function positive(field: string, v: string | number): bigint {
  const x = fixedOf(field, v);
  if (x <= 0n) throw new AppError('ERR_INPUT_INVALID', `body.${field}: must be > 0`);
  return x;
}

function send(reply: FastifyReply, a: OrderAnswer): FastifyReply {
  return reply.status(a.status).send(a.body);
}
