/**
 * A compact form of parsed event lines, for handing events from the reader's worker thread to the
 * engine thread without structured-cloning one object per event (which costs what parsing does).
 *
 * The worker reads the common events (quote, order, order_status, fill) with `LineScanner` and
 * writes them as numbers in typed arrays: kind, line, places of their strings in the chunk text,
 * enums, time, decimal mantissas; accounts and symbols as indexes into a table both sides keep.
 * The engine thread rebuilds the same event objects from them. Every other line (account,
 * instrument, clock, anything the scanner leaves to the general path) is sent as its place only
 * and parsed again on the engine thread by JSON.parse + `parseEvent`, so every event is exactly
 * what the in-thread reader would have produced.
 */
import { fixedFromMantissa, ZERO, type Fixed } from '../../domain/money.ts';
import {
  lineAccount,
  ORDER_STATUSES,
  ORDER_TYPES,
  parseEvent,
  type EngineEvent,
  type OrderStatus,
  type OrderType,
  type Side,
} from '../../domain/events.ts';
import { NumberedEvent } from './numbered-event.ts';
import { LineScanner, SCANNED_FILL, SCANNED_ORDER, SCANNED_QUOTE } from './line-scanner.ts';

/** Int32 slots per event. */
const STRIDE = 14;
const KIND = 0; // 0: parse the line again; else a SCANNED_* kind
const LINE = 1;
const START = 2; // the line's place in the chunk
const END = 3;
const TS_AT = 4; // the (canonical) ts in the chunk
const TS_END = 5;
const ACCOUNT = 6; // table index of the line's "account" string, -1 none
const SYMBOL = 7; // table index
const ID_AT = 8; // orderId in the chunk
const ID_END = 9;
const FILL_ID_AT = 10; // fillId in the chunk (empty: none)
const FILL_ID_END = 11;
const ENUMS = 12; // sell | orderType << 1 | status << 4 | reduceOnly << 7 | SAME_TS
const PLACES = 13; // decimal places of the three decimals, 5 bits each; bit 15 + k: decimal k absent
/** Float64 slots per event: its time (epoch ms) and the three decimal mantissas. */
const NUMS = 4;

const K_LINE = 0;
/** ENUMS bit: the ts text is the previous event's (the engine thread reuses its string). */
const SAME_TS = 1 << 8;

/** Distinct account and symbol strings kept in the table; lines with others go as K_LINE. */
const TABLE_MAX = 1 << 16;

export interface EncodedBatch {
  /** The decoded chunk the lines were cut from. */
  chunk: string;
  /** The chunk's id when the reader posted its text to a journal's port (`ReadOptions.chunkSink`), else 0. */
  chunkId: number;
  count: number;
  ints: Int32Array<ArrayBuffer>;
  nums: Float64Array<ArrayBuffer>;
  /** Account and symbol strings new to the table, in index order. */
  table: string[];
}

const SIDES: readonly Side[] = ['buy', 'sell'];

/** Worker side: collects a chunk's events into an `EncodedBatch`. */
export class EventEncoder {
  readonly scanner = new LineScanner();
  private readonly tableIndex = new Map<string, number>();
  private lastTs: string | undefined;
  private chunk = '';
  private count = 0;
  private ints = new Int32Array(STRIDE * 1024);
  private nums = new Float64Array(NUMS * 1024);
  private table: string[] = [];

  begin(chunk: string): void {
    this.chunk = chunk;
    this.count = 0;
    this.table = [];
  }

  /** The line the scanner has just read (`scanner.scan` returned true). */
  addScanned(line: number, start: number, end: number): boolean {
    const sc = this.scanner;
    const chunk = this.chunk;
    const account = sc.accountStart < 0 ? -1 : this.ref(chunk.slice(sc.accountStart, sc.accountEnd));
    const symbol = sc.symbolStart < 0 ? -1 : this.ref(chunk.slice(sc.symbolStart, sc.symbolEnd));
    if (account === -2 || symbol === -2) return false;
    const i = this.slot(line, start, end);
    const ints = this.ints;
    ints[i + KIND] = sc.kind;
    const sameTs = sc.ts === this.lastTs;
    this.lastTs = sc.ts;
    ints[i + TS_AT] = sc.tsStart;
    ints[i + TS_END] = sc.tsEnd;
    ints[i + ACCOUNT] = account;
    ints[i + SYMBOL] = symbol;
    ints[i + ID_AT] = sc.orderIdStart;
    ints[i + ID_END] = sc.orderIdEnd;
    ints[i + FILL_ID_AT] = sc.fillIdStart;
    ints[i + FILL_ID_END] = sc.fillIdEnd;
    ints[i + ENUMS] =
      sc.sell | (sc.orderType << 1) | (sc.status << 4) | ((sc.reduceOnly ? 1 : 0) << 7) | (sameTs ? SAME_TS : 0);
    let places = 0;
    const n = (i / STRIDE) * NUMS;
    this.nums[n] = sc.t;
    for (let k = 0; k < 3; k++) {
      if (sc.present[k]) {
        this.nums[n + 1 + k] = sc.mantissas[k]!;
        places |= sc.places[k]! << (5 * k);
      } else places |= 1 << (15 + k);
    }
    ints[i + PLACES] = places;
    return true;
  }

  /** A line the engine thread parses again. */
  addLine(line: number, start: number, end: number): void {
    this.ints[this.slot(line, start, end) + KIND] = K_LINE;
    this.lastTs = undefined; // the engine thread takes that ts from the line: nothing to repeat
  }

  /** The batch so far (copies of the arrays: transfer them). */
  take(): EncodedBatch {
    const batch: EncodedBatch = {
      chunk: this.chunk,
      chunkId: 0,
      count: this.count,
      ints: this.ints.slice(0, this.count * STRIDE),
      nums: this.nums.slice(0, this.count * NUMS),
      table: this.table,
    };
    this.begin('');
    return batch;
  }

  private slot(line: number, start: number, end: number): number {
    if (this.count * STRIDE === this.ints.length) this.grow();
    const i = this.count++ * STRIDE;
    this.ints[i + LINE] = line;
    this.ints[i + START] = start;
    this.ints[i + END] = end;
    return i;
  }

  private grow(): void {
    const ints = new Int32Array(this.ints.length * 2);
    ints.set(this.ints);
    this.ints = ints;
    const nums = new Float64Array(this.nums.length * 2);
    nums.set(this.nums);
    this.nums = nums;
  }

  /** Table index of an account or symbol string; -2 when the table is full. */
  private ref(s: string): number {
    let id = this.tableIndex.get(s);
    if (id === undefined) {
      if (this.tableIndex.size >= TABLE_MAX) return -2;
      id = this.tableIndex.size;
      this.tableIndex.set(s, id);
      this.table.push(s);
    }
    return id;
  }
}

/** Engine thread side: rebuilds the events of an `EncodedBatch`. */
export class EventDecoder {
  private readonly table: string[] = [];
  private lastTs = '';

  /**
   * The events `from` … `to` (default: all) of a batch. Parts of a batch must be decoded in
   * order, each once, starting with event 0 (which brings the batch's new table entries).
   */
  decode(batch: EncodedBatch, from = 0, to = batch.count): NumberedEvent[] {
    if (from === 0) for (const s of batch.table) this.table.push(s);
    const { chunk, chunkId, ints, nums } = batch;
    const out: NumberedEvent[] = new Array(to - from);
    for (let k = from; k < to; k++) {
      const i = k * STRIDE;
      const start = ints[i + START]!;
      const end = ints[i + END]!;
      if (ints[i + KIND] === K_LINE) {
        const raw = JSON.parse(chunk.slice(start, end)) as Record<string, unknown>;
        out[k - from] = new NumberedEvent(
          ints[i + LINE]!,
          parseEvent(raw),
          chunk,
          start,
          end,
          lineAccount(raw),
          -1,
          chunkId,
        );
        continue;
      }
      const tsAt = ints[i + TS_AT]!;
      if ((ints[i + ENUMS]! & SAME_TS) === 0) this.lastTs = own(chunk, tsAt, ints[i + TS_END]!);
      const account = ints[i + ACCOUNT]! < 0 ? undefined : this.table[ints[i + ACCOUNT]!];
      out[k - from] = new NumberedEvent(
        ints[i + LINE]!,
        this.event(i, k * NUMS, account, chunk, ints, nums),
        chunk,
        start,
        end,
        account,
        tsAt,
        chunkId,
      );
    }
    return out;
  }

  private event(
    i: number,
    at: number,
    account: string | undefined,
    chunk: string,
    ints: Int32Array,
    nums: Float64Array,
  ): EngineEvent {
    const ts = this.lastTs;
    const t = nums[at]!;
    const n = at + 1; // the decimals
    const places = ints[i + PLACES]!;
    const enums = ints[i + ENUMS]!;
    const symbol = this.table[ints[i + SYMBOL]!]!; // (undefined for an order_status: unused)
    // Object literals with parseEvent's field order: the engine sees one shape per event type.
    switch (ints[i + KIND]) {
      case SCANNED_QUOTE:
        return {
          type: 'quote',
          ts,
          t,
          symbol,
          bid: optional(nums, n, places, 0),
          ask: optional(nums, n, places, 1),
          last: optional(nums, n, places, 2),
        };
      case SCANNED_ORDER:
        return {
          type: 'order',
          ts,
          t,
          account: account!,
          orderId: own(chunk, ints[i + ID_AT]!, ints[i + ID_END]!),
          symbol,
          side: SIDES[enums & 1]!,
          qty: fixedFromMantissa(nums[n]!, places & 31),
          orderType: ORDER_TYPES[(enums >> 1) & 7] as OrderType,
          price: optional(nums, n, places, 1),
          stopPrice: optional(nums, n, places, 2),
          reduceOnly: (enums & 128) !== 0,
        };
      case SCANNED_FILL:
        return {
          type: 'fill',
          ts,
          t,
          account: account!,
          orderId: own(chunk, ints[i + ID_AT]!, ints[i + ID_END]!),
          fillId: own(chunk, ints[i + FILL_ID_AT]!, ints[i + FILL_ID_END]!),
          symbol,
          side: SIDES[enums & 1]!,
          qty: fixedFromMantissa(nums[n]!, places & 31),
          price: fixedFromMantissa(nums[n + 1]!, (places >> 5) & 31),
          fee: optional(nums, n, places, 2) ?? ZERO,
        };
      default:
        return {
          type: 'order_status',
          ts,
          t,
          account: account!,
          orderId: own(chunk, ints[i + ID_AT]!, ints[i + ID_END]!),
          status: ORDER_STATUSES[(enums >> 4) & 7] as OrderStatus,
        };
    }
  }
}

/**
 * A piece of the chunk as a string of its own. V8 makes a slice of 13 or more characters a view
 * that keeps the whole chunk (~1 MiB) alive, and ids and times outlive their chunk in the engine
 * (working orders, RULE-006's log, the day book): a replay would hold on to most of the file.
 * The concatenation is flattened into a new string by the slice.
 */
function own(chunk: string, from: number, to: number): string {
  return to - from < 13 ? chunk.slice(from, to) : (' ' + chunk.slice(from, to)).slice(1);
}

function optional(nums: Float64Array, n: number, places: number, k: number): Fixed | undefined {
  return (places & (1 << (15 + k))) !== 0 ? undefined : fixedFromMantissa(nums[n + k]!, (places >> (5 * k)) & 31);
}
