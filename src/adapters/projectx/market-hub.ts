/**
 * The ProjectX market hub, quotes only (SignalR JSON protocol over WebSocket, token as
 * `access_token`): `SubscribeContractQuotes(contractId)` → `GatewayQuote(contractId, quote)`.
 * Re-subscribes after every reconnect. Trades, depth and the user hub are the next step (issue 16).
 * Quote fields read: `bestBid`, `bestAsk`, `lastPrice`, `timestamp` — each optional, since an
 * update may carry only what changed (field names: docs/projectx.md, partly unverified).
 */
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { z } from 'zod';
import type { Quote } from '../broker.ts';
import { fixedOfJson } from './mapper.ts';

const gatewayQuote = z.object({
  bestBid: z.number().nullable().optional(),
  bestAsk: z.number().nullable().optional(),
  lastPrice: z.number().nullable().optional(),
  timestamp: z.string().nullable().optional(),
  lastUpdated: z.string().nullable().optional(),
});

export interface MarketHubOptions {
  readonly url: string;
  readonly token: () => Promise<string>;
  /** The symbol of a contract id, when known (unknown contracts are dropped). */
  readonly symbolOf: (contractId: string) => string | undefined;
  readonly onQuote: (q: Quote) => void;
  readonly now: () => number;
}

const opt = (n: number | null | undefined) => (n === null || n === undefined ? undefined : fixedOfJson(n));

/** A GatewayQuote payload as a riskgate Quote (undefined when unreadable). */
export function quoteOf(symbol: string, payload: unknown, now: number): Quote | undefined {
  const r = gatewayQuote.safeParse(payload);
  if (!r.success) return undefined;
  const when = r.data.timestamp ?? r.data.lastUpdated;
  const ts = when ? Date.parse(when) : NaN;
  const q: Quote = {
    symbol,
    ts: Number.isNaN(ts) ? now : ts,
    ...(opt(r.data.bestBid) !== undefined ? { bid: opt(r.data.bestBid) } : {}),
    ...(opt(r.data.bestAsk) !== undefined ? { ask: opt(r.data.bestAsk) } : {}),
    ...(opt(r.data.lastPrice) !== undefined ? { last: opt(r.data.lastPrice) } : {}),
  };
  return q;
}

export class MarketHub {
  private conn: HubConnection | undefined;
  private readonly contracts = new Set<string>();

  constructor(private readonly o: MarketHubOptions) {}

  async start(): Promise<void> {
    // The published examples put the token in the URL; Node's SignalR client also sends it as a
    // bearer header (fresh on every reconnect), which is what a refreshed session relies on.
    const first = await this.o.token();
    const url = `${this.o.url}${this.o.url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(first)}`;
    const conn = new HubConnectionBuilder()
      .withUrl(url, {
        skipNegotiation: true,
        transport: HttpTransportType.WebSockets,
        accessTokenFactory: this.o.token,
      })
      .withAutomaticReconnect()
      .configureLogging(LogLevel.None)
      .build();
    conn.on('GatewayQuote', (contractId: string, payload: unknown) => {
      const symbol = this.o.symbolOf(contractId);
      const q = symbol === undefined ? undefined : quoteOf(symbol, payload, this.o.now());
      if (q) this.o.onQuote(q);
    });
    conn.onreconnected(() => void this.resubscribe());
    await conn.start();
    this.conn = conn;
    await this.resubscribe();
  }

  async subscribe(contractId: string): Promise<void> {
    if (this.contracts.has(contractId)) return;
    this.contracts.add(contractId);
    await this.conn?.invoke('SubscribeContractQuotes', contractId);
  }

  private async resubscribe(): Promise<void> {
    for (const c of this.contracts) await this.conn?.invoke('SubscribeContractQuotes', c);
  }

  async stop(): Promise<void> {
    await this.conn?.stop();
    this.conn = undefined;
  }
}
