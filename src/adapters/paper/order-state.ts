/**
 * The paper engine's mutable order record and the checks on an order request. Outside the engine
 * only immutable `Order` snapshots are visible.
 */
import { AppError } from '../../errors.ts';
import { SCALE, type Fixed } from '../../domain/money.ts';
import type { BracketSpec, Order, OrderChanges, OrderRequest, OrderStatus } from '../broker.ts';
import { mulQty } from '../../domain/position.ts';

export type WorkingOrder = {
  -readonly [K in keyof Order]: Order[K];
} & {
  seq: number;
  /** stop / stop_limit / trailing_stop: the trigger was hit (a stop became market, a stop-limit a limit). */
  triggered: boolean;
  /** trailing_stop: best price seen since placement, and the caller's initial stop (a floor). */
  best: Fixed | undefined;
  initialStop: Fixed | undefined;
  /** Σ price × qty of fills, for the average fill price. */
  filledNotional: Fixed;
  bracket: BracketSpec | undefined;
  children: string[];
  /** As placed, for recognising a retry of the same idempotency key. */
  request: PlaceRequest;
};

export function snapshot(o: WorkingOrder): Order {
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    account: o.account,
    symbol: o.symbol,
    side: o.side,
    qty: o.qty,
    filledQty: o.filledQty,
    avgFillPrice: o.avgFillPrice,
    type: o.type,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    trailAmount: o.trailAmount,
    reduceOnly: o.reduceOnly,
    ocoGroup: o.ocoGroup,
    parentOrderId: o.parentOrderId,
    status: o.status,
    reason: o.reason,
    createdTs: o.createdTs,
    updatedTs: o.updatedTs,
  };
}

/**
 * The paper engine's own callers (the backtester) may leave out the idempotency key: the order
 * id then serves as key, and there is nothing to look up, since no one can retry such an order.
 */
export type PlaceRequest = Omit<OrderRequest, 'clientOrderId'> & { readonly clientOrderId?: string };

export function newOrder(
  req: PlaceRequest,
  orderId: string,
  seq: number,
  ts: number,
  parentOrderId?: string,
): WorkingOrder {
  return {
    orderId,
    clientOrderId: req.clientOrderId ?? orderId,
    account: req.account,
    symbol: req.symbol,
    side: req.side,
    qty: req.qty,
    filledQty: 0n,
    avgFillPrice: undefined,
    type: req.type,
    limitPrice: req.limitPrice,
    stopPrice: req.stopPrice,
    trailAmount: req.trailAmount,
    reduceOnly: req.reduceOnly ?? false,
    ocoGroup: req.ocoGroup,
    parentOrderId,
    status: 'working' as OrderStatus,
    reason: undefined,
    createdTs: ts,
    updatedTs: ts,
    seq,
    triggered: false,
    best: undefined,
    initialStop: req.type === 'trailing_stop' ? req.stopPrice : undefined,
    filledNotional: 0n,
    bracket: req.bracket,
    children: req.bracket ? [] : NO_CHILDREN,
    request: req,
  };
}

/** Shared by orders without a bracket (only bracket entries ever get children). */
const NO_CHILDREN: string[] = [];

const ORDER_TYPES: Readonly<Record<string, boolean>> = {
  market: true,
  limit: true,
  stop: true,
  stop_limit: true,
  trailing_stop: true,
};

function invalid(field: string, why: string): AppError {
  return new AppError('ERR_INPUT_INVALID', `order.${field}: ${why}`);
}

/** Structural checks; business outcomes (unknown symbol, risk) are rejections, not errors. */
export function validateRequest(req: PlaceRequest, keyRequired = true): void {
  if (!req.account) throw invalid('account', 'required');
  if (keyRequired ? !req.clientOrderId : req.clientOrderId === '')
    throw invalid('clientOrderId', 'required (idempotency key)');
  if (!req.symbol) throw invalid('symbol', 'required');
  if (req.side !== 'buy' && req.side !== 'sell') throw invalid('side', `must be buy or sell, got ${String(req.side)}`);
  if (typeof req.qty !== 'bigint' || req.qty <= 0n) throw invalid('qty', 'must be a positive Fixed');
  const needLimit = req.type === 'limit' || req.type === 'stop_limit';
  const needStop = req.type === 'stop' || req.type === 'stop_limit';
  if (ORDER_TYPES[req.type] !== true) throw invalid('type', `unknown order type ${String(req.type)}`);
  if (needLimit && (req.limitPrice === undefined || req.limitPrice <= 0n))
    throw invalid('limitPrice', `required and > 0 for ${req.type}`);
  if (needStop && (req.stopPrice === undefined || req.stopPrice <= 0n))
    throw invalid('stopPrice', `required and > 0 for ${req.type}`);
  if (req.type === 'trailing_stop' && (req.trailAmount === undefined || req.trailAmount <= 0n))
    throw invalid('trailAmount', 'required and > 0 for trailing_stop');
  const b = req.bracket;
  if (b && b.stopLoss === undefined && b.takeProfit === undefined)
    throw invalid('bracket', 'needs stopLoss and/or takeProfit');
}

/** Same order parameters as placed, so a replay of the same idempotency key is a retry. */
export function sameRequest(o: WorkingOrder, req: PlaceRequest): boolean {
  const a = o.request;
  return (
    a.symbol === req.symbol &&
    a.side === req.side &&
    a.type === req.type &&
    a.qty === req.qty &&
    a.limitPrice === req.limitPrice &&
    a.stopPrice === req.stopPrice &&
    a.trailAmount === req.trailAmount &&
    (a.reduceOnly ?? false) === (req.reduceOnly ?? false) &&
    a.ocoGroup === req.ocoGroup &&
    a.bracket?.stopLoss === req.bracket?.stopLoss &&
    a.bracket?.takeProfit === req.bracket?.takeProfit
  );
}

/** The exits of a bracket entry after its first fill of `qty`: a reduce-only stop and/or limit, OCO. */
export function bracketRequests(o: WorkingOrder, qty: Fixed): OrderRequest[] {
  const b = o.bracket;
  if (!b) return [];
  const base = {
    account: o.account,
    symbol: o.symbol,
    side: o.side === 'buy' ? 'sell' : 'buy',
    qty,
    reduceOnly: true,
    ocoGroup: `${o.orderId}:bracket`,
  } as const;
  const reqs: OrderRequest[] = [];
  if (b.stopLoss !== undefined)
    reqs.push({ ...base, clientOrderId: `${o.clientOrderId}:sl`, type: 'stop', stopPrice: b.stopLoss });
  if (b.takeProfit !== undefined)
    reqs.push({ ...base, clientOrderId: `${o.clientOrderId}:tp`, type: 'limit', limitPrice: b.takeProfit });
  return reqs;
}

/** Validates and applies a modify request to a working order (the caller stamps and publishes it). */
export function applyChanges(o: WorkingOrder, changes: OrderChanges): void {
  if (changes.qty !== undefined && changes.qty <= o.filledQty)
    throw new AppError('ERR_INPUT_INVALID', `changes.qty: must exceed the filled qty of order ${o.orderId}`);
  for (const [k, v] of Object.entries(changes))
    if (v !== undefined && (typeof v !== 'bigint' || v <= 0n))
      throw new AppError('ERR_INPUT_INVALID', `changes.${k}: must be a positive Fixed`);
  if (changes.qty !== undefined) o.qty = changes.qty;
  if (changes.limitPrice !== undefined) o.limitPrice = changes.limitPrice;
  if (changes.stopPrice !== undefined) {
    o.stopPrice = changes.stopPrice;
    if (o.type === 'trailing_stop') o.initialStop = changes.stopPrice;
    else o.triggered = false;
  }
  if (changes.trailAmount !== undefined) o.trailAmount = changes.trailAmount;
}

/** The reduce-only market order closing a signed position (end of a backtest). */
export function flattenRequest(account: string, symbol: string, qty: Fixed, ts: number): PlaceRequest {
  return {
    account,
    clientOrderId: `flatten:${symbol}:${ts}`,
    symbol,
    side: qty > 0n ? 'sell' : 'buy',
    qty: qty > 0n ? qty : -qty,
    type: 'market',
    reduceOnly: true,
  };
}

/** Books `qty` filled at `price`: filled qty, notional and the average fill price. */
export function addFill(o: WorkingOrder, qty: Fixed, price: Fixed, now: number): void {
  if (o.filledQty === 0n) {
    o.filledQty = qty;
    o.filledNotional = mulQty(price, qty);
    o.avgFillPrice = price;
  } else {
    o.filledQty += qty;
    o.filledNotional += mulQty(price, qty);
    o.avgFillPrice = (o.filledNotional * SCALE) / o.filledQty;
  }
  o.updatedTs = now;
}
