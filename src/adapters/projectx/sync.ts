/**
 * The ProjectX adapter's live account stream: user-hub events into the event feed, and the REST
 * resync that follows every reconnect (events sent while the hub was down are not replayed):
 * open orders (Order/searchOpen), positions (Position/searchOpen) and the trades since the last
 * one seen (Trade/search, from a minute before it: a trade stamped slightly out of order is
 * still found; the feed drops those already delivered).
 *
 * It also keeps the positions the hub last reported per account and contract, the second opinion
 * a reduce-only order is clipped with (a REST position read that lags behind must not turn a
 * close into a new position the other way).
 */
import type { Fill, Order } from '../broker.ts';
import { fromInt, type Fixed } from '../../domain/money.ts';
import type { ProjectXClient } from './client.ts';
import type { EventFeed } from './events.ts';
import { fixedOfJson, toFill, toOrder, VENUE_POSITION } from './mapper.ts';
import { byExecution, venueTrades } from './reads.ts';
import * as S from './schemas.ts';

/** Trade/search reaches back this far before the newest trade seen. */
const RESYNC_OVERLAP_MS = 60_000;

export interface UserStreamOptions {
  readonly client: ProjectXClient;
  readonly events: EventFeed;
  /** Venue account id → riskgate account. */
  readonly accountOf: ReadonlyMap<number, string>;
  readonly symbolOf: (contractId: string) => Promise<string>;
  readonly historyStartMs: number;
  /** Delay before a failed resync is tried again (ms, default 1 s; doubled each time, at most 30 s). */
  readonly retryMs?: number;
}

export class UserStream {
  /** Newest trade time seen per venue account (where the next resync reads from). */
  private readonly lastTradeTs = new Map<number, number>();
  /** Signed position size the hub last reported, per `<venueId>|<contractId>`. */
  private readonly hubPositions = new Map<string, number>();
  /** Trade ids the hub has sent (or that predate it: history, resynced). */
  private readonly hubTrades = new Set<number>();
  /** Trades read over REST that the hub has not sent yet, per `<venueId>|<contractId>`. */
  private readonly unconfirmed = new Map<string, Set<number>>();
  /** Whether the hub's position report came after its last trade, per `<venueId>|<contractId>`. */
  private readonly positionAfterTrade = new Map<string, boolean>();
  /** `canTrade` the hub last reported, per venue account. */
  readonly canTrade = new Map<number, boolean>();
  /** Resyncs completed (tests wait on this). */
  resyncs = 0;
  private chain: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly o: UserStreamOptions) {}

  /** Runs event handling one at a time, in arrival order (symbol lookups are async). */
  private serial(fn: () => Promise<void>, onError: (e: unknown) => void = () => undefined): void {
    // An event that cannot be read (its contract lookup failed) is caught up by the next resync.
    this.chain = this.chain.then(fn).catch(onError);
  }

  /** Resolves when every event received so far has been handled. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Trades known before the hub connected: history it will never send. */
  seenTrades(venueId: number, fills: readonly Fill[]): void {
    for (const f of fills) {
      this.noteTrade(venueId, f.ts);
      this.hubTrades.add(Number(f.fillId));
      for (const set of this.unconfirmed.values()) set.delete(Number(f.fillId));
    }
  }

  /** A trade read over REST: until the hub sends it too, the hub's position lags behind it. */
  restTrade(t: S.VenueTrade): void {
    if (this.hubTrades.has(t.id)) return;
    const key = `${t.accountId}|${t.contractId}`;
    let set = this.unconfirmed.get(key);
    if (!set) this.unconfirmed.set(key, (set = new Set()));
    set.add(t.id);
  }

  /** Whether the hub has reported the position after every trade known in the contract. */
  hubCaughtUp(venueId: number, contractId: string): boolean {
    const key = `${venueId}|${contractId}`;
    return (this.unconfirmed.get(key)?.size ?? 0) === 0 && this.positionAfterTrade.get(key) !== false;
  }

  private noteTrade(venueId: number, ts: number): void {
    if (ts > (this.lastTradeTs.get(venueId) ?? -Infinity)) this.lastTradeTs.set(venueId, ts);
  }

  trade(t: S.VenueTrade): void {
    const account = this.o.accountOf.get(t.accountId);
    if (account === undefined) return;
    const key = `${t.accountId}|${t.contractId}`;
    if (!this.hubTrades.has(t.id)) this.positionAfterTrade.set(key, false);
    this.hubTrades.add(t.id);
    this.unconfirmed.get(key)?.delete(t.id);
    if (t.voided) return;
    this.serial(async () => {
      const f = toFill(t, account, await this.o.symbolOf(t.contractId));
      this.noteTrade(t.accountId, f.ts);
      this.o.events.fill(f);
    });
  }

  order(v: S.VenueOrder): void {
    const account = this.o.accountOf.get(v.accountId);
    if (account === undefined) return;
    this.serial(async () => this.o.events.order(toOrder(v, account, await this.o.symbolOf(v.contractId))));
  }

  position(p: S.VenuePosition): void {
    if (!this.o.accountOf.has(p.accountId)) return;
    const signed = p.type === VENUE_POSITION.short ? -p.size : p.size;
    this.hubPositions.set(`${p.accountId}|${p.contractId}`, signed);
    this.positionAfterTrade.set(`${p.accountId}|${p.contractId}`, true);
  }

  account(a: S.VenueAccount): void {
    const account = this.o.accountOf.get(a.id);
    if (account === undefined) return;
    const changed = this.canTrade.get(a.id) !== a.canTrade;
    this.canTrade.set(a.id, a.canTrade);
    // Balance moves with every fill (fills carry it); only a change of canTrade is news.
    if (changed) this.o.events.account({ account, canTrade: a.canTrade, balance: fixedOfJson(a.balance) });
  }

  /** The hub's last word on a position (undefined when it has said nothing about it). */
  hubPosition(venueId: number, contractId: string): Fixed | undefined {
    const n = this.hubPositions.get(`${venueId}|${contractId}`);
    return n === undefined ? undefined : fromInt(n);
  }

  /** After a reconnect: what the hub may have missed, read over REST (serialised with events). */
  resync(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    this.serial(
      async () => {
        for (const [venueId, account] of this.o.accountOf) await this.resyncAccount(venueId, account);
        this.resyncs++;
        this.failures = 0;
      },
      () => {
        // The venue is struggling (429s, 5xx past the client's retries): try again, backing off.
        if (this.stopped) return;
        const wait = Math.min(30_000, (this.o.retryMs ?? 1000) * 2 ** this.failures++);
        this.retry = setTimeout(() => void this.resync(), wait);
        this.retry.unref();
      },
    );
    return this.chain;
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private async resyncAccount(venueId: number, account: string): Promise<void> {
    const { client } = this.o;
    const openNow = await client.post('Order/searchOpen', { accountId: venueId }, S.orderSearchResponse, {
      idempotent: true,
    });
    const orders: Order[] = [];
    for (const v of openNow.orders ?? []) orders.push(toOrder(v, account, await this.o.symbolOf(v.contractId)));
    const pos = await client.post('Position/searchOpen', { accountId: venueId }, S.positionSearchResponse, {
      idempotent: true,
    });
    // The REST picture replaces the hub's: what was missed while it was down is in it.
    for (const m of [this.hubPositions, this.unconfirmed, this.positionAfterTrade])
      for (const key of [...m.keys()]) if (key.startsWith(`${venueId}|`)) m.delete(key);
    for (const p of pos.positions ?? []) this.position(p);
    const since = Math.max(this.o.historyStartMs, (this.lastTradeTs.get(venueId) ?? 0) - RESYNC_OVERLAP_MS);
    const fills: Fill[] = [];
    for (const t of await venueTrades(client, venueId, since)) {
      this.hubTrades.add(t.id);
      fills.push(toFill(t, account, await this.o.symbolOf(t.contractId)));
    }
    fills.sort(byExecution);
    // Fills first: an order's final update then finds its fills already delivered.
    for (const f of fills) {
      this.noteTrade(venueId, f.ts);
      this.o.events.fill(f);
    }
    for (const o of orders) this.o.events.order(o);
    // Orders last known working that are no longer open ended while the hub was down.
    const open = new Set(orders.map((o) => o.orderId));
    const ended = this.o.events.workingOrders(account).filter((id) => !open.has(id));
    if (ended.length === 0) return;
    const all = await client.post(
      'Order/search',
      { accountId: venueId, startTimestamp: new Date(this.o.historyStartMs).toISOString() },
      S.orderSearchResponse,
      { idempotent: true },
    );
    for (const v of all.orders ?? [])
      if (ended.includes(String(v.id))) this.o.events.order(toOrder(v, account, await this.o.symbolOf(v.contractId)));
  }
}
