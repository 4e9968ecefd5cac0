/**
 * The node's in-process message bus: every decision, fill, order change, position change, risk
 * change, lock and enforcement step of an account is published here, in the order it happened.
 * Each account has its own stream: `seq` grows by one with every message of that account (DESIGN
 * §6), so a subscriber (the WebSocket API, the dashboard, alerts) can tell what it missed and
 * resume; `epoch` names the node start the seqs belong to. Quotes are market-wide and
 * latest-value only: they carry no seq.
 */

import { randomBytes } from 'node:crypto';

export const ACCOUNT_CHANNELS = [
  'risk',
  'positions',
  'orders',
  'fills',
  'violations',
  'locks',
  'enforcements',
  'state',
] as const;
export type AccountChannel = (typeof ACCOUNT_CHANNELS)[number];

export interface AccountMessage {
  readonly seq: number;
  readonly channel: AccountChannel;
  readonly account: string;
  /** ISO time of what the message reports (gateway time). */
  readonly ts: string;
  /** JSON-ready: decimal strings, no bigint. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface QuoteMessage {
  readonly channel: 'quotes';
  readonly symbol: string;
  readonly ts: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export type BusMessage = AccountMessage | QuoteMessage;
export type BusListener = (m: BusMessage) => void;

/**
 * A stream epoch: which start of the node a seq belongs to (seqs restart at 1 with every start).
 * Start time in ms plus a random suffix, so two starts in one millisecond still differ.
 */
export function newStreamEpoch(nowMs: number = Date.now()): string {
  return `${nowMs.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export class NodeBus {
  /** `epoch`: this node start's stream epoch (newStreamEpoch); a `since` of another epoch means nothing here. */
  constructor(readonly epoch: string = newStreamEpoch()) {}

  private readonly listeners = new Set<BusListener>();
  private readonly seqs = new Map<string, number>();

  /** Subscribes; the returned function unsubscribes. A listener that throws never breaks the node. */
  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(
    account: string,
    channel: AccountChannel,
    ts: string,
    data: Readonly<Record<string, unknown>>,
  ): AccountMessage {
    const seq = (this.seqs.get(account) ?? 0) + 1;
    this.seqs.set(account, seq);
    const m: AccountMessage = { seq, channel, account, ts, data };
    this.emit(m);
    return m;
  }

  publishQuote(symbol: string, ts: string, data: Readonly<Record<string, unknown>>): void {
    this.emit({ channel: 'quotes', symbol, ts, data });
  }

  /** The last seq published for an account (0 before any). */
  seqOf(account: string): number {
    return this.seqs.get(account) ?? 0;
  }

  private emit(m: BusMessage): void {
    for (const l of this.listeners) {
      try {
        l(m);
      } catch {
        // a subscriber's failure is its own; the node and the other subscribers go on
      }
    }
  }
}
