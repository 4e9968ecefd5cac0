/**
 * One `GET /ws` client (DESIGN §6): authentication (headers at upgrade, or a first `auth` message
 * within a few seconds; never a key in the URL), per-account subscriptions with resume, explicit
 * resync, heartbeats and flow control.
 *
 * Flow control: a subscription is a cursor into the account's ring (ws-hub.ts). Messages are
 * written while the socket's unsent bytes (`bufferedAmount`) stay under a high-water mark and
 * pulled again from the ring when it drains; quotes waiting meanwhile keep the latest per symbol.
 * A client whose cursor falls out of the ring, or whose unsent bytes pass the hard bound, is a
 * slow consumer: closed with 1008 "slow consumer". Memory per client is bounded either way.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebSocket, RawData } from 'ws';
import type { AccountChannel, AccountMessage, QuoteMessage } from '../node/bus.ts';
import type { TradingNode } from '../node/node.ts';
import { isAppError, type ErrorCode } from '../errors.ts';
import type { Principal } from './api-keys.ts';
import { maySee, principalOf, type Authenticator } from './auth.ts';
import type { StreamHub, StreamSink } from './ws-hub.ts';
import { isOpError, parseClientOp, type ClientOp } from './ws-protocol.ts';
import { TopicSubscriptions } from './ws-topics.ts';
import type { LabelBody, LabelChange, Saved } from './workspace.ts';

export interface StreamLimits {
  /** Time a client without auth headers has to send its `auth` message, ms. */
  readonly authTimeoutMs: number;
  /** Unsent bytes above which no more messages are written until the socket drains. */
  readonly highWaterBytes: number;
  /** Unsent bytes above which the client is closed as a slow consumer. */
  readonly maxBufferedBytes: number;
}

export interface StreamContext {
  readonly hub: StreamHub;
  readonly node: TradingNode;
  readonly auth: Authenticator;
  readonly limits: StreamLimits;
}

interface AccountSubscription {
  readonly channels: Set<AccountChannel>;
  /** The last seq of the account handled (written or filtered out). */
  cursor: number;
}

type SubscribeOp = Extract<ClientOp, { op: 'subscribe' }>;
type UnsubscribeOp = Extract<ClientOp, { op: 'unsubscribe' }>;
type ResyncOp = Extract<ClientOp, { op: 'resync' }>;

/** Query parameters that look like credentials: refused, since URLs end up in logs and histories. */
const URL_CREDENTIALS = ['apikey', 'api_key', 'key', 'token', 'access_token', 'jwt'];

export class StreamConnection implements StreamSink {
  private principal: Principal | undefined;
  private readonly subs = new Map<string, AccountSubscription>();
  /** Quote subscription: undefined = none, null = every symbol. */
  private quoteSymbols: Set<string> | null | undefined;
  private readonly pendingQuotes = new Map<string, string>();
  private draining = false;
  private closed = false;
  private alive = true;
  private inbox: Promise<void> = Promise.resolve();
  private authTimer: NodeJS.Timeout | undefined;
  /** Indicator and label subscriptions (ws-topics.ts). */
  private readonly topics: TopicSubscriptions;

  constructor(
    private readonly socket: WebSocket,
    private readonly ctx: StreamContext,
  ) {
    this.topics = new TopicSubscriptions(ctx.hub.marks);
  }

  /** Wires the socket; listeners are attached at once so no early message is lost. */
  start(headers: IncomingHttpHeaders, url: string): void {
    this.socket.on('message', (data, isBinary) => {
      this.inbox = this.inbox.then(() => this.receive(data, isBinary));
    });
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.socket.on('close', () => this.dispose());
    this.socket.on('error', () => this.dispose());
    const query = new URL(url, 'http://localhost').searchParams;
    if ([...query.keys()].some((k) => URL_CREDENTIALS.includes(k.toLowerCase()))) {
      return this.fail(
        'ERR_AUTH_REQUIRED',
        'credentials are never accepted in the URL: send X-API-Key or Authorization headers, or a first {"op":"auth"} message',
      );
    }
    if (headers['x-api-key'] || headers.authorization) {
      this.inbox = this.inbox.then(() => this.authenticate(headers));
      return;
    }
    this.authTimer = setTimeout(() => {
      if (!this.principal)
        this.fail(
          'ERR_AUTH_REQUIRED',
          `authenticate within ${this.ctx.limits.authTimeoutMs} ms: {"op":"auth","apiKey":"…"} or {"op":"auth","token":"<JWT>"}`,
        );
    }, this.ctx.limits.authTimeoutMs);
  }

  onAccountMessage(m: AccountMessage): void {
    const sub = this.subs.get(m.account);
    if (!sub || this.closed) return;
    if (!this.draining) return this.pump();
    if (this.ctx.hub.ring(m.account).oldestSeq > sub.cursor + 1) this.slowConsumer();
  }

  onQuote(q: QuoteMessage, wire: string): void {
    if (this.closed || this.quoteSymbols === undefined) return;
    if (this.quoteSymbols !== null && !this.quoteSymbols.has(q.symbol)) return;
    this.pendingQuotes.set(q.symbol, wire);
    if (!this.draining) this.pump();
  }

  onMark(symbol: string, ts: string, price: number): void {
    if (this.closed || !this.principal) return;
    if (this.topics.onMark(symbol, ts, price) && !this.draining) this.pump();
  }

  onLabel(change: LabelChange, label: Saved<LabelBody>, ts: string): void {
    if (this.closed || !this.principal) return;
    if (this.topics.onLabel(this.principal, change, label, ts) && !this.draining) this.pump();
  }

  /** Every heartbeat: a peer that answered nothing since the last one is dead. */
  heartbeat(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.closed = true;
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
    this.control({ op: 'ping' });
  }

  private async receive(data: RawData, isBinary: boolean): Promise<void> {
    if (this.closed) return;
    this.alive = true;
    const op = isBinary
      ? { error: 'ERR_INPUT_MALFORMED' as const, message: 'binary messages are not accepted; send JSON text' }
      : parseClientOp(rawText(data));
    if (!this.principal) {
      if (!isOpError(op) && op.op === 'auth')
        return this.authenticate(op.apiKey ? { 'x-api-key': op.apiKey } : { authorization: `Bearer ${op.token}` });
      return this.fail(
        'ERR_AUTH_REQUIRED',
        'authenticate first: {"op":"auth","apiKey":"…"} or {"op":"auth","token":"<JWT>"}',
      );
    }
    if (isOpError(op)) return this.error(op.error, op.message);
    switch (op.op) {
      case 'subscribe':
        return this.subscribe(op);
      case 'unsubscribe':
        return this.unsubscribe(op);
      case 'resync':
        return this.resync(op);
      case 'subscribe-topic': {
        const reply = this.topics.subscribe(op);
        if (typeof reply === 'string') return this.error('ERR_INPUT_INVALID', reply);
        this.control(reply);
        return this.pump();
      }
      case 'unsubscribe-topic':
        return this.control(this.topics.unsubscribe(op));
      case 'ping':
        return this.control({ op: 'pong' });
      case 'pong':
        return;
      case 'auth':
        return this.error('ERR_INPUT_INVALID', 'auth: this connection is already authenticated');
    }
  }

  private async authenticate(headers: IncomingHttpHeaders): Promise<void> {
    try {
      const p = await principalOf(this.ctx.auth, headers);
      if (this.closed) return;
      this.principal = p;
      clearTimeout(this.authTimer);
      this.ctx.hub.add(this);
      this.control({ op: 'authenticated', role: p.role, epoch: this.ctx.node.bus.epoch });
    } catch (err) {
      this.fail(
        isAppError(err) ? err.code : 'ERR_AUTH_INVALID',
        isAppError(err) ? err.message : 'authentication failed',
      );
    }
  }

  /** The accounts of a request the caller may see and the node knows; else the one error for both. */
  private visible(accounts: readonly string[]): boolean {
    for (const a of accounts) {
      if (!maySee(this.principal!, a) || !this.ctx.node.queries.risk(a)) {
        this.error('ERR_ACCOUNT_UNKNOWN', `unknown account ${a.slice(0, 100)}`);
        return false;
      }
    }
    return true;
  }

  private subscribe(op: SubscribeOp): void {
    if (!this.visible(op.accounts)) return;
    const { hub } = this.ctx;
    const seqs: Record<string, number> = {};
    const resyncs: string[] = [];
    for (const account of op.channels.length > 0 ? op.accounts : []) {
      const current = hub.currentSeq(account);
      const prev = this.subs.get(account);
      const sub: AccountSubscription = {
        channels: new Set([...(prev?.channels ?? []), ...op.channels]),
        cursor: prev?.cursor ?? current,
      };
      const since = typeof op.since === 'number' ? op.since : op.since?.[account];
      if (since !== undefined) {
        if (this.sameEpoch(op.epoch) && hub.ring(account).covers(since, current)) sub.cursor = since;
        else {
          sub.cursor = current;
          resyncs.push(account);
        }
      }
      this.subs.set(account, sub);
      seqs[account] = current;
    }
    if (op.quotes)
      this.quoteSymbols =
        !op.symbols || this.quoteSymbols === null ? null : new Set([...(this.quoteSymbols ?? []), ...op.symbols]);
    this.control({
      op: 'subscribed',
      channels: [...op.channels, ...(op.quotes ? ['quotes'] : [])],
      accounts: op.accounts,
      seq: seqs,
      epoch: this.ctx.node.bus.epoch,
    });
    for (const account of resyncs)
      this.control({ op: 'resync', account, seq: seqs[account], epoch: this.ctx.node.bus.epoch });
    this.pump();
  }

  private unsubscribe(op: UnsubscribeOp): void {
    const accountChannels = op.channels?.filter((c): c is AccountChannel => c !== 'quotes');
    for (const account of op.accounts ?? [...this.subs.keys()]) {
      const sub = this.subs.get(account);
      if (!sub) continue;
      for (const c of accountChannels ?? [...sub.channels]) sub.channels.delete(c);
      if (sub.channels.size === 0) this.subs.delete(account);
    }
    if (op.channels ? op.channels.includes('quotes') : !op.accounts) {
      this.quoteSymbols = undefined;
      this.pendingQuotes.clear();
    }
    this.control({ op: 'unsubscribed', channels: op.channels ?? null, accounts: op.accounts ?? null });
  }

  /** Replays after `since` when the ring still holds it; otherwise tells the client to reload over REST. */
  private resync(op: ResyncOp): void {
    if (!this.visible([op.account])) return;
    const sub = this.subs.get(op.account);
    if (!sub)
      return this.error('ERR_INPUT_INVALID', `account: not subscribed to ${op.account.slice(0, 100)}; subscribe first`);
    const current = this.ctx.hub.currentSeq(op.account);
    if (op.since !== undefined && this.sameEpoch(op.epoch) && this.ctx.hub.ring(op.account).covers(op.since, current)) {
      sub.cursor = op.since;
    } else {
      sub.cursor = current;
      this.control({ op: 'resync', account: op.account, seq: current, epoch: this.ctx.node.bus.epoch });
    }
    this.pump();
  }

  /** A `since` without an epoch is taken as this start's (clients from before epochs); another epoch's seq means nothing here. */
  private sameEpoch(epoch: string | undefined): boolean {
    return epoch === undefined || epoch === this.ctx.node.bus.epoch;
  }

  /** Writes what is due, in seq order per account, until the socket's buffer reaches high water. */
  private pump(): void {
    if (this.closed || !this.principal) return;
    for (const [account, sub] of this.subs) {
      const ring = this.ctx.hub.ring(account);
      while (sub.cursor < ring.lastSeq) {
        if (this.full()) return;
        const next = ring.get(sub.cursor + 1);
        if (!next) return this.slowConsumer();
        sub.cursor = next.message.seq;
        if (sub.channels.has(next.message.channel)) this.write(next.wire);
      }
    }
    for (const pending of [this.pendingQuotes, this.topics.pending]) {
      for (const [key, wire] of pending) {
        if (this.full()) return;
        pending.delete(key);
        this.write(wire);
      }
    }
  }

  private full(): boolean {
    if (this.socket.bufferedAmount < this.ctx.limits.highWaterBytes) return false;
    this.draining = true;
    return true;
  }

  /** Every write can wake the pump: the callback runs once its bytes reached the kernel. */
  private write(wire: string): void {
    this.socket.send(wire, (err) => {
      if (err || this.closed || !this.draining) return;
      if (this.socket.bufferedAmount < this.ctx.limits.highWaterBytes) {
        this.draining = false;
        this.pump();
      }
    });
  }

  /** Replies and notices: written at once, ahead of any backlog. */
  private control(msg: Record<string, unknown>): void {
    if (this.closed) return;
    this.write(JSON.stringify(msg));
    if (this.socket.bufferedAmount > this.ctx.limits.maxBufferedBytes) this.slowConsumer();
  }

  private error(code: ErrorCode, message: string): void {
    this.control({ op: 'error', code, message });
  }

  /** Refuses the connection: the error, then a close carrying its code. */
  private fail(code: ErrorCode, message: string): void {
    this.error(code, message);
    this.closed = true;
    this.socket.close(1008, code);
    this.dispose();
  }

  private slowConsumer(): void {
    if (this.closed) return;
    this.ctx.node.log.warn(
      { client: this.principal?.id, unsent: this.socket.bufferedAmount },
      'WebSocket client closed: slow consumer',
    );
    this.closed = true;
    this.socket.close(1008, 'slow consumer');
    this.dispose();
  }

  private dispose(): void {
    this.closed = true;
    clearTimeout(this.authTimer);
    this.ctx.hub.remove(this);
    this.subs.clear();
    this.pendingQuotes.clear();
    this.topics.clear();
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
