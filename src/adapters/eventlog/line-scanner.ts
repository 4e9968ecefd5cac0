/**
 * Reads the common event lines (quote, order, order_status, fill) without JSON.parse: one pass
 * over the line's bytes (lines whose bytes and characters are at the same places) that finds each
 * field's value in place, checked by the rules `parseEvent` applies. Anything it is not sure of
 * (escapes in strings, numbers other than small positive integers, nested values, other event
 * types, times not in the canonical form, long decimals, a bad value) answers "not mine", and the
 * caller parses the line with JSON.parse + `parseEvent`, which then accepts it or names the bad
 * field. So a line this accepts is an event `parseEvent` would accept with the same values
 * (property-tested), and every error is `parseEvent`'s own.
 */
import { canonicalIsoMs, ORDER_STATUSES, ORDER_TYPES } from '../../domain/events.ts';
import { decimalPlaces, shortDecimalMantissa } from '../../domain/money.ts';

/** The fields read, by index. */
const F_TS = 0;
const F_TYPE = 1;
const F_ACCOUNT = 2;
const F_SYMBOL = 3;
const F_ORDER_ID = 4;
const F_FILL_ID = 5;
const F_SIDE = 6;
const F_QTY = 7;
const F_PRICE = 8;
const F_STOP_PRICE = 9;
const F_FEE = 10;
const F_BID = 11;
const F_ASK = 12;
const F_LAST = 13;
const F_ORDER_TYPE = 14;
const F_STATUS = 15;
const F_REDUCE_ONLY = 16;
const FIELDS = 17;

/** What a field's value was. */
const V_ABSENT = 0;
const V_STRING = 1; // at [start, end) of the text, no escapes
const V_INT = 2; // a positive integer of at most 15 digits, in `ints`
const V_TRUE = 3;
const V_FALSE = 4;
const V_NULL = 5;

export const SCANNED_QUOTE = 1;
export const SCANNED_ORDER = 2;
export const SCANNED_FILL = 3;
export const SCANNED_STATUS = 4;

const ascii = (name: string): Uint8Array => Uint8Array.from(name, (c) => c.charCodeAt(0));
/** The key of each field, as bytes. */
const KEY_NAMES: readonly Uint8Array[] = [
  'ts',
  'type',
  'account',
  'symbol',
  'orderId',
  'fillId',
  'side',
  'qty',
  'price',
  'stopPrice',
  'fee',
  'bid',
  'ask',
  'last',
  'orderType',
  'status',
  'reduceOnly',
].map(ascii);
const TYPES = [ascii('quote'), ascii('order'), ascii('fill'), ascii('order_status')];
const TYPE_KINDS = [SCANNED_QUOTE, SCANNED_ORDER, SCANNED_FILL, SCANNED_STATUS];
const SIDE_NAMES = [ascii('buy'), ascii('sell')];
const ORDER_TYPE_NAMES = ORDER_TYPES.map(ascii);
const STATUS_NAMES = ORDER_STATUSES.map(ascii);

/** Whether b[at, at + name.length) holds `name`. */
function sameBytes(b: Uint8Array, at: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if (b[at + k] !== name[k]) return false;
  return true;
}

/** The field a key of this length and first byte can only be, or -1 (`keyIndex` confirms it). */
function candidate(length: number, first: number): number {
  switch (length) {
    case 2:
      return first === 116 ? F_TS : -1; // t
    case 3:
      return first === 113 ? F_QTY : first === 102 ? F_FEE : first === 98 ? F_BID : first === 97 ? F_ASK : -1; // q f b a
    case 4:
      return first === 116 ? F_TYPE : first === 115 ? F_SIDE : first === 108 ? F_LAST : -1; // t s l
    case 5:
      return first === 112 ? F_PRICE : -1; // p
    case 6:
      return first === 115 ? -2 : first === 102 ? F_FILL_ID : -1; // s: symbol or status; f
    case 7:
      return first === 97 ? F_ACCOUNT : first === 111 ? F_ORDER_ID : -1; // a o
    case 9:
      return first === 115 ? F_STOP_PRICE : first === 111 ? F_ORDER_TYPE : -1; // s o
    case 10:
      return first === 114 ? F_REDUCE_ONLY : -1; // r
    default:
      return -1;
  }
}

/** Index of the key at b[ks, ke), or -1 for a key no event type here reads. */
function keyIndex(b: Uint8Array, ks: number, ke: number): number {
  let f = candidate(ke - ks, b[ks]!);
  if (f === -2) f = b[ks + 1] === 121 ? F_SYMBOL : F_STATUS; // sy…, st…
  return f >= 0 && sameBytes(b, ks, KEY_NAMES[f]!) ? f : -1;
}

/** Index of b[a, e) among `names`, or -1. */
function indexIn(b: Uint8Array, a: number, e: number, names: readonly Uint8Array[]): number {
  for (let k = 0; k < names.length; k++) if (names[k]!.length === e - a && sameBytes(b, a, names[k]!)) return k;
  return -1;
}

/** End of the JSON string starting after the quote at `i`, or -1 if it has escapes or control characters. */
function stringEnd(b: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 34) return i;
    if (c === 92 || c < 32) return -1;
  }
  return -1;
}

/** Past the JSON whitespace at b[i…]. */
function skipSpace(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

/**
 * One scanner, reused line after line. After `scan` returns true, the fields below describe the
 * event: its kind (SCANNED_*), time, where its strings are in the text, its enums and up to three
 * decimals as mantissa and places (see `decimal`).
 */
export class LineScanner {
  private readonly kinds = new Uint8Array(FIELDS);
  private readonly starts = new Int32Array(FIELDS);
  private readonly ends = new Int32Array(FIELDS);
  private readonly ints = new Float64Array(FIELDS);
  private text = '';

  kind = 0;
  t = 0;
  /** The time as written, and where. */
  ts = '';
  tsStart = 0;
  tsEnd = 0;
  /**
   * Where the strings are: account (-1 when the line has no account string), symbol (-1 for an
   * order_status), orderId, fillId (start = end: none).
   */
  accountStart = -1;
  accountEnd = -1;
  symbolStart = 0;
  symbolEnd = 0;
  orderIdStart = 0;
  orderIdEnd = 0;
  fillIdStart = 0;
  fillIdEnd = 0;
  /** 1 for sell; the order type's index in ORDER_TYPES; the status's index in ORDER_STATUSES. */
  sell = 0;
  orderType = 0;
  status = 0;
  reduceOnly = false;
  /** Three decimals: quote bid/ask/last, order qty/price/stopPrice, fill qty/price/fee. */
  readonly mantissas = new Float64Array(3);
  readonly places = new Int8Array(3);
  /** Whether each decimal is there (absent: undefined; a fill's fee: zero). */
  readonly present = new Uint8Array(3);

  /**
   * Whether the line at bytes[start, end) is one this reads; false: parse it the general way. The
   * line must be `text` from `start + delta` on, one character per byte (places are reported in
   * `text`).
   */
  scan(b: Uint8Array, start: number, end: number, text: string, delta: number): boolean {
    this.text = text;
    this.delta = delta;
    const kinds = this.kinds;
    const gen = ++this.generation;
    let i = skipSpace(b, start, end);
    if (i >= end || b[i] !== 123) return false; // {
    i++;
    for (;;) {
      i = skipSpace(b, i, end);
      if (i >= end || b[i] !== 34) return false; // a key (an empty object is not an event here)
      const ks = i + 1;
      const ke = stringEnd(b, ks, end);
      if (ke < 0) return false;
      i = skipSpace(b, ke + 1, end);
      if (i >= end || b[i] !== 58) return false; // :
      i = skipSpace(b, i + 1, end);
      const f = keyIndex(b, ks, ke);
      const c = i < end ? b[i]! : -1;
      let kind: number;
      if (c === 34) {
        const ve = stringEnd(b, i + 1, end);
        if (ve < 0) return false;
        if (f >= 0) {
          this.starts[f] = i + 1;
          this.ends[f] = ve;
        }
        kind = V_STRING;
        i = ve + 1;
      } else if (c >= 49 && c <= 57) {
        let v = 0;
        const from = i;
        for (let d = c; d >= 48 && d <= 57; d = i < end ? b[i]! : -1) {
          v = v * 10 + (d - 48);
          i++;
        }
        const next = i < end ? b[i] : -1;
        if (i - from > 15 || next === 46 || next === 101 || next === 69) return false; // . e E: not a small integer
        if (f >= 0) this.ints[f] = v;
        kind = V_INT;
      } else if (c === 116 && i + 4 <= end && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
        kind = V_TRUE;
        i += 4;
      } else if (
        c === 102 &&
        i + 5 <= end &&
        b[i + 1] === 97 &&
        b[i + 2] === 108 &&
        b[i + 3] === 115 &&
        b[i + 4] === 101
      ) {
        kind = V_FALSE;
        i += 5;
      } else if (c === 110 && i + 4 <= end && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) {
        kind = V_NULL;
        i += 4;
      } else return false; // negative or zero-led numbers, objects, arrays: the general path
      if (f >= 0) {
        // A repeated key: the last one counts, as with JSON.parse.
        kinds[f] = kind;
        this.seen[f] = gen;
      }
      i = skipSpace(b, i, end);
      const sep = i < end ? b[i] : -1;
      i++;
      if (sep === 44) continue; // ,
      if (sep !== 125) return false; // }
      if (skipSpace(b, i, end) !== end) return false;
      break;
    }
    return this.event(b);
  }

  private readonly seen = new Uint32Array(FIELDS);
  private generation = 0;
  private delta = 0;

  /** What field f held on this line (V_ABSENT when not there). */
  private kindOf(f: number): number {
    return this.seen[f] === this.generation ? this.kinds[f]! : V_ABSENT;
  }

  /** The event checks of `parseEvent` on the fields found. */
  private event(b: Uint8Array): boolean {
    if (this.kindOf(F_TS) !== V_STRING || this.kindOf(F_TYPE) !== V_STRING) return false;
    const typeIndex = indexIn(b, this.starts[F_TYPE]!, this.ends[F_TYPE]!, TYPES);
    if (typeIndex < 0) return false;
    const type = TYPE_KINDS[typeIndex]!;
    const d = this.delta;
    this.tsStart = this.starts[F_TS]! + d;
    this.tsEnd = this.ends[F_TS]! + d;
    this.ts = this.text.slice(this.tsStart, this.tsEnd);
    this.t = canonicalIsoMs(this.ts);
    if (this.t !== this.t) return false; // not canonical (or not a time): the general path decides
    this.kind = type;
    this.sell = this.orderType = this.status = 0; // (only the fields of the type are read below)
    this.reduceOnly = false;
    // The journal's account is the line's "account" string whatever the type.
    const hasAccount = this.kindOf(F_ACCOUNT) === V_STRING;
    this.accountStart = hasAccount ? this.starts[F_ACCOUNT]! + d : -1;
    this.accountEnd = hasAccount ? this.ends[F_ACCOUNT]! + d : -1;
    if (type === SCANNED_STATUS)
      this.symbolStart = this.symbolEnd = -1; // not read
    else if (!this.nonEmpty(F_SYMBOL)) return false;
    else {
      this.symbolStart = this.starts[F_SYMBOL]! + d;
      this.symbolEnd = this.ends[F_SYMBOL]! + d;
    }
    if (type === SCANNED_QUOTE)
      return this.decimal(0, F_BID, false) && this.decimal(1, F_ASK, false) && this.decimal(2, F_LAST, false);
    if (!this.nonEmpty(F_ACCOUNT) || !this.nonEmpty(F_ORDER_ID)) return false;
    this.orderIdStart = this.starts[F_ORDER_ID]! + d;
    this.orderIdEnd = this.ends[F_ORDER_ID]! + d;
    if (type === SCANNED_STATUS) {
      this.status = this.oneOf(b, F_STATUS, STATUS_NAMES);
      return this.status >= 0;
    }
    this.sell = this.oneOf(b, F_SIDE, SIDE_NAMES);
    if (this.sell < 0 || !this.quantity()) return false;
    if (type === SCANNED_ORDER) {
      this.orderType = this.kindOf(F_ORDER_TYPE) === V_ABSENT ? 0 : this.oneOf(b, F_ORDER_TYPE, ORDER_TYPE_NAMES); // absent: market
      const reduce = this.kindOf(F_REDUCE_ONLY);
      if (this.orderType < 0 || (reduce !== V_ABSENT && reduce !== V_TRUE && reduce !== V_FALSE)) return false;
      this.reduceOnly = reduce === V_TRUE;
      return this.decimal(1, F_PRICE, false) && this.decimal(2, F_STOP_PRICE, false);
    }
    const fillId = this.kindOf(F_FILL_ID);
    if (fillId === V_ABSENT) this.fillIdStart = this.fillIdEnd = 0;
    else if (!this.nonEmpty(F_FILL_ID)) return false;
    else {
      this.fillIdStart = this.starts[F_FILL_ID]! + d;
      this.fillIdEnd = this.ends[F_FILL_ID]! + d;
    }
    return this.decimal(1, F_PRICE, true) && this.decimal(2, F_FEE, false);
  }

  private nonEmpty(f: number): boolean {
    return this.kindOf(f) === V_STRING && this.ends[f]! > this.starts[f]!;
  }

  /** Index of a string field's value in `names`, or -1. */
  private oneOf(b: Uint8Array, f: number, names: readonly Uint8Array[]): number {
    return this.kindOf(f) === V_STRING ? indexIn(b, this.starts[f]!, this.ends[f]!, names) : -1;
  }

  /** A positive JSON integer or a positive short decimal string, into decimal slot 0. */
  private quantity(): boolean {
    if (this.kindOf(F_QTY) === V_INT) {
      this.mantissas[0] = this.ints[F_QTY]!; // positive: the scan takes no '-' and no leading 0
      this.places[0] = 0;
      this.present[0] = 1;
      return true;
    }
    return this.decimal(0, F_QTY, true) && this.mantissas[0]! > 0;
  }

  /**
   * A decimal field into slot k: a short decimal string (mantissa and places), or absent / null
   * when the field is optional. Anything else is the general path's to judge.
   */
  private decimal(k: number, f: number, required: boolean): boolean {
    const kind = this.kindOf(f);
    if (kind === V_ABSENT || kind === V_NULL) {
      this.present[k] = 0;
      return !required;
    }
    if (kind !== V_STRING) return false;
    const a = this.starts[f]! + this.delta;
    const e = this.ends[f]! + this.delta;
    const m = shortDecimalMantissa(this.text, a, e);
    if (m !== m) return false;
    this.mantissas[k] = m;
    this.places[k] = decimalPlaces(this.text, a, e);
    this.present[k] = 1;
    return true;
  }
}
