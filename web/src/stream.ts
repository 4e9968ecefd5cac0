/**
 * The dashboard's live link: `GET /ws` with the first-message auth (browsers cannot set headers),
 * one subscription for the accounts shown, and resume after a disconnect. It remembers the last
 * seq seen per account and subscribes again with `since`, so nothing is missed or applied twice;
 * on `resync` (the server no longer holds that far back) the account is reloaded over REST.
 * Seqs restart with every start of the node: the stream epoch of the `subscribed` reply is kept and
 * sent back with `since`, and a reply of another epoch reloads every account (the server answers
 * `resync` for them as well; a reload already done at that seq is not repeated).
 */
import type { AccountMessage, Label, LabelEvent, Quote, Role } from './types.ts';

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'failed';

export interface StreamHandlers {
  onMessage(m: AccountMessage): void;
  onQuote(q: Quote): void;
  /** Reload the account over REST: first subscription, or the server cannot resume it. */
  onResync(account: string): void;
  onState(state: LinkState, detail?: string): void;
  onRole?(role: Role): void;
  /** A chart label was created, updated or deleted (the `labels` topic, every symbol). */
  onLabel?(event: LabelEvent, label: Label): void;
}

export type Credentials = { readonly apiKey: string } | { readonly token: string };

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface StreamOptions {
  readonly socket?: (url: string) => SocketLike;
  /** First retry delay, ms (doubles up to maxDelayMs). */
  readonly retryMs?: number;
  readonly maxDelayMs?: number;
  /** Silence after which the link counts as dead (the server pings every 15 s). */
  readonly silenceMs?: number;
}

const CHANNELS = ['risk', 'positions', 'orders', 'fills', 'violations', 'locks', 'quotes'];

export class LiveStream {
  private socket: SocketLike | undefined;
  private readonly lastSeq = new Map<string, number>();
  /** The seq each account was last reloaded at (a second resync at the same seq is the same reload). */
  private readonly reloadedAt = new Map<string, number>();
  /** The stream epoch `lastSeq` belongs to (the node start). */
  private epoch: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly creds: Credentials,
    private readonly accounts: readonly string[],
    private readonly handlers: StreamHandlers,
    private readonly opts: StreamOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    this.socket?.close(1000, 'dashboard closed');
    this.socket = undefined;
  }

  /** The last seq applied of an account (0 before any). */
  seqOf(account: string): number {
    return this.lastSeq.get(account) ?? 0;
  }

  private open(): void {
    this.handlers.onState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const make = this.opts.socket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
    const s = make(this.url);
    this.socket = s;
    s.onopen = () => s.send(JSON.stringify({ op: 'auth', ...this.creds }));
    s.onmessage = (ev) => this.receive(s, String(ev.data));
    s.onclose = (ev) => this.closed(s, ev.code, ev.reason);
    s.onerror = () => undefined; // a close follows every error
    this.watch(s);
  }

  private receive(s: SocketLike, raw: string): void {
    if (s !== this.socket) return;
    this.watch(s);
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return;
    }
    if (m.op === undefined && typeof m.seq === 'number' && typeof m.account === 'string') return this.accountMessage(m);
    if (m.channel === 'quotes') return this.handlers.onQuote({ ...(m.data as object), ts: String(m.ts) } as Quote);
    if (m.channel === 'labels' && m.op === undefined) {
      const d = m.data as { event: LabelEvent; label: Label };
      return this.handlers.onLabel?.(d.event, d.label);
    }
    switch (m.op) {
      case 'authenticated':
        this.handlers.onRole?.(m.role as Role);
        return this.subscribe(s);
      case 'subscribed':
        if (m.channel !== undefined) return; // the labels topic's reply
        return this.subscribed(m.seq as Record<string, number>, typeof m.epoch === 'string' ? m.epoch : undefined);
      case 'resync':
        if (this.reloadedAt.get(String(m.account)) === Number(m.seq)) return;
        return this.reload(String(m.account), Number(m.seq));
      case 'ping':
        return s.send(JSON.stringify({ op: 'pong' }));
      case 'error':
        return this.handlers.onState('live', `${String(m.code)}: ${String(m.message)}`);
    }
  }

  private subscribe(s: SocketLike): void {
    const since: Record<string, number> = {};
    for (const a of this.accounts) if (this.lastSeq.has(a)) since[a] = this.lastSeq.get(a)!;
    const resume = Object.keys(since).length > 0 ? { since, ...(this.epoch ? { epoch: this.epoch } : {}) } : {};
    s.send(JSON.stringify({ op: 'subscribe', channels: CHANNELS, accounts: this.accounts, ...resume }));
    if (this.handlers.onLabel) s.send(JSON.stringify({ op: 'subscribe', channel: 'labels' }));
  }

  /**
   * First subscription of an account, or a new node start (another epoch): start from the server's
   * seq and load the account over REST.
   */
  private subscribed(seqs: Record<string, number>, epoch: string | undefined): void {
    this.attempts = 0;
    this.handlers.onState('live');
    const restarted = epoch !== undefined && this.epoch !== undefined && epoch !== this.epoch;
    if (epoch !== undefined) this.epoch = epoch;
    this.reloadedAt.clear();
    for (const [account, seq] of Object.entries(seqs ?? {})) {
      if (this.lastSeq.has(account) && !restarted) continue;
      this.reload(account, seq);
    }
  }

  private reload(account: string, seq: number): void {
    this.lastSeq.set(account, seq);
    this.reloadedAt.set(account, seq);
    this.handlers.onResync(account);
  }

  private accountMessage(m: Record<string, unknown>): void {
    const msg = m as unknown as AccountMessage;
    if (msg.seq <= this.seqOf(msg.account)) return; // already applied before the reconnect
    this.lastSeq.set(msg.account, msg.seq);
    this.handlers.onMessage(msg);
  }

  private closed(s: SocketLike, code: number, reason: string): void {
    if (s !== this.socket || this.stopped) return;
    clearTimeout(this.silenceTimer);
    this.socket = undefined;
    if (code === 1008 && /^ERR_AUTH/.test(reason)) return this.handlers.onState('failed', reason);
    this.attempts += 1;
    const base = this.opts.retryMs ?? 500;
    const delay = Math.min(this.opts.maxDelayMs ?? 5000, base * 2 ** Math.min(this.attempts - 1, 6));
    this.handlers.onState('reconnecting', reason || `connection closed (${code})`);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  /** A link silent for longer than two heartbeats is closed and reopened. */
  private watch(s: SocketLike): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      if (s !== this.socket) return;
      s.onclose = null;
      s.close(4000, 'no heartbeat');
      this.closed(s, 4000, 'no heartbeat');
    }, this.opts.silenceMs ?? 40_000);
  }
}
