/**
 * The market-wide topics of `GET /ws` beside the account channels (issue 14):
 *
 * - `{"op":"subscribe","channel":"indicators","symbol":"ES","indicator":"sma","params":{"period":20},"id"?:"…"}`
 *   an indicator of src/analytics/indicators.ts over the symbol's marks, one point per mark the
 *   node takes (a quote): warmed at once from the marks the server has seen (up to
 *   MAX_MARKS), then updated with every new one. Messages:
 *   `{"channel":"indicators","id","symbol","indicator","params","ts","data":{"value":…}}`, the
 *   value a number, `{macd,signal,histogram}` (macd), `{lower,middle,upper}` (bb), or null
 *   while it warms up.
 * - `{"op":"subscribe","channel":"labels","symbol"?:"ES"}`: chart label changes the caller may
 *   see (routes/labels.ts), `{"channel":"labels","symbol","ts","data":{"event":"created|updated|deleted","label":{…}}}`.
 *
 * Both are latest-value under flow control: while a client drains, an indicator keeps its newest
 * value and a label its newest change.
 */
import * as ind from '../analytics/indicators.ts';
import type { Principal } from './api-keys.ts';
import { itemJson } from './owned.ts';
import { mayRead, type LabelBody, type LabelChange, type Saved } from './workspace.ts';

export const TOPIC_INDICATORS = ['sma', 'ema', 'rsi', 'macd', 'bb', 'atr'] as const;
export type TopicIndicator = (typeof TOPIC_INDICATORS)[number];
/** Marks kept per symbol to warm a new indicator subscription. */
export const MAX_MARKS = 2_000;
/** Indicator subscriptions per connection. */
export const MAX_INDICATOR_SUBS = 50;

export interface IndicatorParams {
  period?: number;
  fast?: number;
  slow?: number;
  signal?: number;
  k?: number;
  seed?: ind.EmaSeed;
}

export type TopicOp =
  | {
      readonly op: 'subscribe-topic';
      readonly channel: 'indicators';
      readonly id: string;
      readonly symbol: string;
      readonly indicator: TopicIndicator;
      readonly params: IndicatorParams;
    }
  | { readonly op: 'subscribe-topic'; readonly channel: 'labels'; readonly symbols?: readonly string[] }
  | { readonly op: 'unsubscribe-topic'; readonly channel: 'indicators' | 'labels'; readonly id?: string };

const PARAMS: Record<TopicIndicator, readonly (keyof IndicatorParams)[]> = {
  sma: ['period'],
  ema: ['period', 'seed'],
  rsi: ['period'],
  macd: ['fast', 'slow', 'signal'],
  bb: ['period', 'k'],
  atr: ['period'],
};

const isSymbol = (x: unknown): x is string => typeof x === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/.test(x);
const isPeriod = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 1000;

/** The params of an indicator, or the message naming the bad one. */
function parseParams(indicator: TopicIndicator, x: unknown): IndicatorParams | string {
  if (x === undefined) return {};
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'params: expected an object';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(x)) {
    if (!(PARAMS[indicator] as readonly string[]).includes(key))
      return `params.${key.slice(0, 40)}: not a parameter of ${indicator} (${PARAMS[indicator].join(', ')})`;
    if (
      key === 'seed'
        ? v !== 'first' && v !== 'sma'
        : key === 'k'
          ? !(typeof v === 'number' && v > 0 && v <= 100)
          : !isPeriod(v)
    )
      return `params.${key}: ${key === 'seed' ? 'first or sma' : key === 'k' ? 'a number in (0, 100]' : 'an integer 1 to 1000'}`;
    out[key] = v;
  }
  return out as IndicatorParams;
}

/** A `subscribe`/`unsubscribe` naming one `channel` of this module; the message naming a bad field otherwise. */
export function parseTopicOp(m: Record<string, unknown>): TopicOp | string {
  const unsubscribe = m.op === 'unsubscribe';
  if (m.channel === 'labels') {
    if (unsubscribe) return { op: 'unsubscribe-topic', channel: 'labels' };
    if (m.symbol !== undefined && !isSymbol(m.symbol)) return 'symbol: expected a symbol';
    return { op: 'subscribe-topic', channel: 'labels', ...(m.symbol !== undefined ? { symbols: [m.symbol] } : {}) };
  }
  if (m.channel !== 'indicators')
    return 'channel: expected "indicators" or "labels" (account channels go in "channels")';
  if (m.id !== undefined && !(typeof m.id === 'string' && m.id.length > 0 && m.id.length <= 100))
    return 'id: expected a string of 1 to 100 characters';
  if (unsubscribe)
    return { op: 'unsubscribe-topic', channel: 'indicators', ...(m.id !== undefined ? { id: m.id as string } : {}) };
  if (!isSymbol(m.symbol)) return 'symbol: expected a symbol';
  if (!(TOPIC_INDICATORS as readonly unknown[]).includes(m.indicator))
    return `indicator: one of ${TOPIC_INDICATORS.join(', ')}`;
  const indicator = m.indicator as TopicIndicator;
  const params = parseParams(indicator, m.params);
  if (typeof params === 'string') return params;
  const id = (m.id as string | undefined) ?? `${indicator}:${m.symbol}:${JSON.stringify(params)}`;
  return { op: 'subscribe-topic', channel: 'indicators', id, symbol: m.symbol, indicator, params };
}

type Value = number | ind.MacdValue | ind.BandsValue | null;

function streamOf(indicator: TopicIndicator, p: IndicatorParams): (price: number) => Value {
  const make: Record<TopicIndicator, () => (price: number) => Value> = {
    sma: () => wrap(new ind.SmaStream(p.period ?? 20)),
    ema: () => wrap(new ind.EmaStream(p.period ?? 20, p.seed ?? 'first')),
    rsi: () => wrap(new ind.RsiStream(p.period ?? 14)),
    macd: () => wrap(new ind.MacdStream(p.fast ?? 12, p.slow ?? 26, p.signal ?? 9)),
    bb: () => wrap(new ind.BollingerStream(p.period ?? 20, p.k ?? 2)),
    // A mark is a bar whose high, low and close are the mark.
    atr: () => {
      const s = new ind.AtrStream(p.period ?? 14);
      return (price) => s.update({ high: price, low: price, close: price });
    },
  };
  return make[indicator]();
}

function wrap<O extends Value>(s: ind.StreamingIndicator<number, O>): (price: number) => Value {
  return (price) => s.update(price);
}

/** The marks of each symbol the server has seen (a bounded window), to warm new subscriptions. */
export class MarkHistory {
  private readonly series = new Map<string, { ts: string; price: number }[]>();

  add(symbol: string, ts: string, price: number): void {
    let s = this.series.get(symbol);
    if (!s) this.series.set(symbol, (s = []));
    s.push({ ts, price });
    if (s.length > MAX_MARKS) s.splice(0, s.length - MAX_MARKS);
  }

  of(symbol: string): readonly { ts: string; price: number }[] {
    return this.series.get(symbol) ?? [];
  }
}

interface IndicatorSub {
  readonly op: Extract<TopicOp, { channel: 'indicators' }>;
  readonly update: (price: number) => Value;
}

/** One connection's topic subscriptions and what waits to be written (latest per key). */
export class TopicSubscriptions {
  private readonly indicators = new Map<string, IndicatorSub>();
  /** Label subscription: undefined = none, null = every symbol. */
  private labelSymbols: Set<string> | null | undefined;
  readonly pending = new Map<string, string>();

  constructor(private readonly marks: MarkHistory) {}

  /** Subscribes; the reply to send, or an error message. */
  subscribe(op: Extract<TopicOp, { op: 'subscribe-topic' }>): Record<string, unknown> | string {
    if (op.channel === 'labels') {
      this.labelSymbols =
        !op.symbols || this.labelSymbols === null ? null : new Set([...(this.labelSymbols ?? []), ...op.symbols]);
      return { op: 'subscribed', channel: 'labels', symbols: this.labelSymbols ? [...this.labelSymbols] : null };
    }
    if (!this.indicators.has(op.id) && this.indicators.size >= MAX_INDICATOR_SUBS)
      return `id: at most ${MAX_INDICATOR_SUBS} indicator subscriptions per connection`;
    const sub: IndicatorSub = { op, update: streamOf(op.indicator, op.params) };
    this.indicators.set(op.id, sub);
    const history = this.marks.of(op.symbol);
    let value: Value = null;
    for (const m of history) value = sub.update(m.price);
    if (history.length > 0) this.pending.set(`i:${op.id}`, this.indicatorWire(sub, history.at(-1)!.ts, value));
    return { op: 'subscribed', channel: 'indicators', id: op.id, symbol: op.symbol, marks: history.length };
  }

  unsubscribe(op: Extract<TopicOp, { op: 'unsubscribe-topic' }>): Record<string, unknown> {
    if (op.channel === 'labels') {
      this.labelSymbols = undefined;
      for (const k of [...this.pending.keys()]) if (k.startsWith('l:')) this.pending.delete(k);
    } else {
      for (const id of op.id !== undefined ? [op.id] : [...this.indicators.keys()]) {
        this.indicators.delete(id);
        this.pending.delete(`i:${id}`);
      }
    }
    return { op: 'unsubscribed', channel: op.channel, ...(op.id !== undefined ? { id: op.id } : {}) };
  }

  /** A new mark of a symbol: every indicator on it moves. Returns whether anything is due. */
  onMark(symbol: string, ts: string, price: number): boolean {
    let due = false;
    for (const [id, sub] of this.indicators) {
      if (sub.op.symbol !== symbol) continue;
      this.pending.set(`i:${id}`, this.indicatorWire(sub, ts, sub.update(price)));
      due = true;
    }
    return due;
  }

  /** A label change: queued when the caller may see it and follows its symbol. */
  onLabel(p: Principal, change: LabelChange, label: Saved<LabelBody>, ts: string): boolean {
    if (this.labelSymbols === undefined || !mayRead(p, label)) return false;
    if (this.labelSymbols !== null && !this.labelSymbols.has(label.body.symbol)) return false;
    const data = { event: change, label: itemJson(label) };
    this.pending.set(`l:${label.id}`, JSON.stringify({ channel: 'labels', symbol: label.body.symbol, ts, data }));
    return true;
  }

  clear(): void {
    this.indicators.clear();
    this.labelSymbols = undefined;
    this.pending.clear();
  }

  private indicatorWire(sub: IndicatorSub, ts: string, value: Value): string {
    const { id, symbol, indicator, params } = sub.op;
    return JSON.stringify({ channel: 'indicators', id, symbol, indicator, params, ts, data: { value } });
  }
}
