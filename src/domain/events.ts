/**
 * The event log format (DESIGN §4): one JSON object per line, ISO-8601 UTC times, decimal strings
 * for prices and money. `parseEvent` validates one decoded object and names the bad field.
 */
import { parseFixed, fromInt, ZERO, type Fixed } from './money.ts';

export type Side = 'buy' | 'sell';
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const ORDER_STATUSES = ['working', 'filled', 'cancelled', 'rejected'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

interface Base {
  /** Original ISO string and epoch ms. */
  readonly ts: string;
  readonly t: number;
}

export interface InstrumentEvent extends Base {
  readonly type: 'instrument';
  readonly symbol: string;
  readonly tickSize: Fixed;
  readonly tickValue: Fixed;
  readonly currency: string;
}
export interface AccountEvent extends Base {
  readonly type: 'account';
  readonly account: string;
  readonly canTrade: boolean | undefined;
  readonly balance: Fixed | undefined;
}
export interface QuoteEvent extends Base {
  readonly type: 'quote';
  readonly symbol: string;
  readonly bid: Fixed | undefined;
  readonly ask: Fixed | undefined;
  readonly last: Fixed | undefined;
}
export interface OrderEvent extends Base {
  readonly type: 'order';
  readonly account: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Fixed;
  readonly orderType: OrderType;
  readonly price: Fixed | undefined;
  readonly stopPrice: Fixed | undefined;
  readonly reduceOnly: boolean;
}
export interface OrderStatusEvent extends Base {
  readonly type: 'order_status';
  readonly account: string;
  readonly orderId: string;
  readonly status: OrderStatus;
}
/**
 * A change of a working order at the venue (DESIGN §4): its new total quantity (filled part
 * included), limit price or stop price; an absent field stays as it was.
 */
export interface OrderUpdateEvent extends Base {
  readonly type: 'order_update';
  readonly account: string;
  readonly orderId: string;
  readonly qty: Fixed | undefined;
  readonly price: Fixed | undefined;
  readonly stopPrice: Fixed | undefined;
}
export interface FillEvent extends Base {
  readonly type: 'fill';
  readonly account: string;
  readonly orderId: string;
  readonly fillId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
}
export interface ClockEvent extends Base {
  readonly type: 'clock';
}

export type EngineEvent =
  | InstrumentEvent
  | AccountEvent
  | QuoteEvent
  | OrderEvent
  | OrderStatusEvent
  | OrderUpdateEvent
  | FillEvent
  | ClockEvent;

export const EVENT_TYPES = [
  'instrument',
  'account',
  'quote',
  'order',
  'order_status',
  'order_update',
  'fill',
  'clock',
] as const;

/** A validation problem: the field it concerns and why. */
export class EventFieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly unknownType = false,
  ) {
    super(`field "${field}": ${reason}`);
    this.name = 'EventFieldError';
  }
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Epoch ms of a canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` time (the form every writer emits), or NaN
 * for anything else. Only valid calendar fields pass (no Feb 30, no 24:00), so a string accepted
 * here is exactly `isoOf` of its value and Date.parse would return the same number.
 */
export function canonicalIsoMs(s: string): number {
  // Consecutive events often carry the same time, and always mostly the same day: the last
  // answer and the last day's epoch ms are reused (t = day + time of day, as Date.UTC computes).
  if (s === lastIso) return lastIsoMs;
  // Same minute as the last one (the usual case): only seconds and milliseconds to read.
  if (s.length === 24 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90 && s.startsWith(lastMinute)) {
    const sec = digits(s, 17, 2);
    const ms = digits(s, 20, 3);
    if (sec >= 0 && sec <= 59 && ms >= 0) {
      lastIso = s;
      lastIsoMs = lastMinuteMs + sec * 1000 + ms;
      return lastIsoMs;
    }
  }
  const t = canonicalIsoMsUncached(s);
  if (t === t) {
    lastIso = s;
    lastIsoMs = t;
    lastMinute = s.slice(0, 17);
    lastMinuteMs = t - (((t % 60_000) + 60_000) % 60_000);
  }
  return t;
}

let lastIso: string | undefined;
let lastIsoMs = NaN;
/** `YYYY-MM-DDTHH:MM:` of the last fully parsed time, and that minute's epoch ms. */
let lastMinute = '\u0000';
let lastMinuteMs = NaN;
let lastDayKey = -1;
let lastDayMs = NaN;

function canonicalIsoMsUncached(s: string): number {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 ||
    s.charCodeAt(23) !== 90
  ) {
    return NaN;
  }
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  // Years 0–99 fall back: Date.UTC reads them as 1900–1999.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0)
    return NaN;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return NaN;
  const dayKey = (y * 100 + mo) * 100 + d;
  if (dayKey !== lastDayKey) {
    lastDayMs = Date.UTC(y, mo - 1, d);
    lastDayKey = dayKey;
  }
  return lastDayMs + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

export function parseTimestamp(value: unknown, field = 'ts'): number {
  if (typeof value === 'string') {
    const fast = canonicalIsoMs(value);
    if (fast === fast) return fast; // not NaN
  }
  if (typeof value !== 'string' || !ISO_RE.test(value)) {
    throw new EventFieldError(field, 'expected an ISO-8601 time such as "2026-03-02T14:30:00.000Z"');
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new EventFieldError(field, `not a valid time: ${value}`);
  return t;
}

// The helpers take the field's value, not (object, name): each call site then reads a named
// property (`o.account`), which stays monomorphic, instead of one shared `o[field]` lookup that
// sees every field of every event type.

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new EventFieldError(field, 'expected a non-empty string');
  return v;
}

function decimal(v: unknown, field: string): Fixed {
  if (typeof v !== 'string') {
    throw new EventFieldError(
      field,
      typeof v === 'number' ? 'expected a decimal string (quote numbers: "18000.25")' : 'expected a decimal string',
    );
  }
  try {
    return parseFixed(v);
  } catch {
    throw new EventFieldError(field, `not an exact decimal: ${JSON.stringify(v)}`);
  }
}

function optDecimal(v: unknown, field: string): Fixed | undefined {
  return v === undefined || v === null ? undefined : decimal(v, field);
}

/** Quantity: a positive JSON integer or a positive decimal string. */
function quantity(v: unknown, field: string): Fixed {
  let q: Fixed;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new EventFieldError(field, 'expected a positive integer or a decimal string');
    q = fromInt(v);
  } else if (typeof v === 'string') {
    q = decimal(v, field);
  } else {
    throw new EventFieldError(field, 'expected a positive integer or a decimal string');
  }
  if (q <= ZERO) throw new EventFieldError(field, 'must be positive');
  return q;
}

function side(v: unknown): Side {
  if (v !== 'buy' && v !== 'sell') throw new EventFieldError('side', 'expected "buy" or "sell"');
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new EventFieldError(field, `expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** Validates one decoded event object. */
export function parseEvent(raw: unknown): EngineEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new EventFieldError('(line)', 'expected a JSON object');
  const o = raw as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string') throw new EventFieldError('type', 'missing event type');
  const t = parseTimestamp(o.ts);
  const ts = o.ts as string;
  switch (type) {
    case 'instrument': {
      const tickSize = decimal(o.tickSize, 'tickSize');
      if (tickSize <= ZERO) throw new EventFieldError('tickSize', 'must be positive');
      const tickValue = decimal(o.tickValue, 'tickValue');
      if (tickValue <= ZERO) throw new EventFieldError('tickValue', 'must be positive');
      const currency = o.currency === undefined ? 'USD' : str(o.currency, 'currency');
      return { type, ts, t, symbol: str(o.symbol, 'symbol'), tickSize, tickValue, currency };
    }
    case 'account': {
      if (o.canTrade !== undefined && typeof o.canTrade !== 'boolean')
        throw new EventFieldError('canTrade', 'expected true or false');
      return {
        type,
        ts,
        t,
        account: str(o.account, 'account'),
        canTrade: o.canTrade as boolean | undefined,
        balance: optDecimal(o.balance, 'balance'),
      };
    }
    case 'quote':
      return {
        type,
        ts,
        t,
        symbol: str(o.symbol, 'symbol'),
        bid: optDecimal(o.bid, 'bid'),
        ask: optDecimal(o.ask, 'ask'),
        last: optDecimal(o.last, 'last'),
      };
    case 'order': {
      const orderType = o.orderType === undefined ? 'market' : oneOf(o.orderType, 'orderType', ORDER_TYPES);
      if (o.reduceOnly !== undefined && typeof o.reduceOnly !== 'boolean')
        throw new EventFieldError('reduceOnly', 'expected true or false');
      return {
        type,
        ts,
        t,
        account: str(o.account, 'account'),
        orderId: str(o.orderId, 'orderId'),
        symbol: str(o.symbol, 'symbol'),
        side: side(o.side),
        qty: quantity(o.qty, 'qty'),
        orderType,
        price: optDecimal(o.price, 'price'),
        stopPrice: optDecimal(o.stopPrice, 'stopPrice'),
        reduceOnly: o.reduceOnly === true,
      };
    }
    case 'order_status':
      return {
        type,
        ts,
        t,
        account: str(o.account, 'account'),
        orderId: str(o.orderId, 'orderId'),
        status: oneOf(o.status, 'status', ORDER_STATUSES),
      };
    case 'order_update': {
      const update = {
        type,
        ts,
        t,
        account: str(o.account, 'account'),
        orderId: str(o.orderId, 'orderId'),
        qty: o.qty === undefined || o.qty === null ? undefined : quantity(o.qty, 'qty'),
        price: optDecimal(o.price, 'price'),
        stopPrice: optDecimal(o.stopPrice, 'stopPrice'),
      };
      if (update.qty === undefined && update.price === undefined && update.stopPrice === undefined)
        throw new EventFieldError('qty', 'an order_update changes at least one of qty, price, stopPrice');
      return update;
    }
    case 'fill': {
      const fee = o.fee === undefined || o.fee === null ? ZERO : decimal(o.fee, 'fee');
      return {
        type,
        ts,
        t,
        account: str(o.account, 'account'),
        orderId: str(o.orderId, 'orderId'),
        fillId: o.fillId === undefined ? '' : str(o.fillId, 'fillId'),
        symbol: str(o.symbol, 'symbol'),
        side: side(o.side),
        qty: quantity(o.qty, 'qty'),
        price: decimal(o.price, 'price'),
        fee,
      };
    }
    case 'clock':
      return { type, ts, t };
    default:
      throw new EventFieldError('type', `unknown event type ${JSON.stringify(type)}`, true);
  }
}

/** The account a decoded event line names, whatever its type: the journal record's account. */
export function lineAccount(raw: Record<string, unknown>): string | undefined {
  return typeof raw.account === 'string' ? raw.account : undefined;
}

const DAY_MS = 86_400_000;
let isoDayStart = NaN;
let isoDayPrefix = '';
let isoLastT = NaN;
let isoLast = '';

/**
 * Canonical ISO string (UTC, milliseconds) of epoch ms: `new Date(t).toISOString()`. Every
 * journal record and decision carries one, and a new Date plus its formatting costs ~0.5 µs, so
 * the time of day is written out by arithmetic after the day's "YYYY-MM-DDT" (kept for the last
 * day asked), and consecutive events, which often share a time, get the last answer again.
 * Times that are not whole ms or outside years 0000–9999 go through Date.
 */
export function isoOf(t: number): string {
  if (t === isoLastT) return isoLast;
  if (!(t >= isoDayStart && t < isoDayStart + DAY_MS)) {
    if (!Number.isInteger(t) || t < -62_167_219_200_000 || t > 253_402_300_799_999) return new Date(t).toISOString();
    isoDayStart = Math.floor(t / DAY_MS) * DAY_MS;
    isoDayPrefix = new Date(isoDayStart).toISOString().slice(0, 11);
  } else if (!Number.isInteger(t)) return new Date(t).toISOString();
  let ms = t - isoDayStart;
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const s = Math.floor(ms / 1000);
  ms -= s * 1000;
  isoLastT = t;
  isoLast = `${isoDayPrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  return isoLast;
}
