/**
 * The server side of the node's bus for WebSocket clients (DESIGN §6 `GET /ws`): one bus
 * subscription per server, a bounded ring of each account's recent messages (what a client
 * resuming with `since` is replayed from), and the connected streams it fans out to.
 *
 * The ring is also every connection's backlog: a connection keeps only a cursor (the last seq it
 * handled) per account and pulls from the ring while its socket accepts data, so a slow client
 * costs a cursor, not a queue of copies. A cursor that falls out of the ring is a slow consumer.
 */
import type { AccountMessage, NodeBus, QuoteMessage } from '../node/bus.ts';
import type { LabelBody, LabelChange, LabelListener, Saved } from './workspace.ts';
import { MarkHistory } from './ws-topics.ts';

/** A bus message with its wire form, serialized once for every client. */
export interface BufferedMessage {
  readonly message: AccountMessage;
  readonly wire: string;
}

/** The last `capacity` messages of one account, seqs contiguous. */
export class AccountRing {
  private readonly slots: (BufferedMessage | undefined)[];
  private first = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<BufferedMessage | undefined>(capacity);
  }

  push(m: AccountMessage): void {
    // The bus numbers each account contiguously; anything else restarts the ring rather than lie.
    if (this.count > 0 && m.seq !== this.lastSeq + 1) this.count = 0;
    if (this.count === 0) this.first = m.seq;
    const wire = JSON.stringify({ seq: m.seq, channel: m.channel, account: m.account, ts: m.ts, data: m.data });
    this.slots[m.seq % this.capacity] = { message: m, wire };
    if (this.count < this.capacity) this.count += 1;
    else this.first += 1;
  }

  /** The oldest seq held (0 when empty). */
  get oldestSeq(): number {
    return this.count === 0 ? 0 : this.first;
  }

  /** The newest seq held (0 when empty). */
  get lastSeq(): number {
    return this.count === 0 ? 0 : this.first + this.count - 1;
  }

  get(seq: number): BufferedMessage | undefined {
    if (this.count === 0 || seq < this.first || seq > this.lastSeq) return undefined;
    return this.slots[seq % this.capacity];
  }

  /** Whether every message after `since` up to `current` (the bus's latest seq) is held. */
  covers(since: number, current: number): boolean {
    if (since > current) return false;
    if (since === current) return true;
    return this.count > 0 && since >= this.first - 1 && this.lastSeq === current;
  }
}

/** What the hub needs of a connected stream. */
export interface StreamSink {
  onAccountMessage(m: AccountMessage): void;
  onQuote(q: QuoteMessage, wire: string): void;
  /** The mark a quote gave its symbol (indicator topics). */
  onMark?(symbol: string, ts: string, price: number): void;
  /** A chart label changed (labels topic). */
  onLabel?(change: LabelChange, label: Saved<LabelBody>, ts: string): void;
  heartbeat(): void;
}

export interface StreamHubOptions {
  /** Messages kept per account for resuming (default 10 000). */
  readonly bufferPerAccount?: number;
  /** Interval of `{"op":"ping"}` and ws-level pings, ms (default 15 000). */
  readonly heartbeatMs?: number;
  /** Subscribes to chart label changes (the workspace); returns the unsubscribe. */
  readonly labels?: (listener: LabelListener) => () => void;
}

export class StreamHub {
  readonly bufferPerAccount: number;
  readonly heartbeatMs: number;
  private readonly rings = new Map<string, AccountRing>();
  private readonly sinks = new Set<StreamSink>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeLabels: () => void;
  private readonly timer: NodeJS.Timeout;
  /** Recent marks per symbol, warming new indicator subscriptions. */
  readonly marks = new MarkHistory();

  constructor(
    private readonly bus: NodeBus,
    opts: StreamHubOptions = {},
  ) {
    this.bufferPerAccount = opts.bufferPerAccount ?? 10_000;
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    this.unsubscribe = bus.subscribe((m) => {
      if (m.channel === 'quotes') {
        const price = quoteMark(m.data);
        if (Number.isFinite(price)) {
          this.marks.add(m.symbol, m.ts, price);
          for (const s of this.sinks) s.onMark?.(m.symbol, m.ts, price);
        }
        if (this.sinks.size === 0) return;
        const wire = JSON.stringify({ channel: 'quotes', symbol: m.symbol, ts: m.ts, data: m.data });
        for (const s of this.sinks) s.onQuote(m, wire);
        return;
      }
      this.ring(m.account).push(m);
      for (const s of this.sinks) s.onAccountMessage(m);
    });
    this.unsubscribeLabels =
      opts.labels?.((change, label) => {
        const ts = change === 'deleted' ? new Date().toISOString() : label.updatedAt;
        for (const s of this.sinks) s.onLabel?.(change, label, ts);
      }) ?? (() => {});
    this.timer = setInterval(() => {
      for (const s of this.sinks) s.heartbeat();
    }, this.heartbeatMs);
    this.timer.unref();
  }

  /** The account's ring (empty until its first message after the server started). */
  ring(account: string): AccountRing {
    let r = this.rings.get(account);
    if (!r) {
      r = new AccountRing(this.bufferPerAccount);
      this.rings.set(account, r);
    }
    return r;
  }

  /** The latest seq the node published for an account. */
  currentSeq(account: string): number {
    return this.bus.seqOf(account);
  }

  add(sink: StreamSink): void {
    this.sinks.add(sink);
  }

  remove(sink: StreamSink): void {
    this.sinks.delete(sink);
  }

  /** Connected (authenticated or not) streams, for metrics. */
  get clients(): number {
    return this.sinks.size;
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.unsubscribeLabels();
    this.sinks.clear();
  }
}

/** A quote's mark as the engine takes it: its last trade, else the mid of bid and ask. */
function quoteMark(data: Readonly<Record<string, unknown>>): number {
  if (data.last !== undefined && data.last !== null) return Number(data.last);
  return (Number(data.bid) + Number(data.ask)) / 2;
}
