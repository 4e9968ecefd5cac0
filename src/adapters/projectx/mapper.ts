/**
 * Everything that translates between ProjectX Gateway values and riskgate's domain: enum codes,
 * contract ids ↔ symbol roots, decimal prices ↔ Fixed, integer sizes ↔ Fixed quantities, venue
 * orders / trades / positions ↔ `Order` / `Fill` / `BrokerPosition`. Pure: no I/O, no clock.
 *
 * Prices: the venue writes decimals as JSON numbers. On the way in a number is read through its
 * shortest round-trip decimal text (`String(n)`), which is the exact text the venue wrote for any
 * price of up to 15 significant digits; on the way out `jsonBody` writes a Fixed's decimal text
 * straight into the JSON, so no price ever passes through binary floating point arithmetic.
 */
import { AppError } from '../../errors.ts';
import { InstrumentTable, rootOf } from '../../domain/instrument.ts';
import { div, formatFixed, fromInt, isWhole, parseFixed, toSafeInteger, type Fixed } from '../../domain/money.ts';
import type {
  BrokerPosition,
  Fill,
  Order,
  OrderChanges,
  OrderRequest,
  OrderStatus,
  OrderType,
  Side,
} from '../broker.ts';
import type { VenueContract, VenueOrder, VenuePosition, VenueTrade } from './schemas.ts';

/** OrderType codes (Order/place `type`). 3 (StopLimit) appears only in the Swagger enum: unused. */
export const VENUE_TYPE = {
  limit: 1,
  market: 2,
  stopLimit: 3,
  stop: 4,
  trailingStop: 5,
  joinBid: 6,
  joinAsk: 7,
} as const;
/** OrderSide codes: 0 = Bid (buy), 1 = Ask (sell). */
export const VENUE_SIDE = { buy: 0, sell: 1 } as const;
/** OrderStatus codes. */
export const VENUE_STATUS = {
  none: 0,
  open: 1,
  filled: 2,
  cancelled: 3,
  expired: 4,
  rejected: 5,
  pending: 6,
  pendingCancellation: 7,
  suspended: 8,
} as const;
/** PositionType codes: sizes are unsigned, the type says long or short. */
export const VENUE_POSITION = { long: 1, short: 2 } as const;

function invalid(what: string): AppError {
  return new AppError('ERR_BROKER_RESPONSE_INVALID', `projectx: ${what}`);
}

/** A JSON number from the venue as Fixed, through its decimal text. */
export function fixedOfJson(n: number): Fixed {
  const text = String(n);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw invalid(`price ${text} is not a plain decimal`);
  return parseFixed(text);
}

/** A decimal written into a request body as a JSON number, digit for digit. */
export class JsonDecimal {
  constructor(readonly text: string) {}
  static of(v: Fixed): JsonDecimal {
    return new JsonDecimal(formatFixed(v));
  }
}

const DECIMAL_MARK = '\u0001dec:';

/** JSON.stringify that writes `JsonDecimal` values as bare numbers (their exact text). */
export function jsonBody(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof JsonDecimal ? `${DECIMAL_MARK}${v.text}` : v));
  return text.replace(/"\\u0001dec:(-?\d+(?:\.\d+)?)"/g, '$1');
}

/** A whole, positive riskgate quantity as a venue size. */
export function venueSize(qty: Fixed): number {
  if (qty <= 0n || !isWhole(qty))
    throw new AppError('ERR_BROKER_UNSUPPORTED', `projectx sizes are whole contracts, got ${formatFixed(qty)}`);
  return toSafeInteger(qty);
}

export function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw invalid(`timestamp ${iso} is unreadable`);
  return ms;
}

export function sideOf(code: number): Side {
  if (code === VENUE_SIDE.buy) return 'buy';
  if (code === VENUE_SIDE.sell) return 'sell';
  throw invalid(`unknown side ${code}`);
}

export function orderTypeOf(code: number): OrderType {
  switch (code) {
    case VENUE_TYPE.market:
      return 'market';
    case VENUE_TYPE.limit:
    case VENUE_TYPE.joinBid:
    case VENUE_TYPE.joinAsk:
      return 'limit';
    case VENUE_TYPE.stop:
      return 'stop';
    case VENUE_TYPE.stopLimit:
      return 'stop_limit';
    case VENUE_TYPE.trailingStop:
      return 'trailing_stop';
    default:
      throw invalid(`unknown order type ${code}`);
  }
}

/** Pending, pending-cancel and suspended (bracket legs before the entry fills) still work. */
export function statusOf(code: number): { status: OrderStatus; reason?: string } {
  switch (code) {
    case VENUE_STATUS.filled:
      return { status: 'filled' };
    case VENUE_STATUS.cancelled:
      return { status: 'cancelled' };
    case VENUE_STATUS.expired:
      return { status: 'cancelled', reason: 'expired' };
    case VENUE_STATUS.rejected:
      return { status: 'rejected', reason: 'rejected by venue' };
    case VENUE_STATUS.none:
    case VENUE_STATUS.open:
    case VENUE_STATUS.pending:
    case VENUE_STATUS.pendingCancellation:
    case VENUE_STATUS.suspended:
      return { status: 'working' };
    default:
      throw invalid(`unknown order status ${code}`);
  }
}

/** A contract as riskgate sees it: the symbol root and the instrument numbers. */
export interface ContractInfo {
  readonly contractId: string;
  readonly symbol: string;
  readonly tickSize: Fixed;
  readonly tickValue: Fixed;
  readonly active: boolean;
}

/**
 * The root of a contract: from its name (`MNQZ5` → MNQ, `NQU5` → NQ), since the id carries the
 * venue's own product code (`CON.F.US.ENQ.U25` for NQ); from the id when the name has no month.
 */
export function symbolOfContract(c: Pick<VenueContract, 'id' | 'name'>, table: InstrumentTable): string {
  const known = (s: string) => table.find(s)?.symbol === s;
  const byName = rootOf(c.name, known);
  if (byName !== c.name || known(byName)) return byName;
  return rootOf(c.id, known);
}

export function contractInfo(c: VenueContract, table: InstrumentTable): ContractInfo {
  return {
    contractId: c.id,
    symbol: symbolOfContract(c, table),
    tickSize: fixedOfJson(c.tickSize),
    tickValue: fixedOfJson(c.tickValue),
    active: c.activeContract,
  };
}

/** Point value (money per 1.0 of price per contract) = tick value / tick size. */
export function pointValue(c: ContractInfo): Fixed {
  return div(c.tickValue, c.tickSize);
}

function onTick(price: Fixed, c: ContractInfo, what: string): JsonDecimal {
  if (c.tickSize > 0n && price % c.tickSize !== 0n)
    throw new AppError(
      'ERR_INPUT_INVALID',
      `${what} ${formatFixed(price)} is not on the ${c.symbol} tick (${formatFixed(c.tickSize)})`,
    );
  return JsonDecimal.of(price);
}

/**
 * The Order/place body. `trailPrice` is the level the trailing stop starts at (the venue derives
 * its distance from its last price), so a trailing stop needs `stopPrice` for that level.
 */
export function placeBody(
  req: OrderRequest,
  accountId: number,
  c: ContractInfo,
  size = venueSize(req.qty),
): Record<string, unknown> {
  if (req.ocoGroup) throw new AppError('ERR_BROKER_UNSUPPORTED', 'projectx adapter: OCO groups are not supported yet');
  const body: Record<string, unknown> = {
    accountId,
    contractId: c.contractId,
    side: VENUE_SIDE[req.side],
    size,
    customTag: req.clientOrderId,
    ...bracketBody(req, c),
  };
  const need = (v: Fixed | undefined, what: string): Fixed => {
    if (v === undefined) throw new AppError('ERR_INPUT_INVALID', `a ${req.type} order needs ${what}`);
    return v;
  };
  switch (req.type) {
    case 'market':
      return { ...body, type: VENUE_TYPE.market };
    case 'limit':
      return {
        ...body,
        type: VENUE_TYPE.limit,
        limitPrice: onTick(need(req.limitPrice, 'limitPrice'), c, 'limit price'),
      };
    case 'stop':
      return { ...body, type: VENUE_TYPE.stop, stopPrice: onTick(need(req.stopPrice, 'stopPrice'), c, 'stop price') };
    case 'trailing_stop':
      return {
        ...body,
        type: VENUE_TYPE.trailingStop,
        trailPrice: onTick(need(req.stopPrice, 'stopPrice (the level the trail starts at)'), c, 'trail start'),
      };
    default:
      throw new AppError('ERR_BROKER_UNSUPPORTED', `projectx adapter: ${req.type} orders are not supported`);
  }
}

/**
 * `stopLossBracket` / `takeProfitBracket` (`{ ticks, type }`, PlaceOrderBracket in the venue's
 * Swagger): exits the venue attaches when the entry fills, `ticks` signed from the entry price
 * (level = entry + ticks × tick size). riskgate's bracket gives price levels, so the entry needs a
 * price to count from: a limit or stop entry; a market entry's fill price is not known in advance.
 */
export function bracketBody(req: OrderRequest, c: ContractInfo): Record<string, unknown> {
  const b = req.bracket;
  if (!b || (b.stopLoss === undefined && b.takeProfit === undefined)) return {};
  const ref = req.type === 'limit' ? req.limitPrice : req.type === 'stop' ? req.stopPrice : undefined;
  if (ref === undefined)
    throw new AppError(
      'ERR_BROKER_UNSUPPORTED',
      'projectx adapter: a bracket needs a limit or stop entry (its exits are sent in ticks from the entry price)',
    );
  const ticks = (level: Fixed, what: string): number => {
    onTick(level, c, what);
    return toSafeInteger(div(level - ref, c.tickSize));
  };
  const out: Record<string, unknown> = {};
  if (b.stopLoss !== undefined)
    out['stopLossBracket'] = { ticks: ticks(b.stopLoss, 'stop loss'), type: VENUE_TYPE.stop };
  if (b.takeProfit !== undefined)
    out['takeProfitBracket'] = { ticks: ticks(b.takeProfit, 'take profit'), type: VENUE_TYPE.limit };
  return out;
}

/** The Order/modify body: only the fields that change. */
export function modifyBody(
  accountId: number,
  orderId: number,
  ch: OrderChanges,
  c: ContractInfo,
): Record<string, unknown> {
  if (ch.trailAmount !== undefined)
    throw new AppError(
      'ERR_BROKER_UNSUPPORTED',
      'projectx adapter: modify the trail through stopPrice (a level), not trailAmount',
    );
  const body: Record<string, unknown> = { accountId, orderId };
  if (ch.qty !== undefined) body['size'] = venueSize(ch.qty);
  if (ch.limitPrice !== undefined) body['limitPrice'] = onTick(ch.limitPrice, c, 'limit price');
  if (ch.stopPrice !== undefined) body['stopPrice'] = onTick(ch.stopPrice, c, 'stop price');
  return body;
}

const opt = (n: number | null | undefined): Fixed | undefined =>
  n === null || n === undefined ? undefined : fixedOfJson(n);

export function toOrder(v: VenueOrder, account: string, symbol: string): Order {
  const type = orderTypeOf(v.type);
  const { status, reason } = statusOf(v.status);
  const filled = fromInt(v.fillVolume ?? (status === 'filled' ? v.size : 0));
  const created = epochMs(v.creationTimestamp);
  return {
    orderId: String(v.id),
    clientOrderId: v.customTag ?? '',
    account,
    symbol,
    side: sideOf(v.side),
    qty: fromInt(v.size),
    filledQty: filled,
    avgFillPrice: filled > 0n ? opt(v.filledPrice) : undefined,
    type,
    limitPrice: opt(v.limitPrice),
    stopPrice: opt(v.stopPrice),
    // Order/search reports a trailing stop's trailPrice as its distance (unverified, docs/projectx.md).
    trailAmount: type === 'trailing_stop' ? opt(v.trailPrice) : undefined,
    reduceOnly: false,
    ocoGroup: undefined,
    parentOrderId: undefined,
    status,
    reason,
    createdTs: created,
    updatedTs: v.updateTimestamp ? epochMs(v.updateTimestamp) : created,
  };
}

export function toFill(t: VenueTrade, account: string, symbol: string): Fill {
  return {
    fillId: String(t.id),
    orderId: String(t.orderId),
    account,
    symbol,
    side: sideOf(t.side),
    qty: fromInt(t.size),
    price: fixedOfJson(t.price),
    fee: fixedOfJson(t.fees),
    ts: epochMs(t.creationTimestamp),
  };
}

export function toPosition(p: VenuePosition, account: string, symbol: string): BrokerPosition {
  const size = fromInt(p.size);
  if (p.type !== VENUE_POSITION.long && p.type !== VENUE_POSITION.short)
    throw invalid(`unknown position type ${p.type}`);
  return { account, symbol, qty: p.type === VENUE_POSITION.long ? size : -size, avgPrice: fixedOfJson(p.averagePrice) };
}

/** Whether a venue order is what `req` asks for (the idempotency check on a reused client key). */
export function sameOrder(req: OrderRequest, o: Order): boolean {
  const priceOk =
    (req.type === 'limit' ? req.limitPrice === o.limitPrice : true) &&
    (req.type === 'stop' ? req.stopPrice === o.stopPrice : true);
  return req.symbol === o.symbol && req.side === o.side && req.qty === o.qty && req.type === o.type && priceOk;
}
