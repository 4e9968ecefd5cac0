/**
 * The ProjectX market hub (docs/projectx.md): per contract `SubscribeContractQuotes`,
 * `SubscribeContractTrades` and (optionally) `SubscribeContractMarketDepth`, answered by
 * `GatewayQuote(contractId, quote)`, `GatewayTrade(contractId, trades)` and
 * `GatewayDepth(contractId, levels)`. Re-subscribes after every reconnect.
 *
 * Quotes become riskgate Quotes (bid / ask / last). A trade print becomes a last-price Quote only
 * while the symbol has no fresh bid/ask quote, so marks come from the tape when quotes are thin
 * without flipping between mid and last. Every price passes the MarkWatch (marks.ts): an update
 * older than one already delivered is dropped, and a down hub marks every price stale.
 * Quote fields read: `bestBid`, `bestAsk`, `lastPrice`, `timestamp` — each optional, since an
 * update may carry only what changed; trade fields `price`, `volume`, `timestamp`.
 */
import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import { z } from 'zod';
import type { Quote } from '../broker.ts';
import { fixedOfJson } from './mapper.ts';
import { closeHub, openHub, type HubConnectionOptions } from './hub-connection.ts';
import type { MarkWatch } from './marks.ts';
import type { Fixed } from '../../domain/money.ts';

const gatewayQuote = z.object({
  bestBid: z.number().nullable().optional(),
  bestAsk: z.number().nullable().optional(),
  lastPrice: z.number().nullable().optional(),
  timestamp: z.string().nullable().optional(),
  lastUpdated: z.string().nullable().optional(),
});
const gatewayTrade = z.object({
  price: z.number(),
  volume: z.number().nullable().optional(),
  timestamp: z.string().nullable().optional(),
});
const gatewayDepth = z.object({
  price: z.number(),
  volume: z.number(),
  type: z.number().int(),
  timestamp: z.string().nullable().optional(),
});

/** One depth level update as the venue sends it (`type` is the venue's DOM code, unmapped). */
export interface DepthLevel {
  readonly symbol: string;
  readonly ts: number;
  readonly price: Fixed;
  readonly volume: number;
  readonly type: number;
}

export interface MarketHubOptions extends Omit<HubConnectionOptions, 'onDown' | 'onUp'> {
  /** The symbol of a contract id, when known (unknown contracts are dropped). */
  readonly symbolOf: (contractId: string) => string | undefined;
  readonly onQuote: (q: Quote) => void;
  readonly onDepth?: (d: DepthLevel) => void;
  readonly marks: MarkWatch;
  readonly now: () => number;
}

const opt = (n: number | null | undefined) => (n === null || n === undefined ? undefined : fixedOfJson(n));
const timeOf = (iso: string | null | undefined, now: number) => {
  const ts = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ts) ? now : ts;
};
/** The venue sends one record or an array of them. */
const many = (payload: unknown): unknown[] => (Array.isArray(payload) ? payload : [payload]);

/** A GatewayQuote payload as a riskgate Quote (undefined when unreadable). */
export function quoteOf(symbol: string, payload: unknown, now: number): Quote | undefined {
  const r = gatewayQuote.safeParse(payload);
  if (!r.success) return undefined;
  const q: Quote = {
    symbol,
    ts: timeOf(r.data.timestamp ?? r.data.lastUpdated, now),
    ...(opt(r.data.bestBid) !== undefined ? { bid: opt(r.data.bestBid) } : {}),
    ...(opt(r.data.bestAsk) !== undefined ? { ask: opt(r.data.bestAsk) } : {}),
    ...(opt(r.data.lastPrice) !== undefined ? { last: opt(r.data.lastPrice) } : {}),
  };
  return q;
}

/** The newest print of a GatewayTrade payload as a last-price Quote (undefined when unreadable). */
export function tradeQuoteOf(symbol: string, payload: unknown, now: number): Quote | undefined {
  let best: Quote | undefined;
  for (const item of many(payload)) {
    const r = gatewayTrade.safeParse(item);
    if (!r.success) continue;
    const q: Quote = { symbol, ts: timeOf(r.data.timestamp, now), last: fixedOfJson(r.data.price) };
    if (!best || q.ts >= best.ts) best = q;
  }
  return best;
}

export class MarketHub {
  private conn: HubConnection | undefined;
  private readonly contracts = new Set<string>();

  constructor(private readonly o: MarketHubOptions) {}

  async start(): Promise<void> {
    const { conn, connected } = await openHub(
      {
        ...this.o,
        onDown: (why) => this.o.marks.hubDown(why),
        onUp: () => {
          this.o.marks.hubUp();
          void this.resubscribe();
        },
      },
      (conn) => {
        conn.on('GatewayQuote', (contractId: string, payload: unknown) => this.quote(contractId, payload));
        conn.on('GatewayTrade', (contractId: string, payload: unknown) => this.trade(contractId, payload));
        conn.on('GatewayDepth', (contractId: string, payload: unknown) => this.depth(contractId, payload));
      },
    );
    this.conn = conn;
    if (!connected) return; // retried in the background; onUp subscribes
    this.o.marks.hubUp();
    await this.resubscribe();
  }

  private quote(contractId: string, payload: unknown): void {
    const symbol = this.o.symbolOf(contractId);
    const q = symbol === undefined ? undefined : quoteOf(symbol, payload, this.o.now());
    if (q && this.o.marks.accept(q, q.bid !== undefined || q.ask !== undefined ? 'quote' : 'trade')) this.o.onQuote(q);
  }

  private trade(contractId: string, payload: unknown): void {
    const symbol = this.o.symbolOf(contractId);
    if (symbol === undefined || this.o.marks.quoteFresh(symbol)) return;
    const q = tradeQuoteOf(symbol, payload, this.o.now());
    if (q && this.o.marks.accept(q, 'trade')) this.o.onQuote(q);
  }

  private depth(contractId: string, payload: unknown): void {
    const symbol = this.o.symbolOf(contractId);
    if (symbol === undefined || !this.o.onDepth) return;
    for (const item of many(payload)) {
      const r = gatewayDepth.safeParse(item);
      if (r.success)
        this.o.onDepth({
          symbol,
          ts: timeOf(r.data.timestamp, this.o.now()),
          price: fixedOfJson(r.data.price),
          volume: r.data.volume,
          type: r.data.type,
        });
    }
  }

  async subscribe(contractId: string): Promise<void> {
    if (this.contracts.has(contractId)) return;
    this.contracts.add(contractId);
    const symbol = this.o.symbolOf(contractId);
    if (symbol !== undefined) this.o.marks.track(symbol);
    try {
      await this.invokeAll(contractId);
    } catch {
      // The hub is down or dropped meanwhile: every reconnect subscribes all contracts again.
    }
  }

  private async invokeAll(contractId: string): Promise<void> {
    if (this.conn?.state !== HubConnectionState.Connected) return;
    await this.conn.invoke('SubscribeContractQuotes', contractId);
    await this.conn?.invoke('SubscribeContractTrades', contractId);
    if (this.o.onDepth) await this.conn?.invoke('SubscribeContractMarketDepth', contractId);
  }

  private async resubscribe(): Promise<void> {
    try {
      for (const c of this.contracts) await this.invokeAll(c);
    } catch {
      // The connection dropped again: the next reconnect subscribes again.
    }
  }

  async stop(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    await closeHub(c);
  }
}
