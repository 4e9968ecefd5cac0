/**
 * `ProjectXBroker`: the TopstepX / ProjectX Gateway venue behind riskgate's `BrokerAdapter`: REST
 * for actions and reads (client.ts), the user hub for fills, orders, positions and account state
 * (user-hub.ts, sync.ts: resync over REST after each reconnect), the market hub for quotes and
 * trade prints (market-hub.ts), mark freshness (marks.ts), contracts (contracts.ts).
 *
 * Venue account ids map to riskgate accounts through the config. Idempotency rides on the venue's
 * `customTag` (unique per account), set to the client order id: a reused key finds the order the
 * venue already holds, and an order whose answer was lost (timeout, 5xx) is looked up by its tag
 * before anything is sent again. The venue has no reduce-only flag, so reduce-only orders are
 * clipped here to the smaller of the position REST reports and the one the user hub last reported
 * (refused when there is none to reduce): a lagging read never turns a close into a reversal.
 */
import { AppError, isAppError } from '../../errors.ts';
import { InstrumentTable } from '../../domain/instrument.ts';
import { abs, min, type Fixed } from '../../domain/money.ts';
import type {
  BrokerAccountState,
  BrokerAdapter,
  BrokerPosition,
  FeedHealth,
  Fill,
  Order,
  OrderChanges,
  OrderRequest,
  Quote,
  Unsubscribe,
} from '../broker.ts';
import { ProjectXClient, type ProjectXClientOptions } from './client.ts';
import { ContractBook } from './contracts.ts';
import { EventFeed } from './events.ts';
import { LiveFeeds, type LiveFeedOptions } from './live.ts';
import { byExecution, findVenueOrder, fromRequest, localReject, venueOrders, venueTrades } from './reads.ts';
import { UserStream } from './sync.ts';
import { reducibleQty } from './reduce-only.ts';
import {
  fixedOfJson,
  modifyBody,
  placeBody,
  sameOrder,
  toFill,
  toOrder,
  toPosition,
  venueSize,
  type ContractInfo,
} from './mapper.ts';
import { retrieveBars, type Bar, type BarQuery } from './bars.ts';
import * as S from './schemas.ts';

/** Hub options (`userHubUrl`, `marketHubUrl`, reconnect delays, mark staleness …): live.ts. */
export interface ProjectXBrokerOptions extends ProjectXClientOptions, LiveFeedOptions {
  /** Venue account id → riskgate account. */
  readonly accounts: Readonly<Record<string, string>>;
  readonly instruments?: InstrumentTable;
  /** Earliest time order and trade searches reach back to (epoch ms, default 0: everything). */
  readonly historyStartMs?: number;
  /** Poll open orders and trades this often for listeners (ms; 0 = only after own actions). */
  readonly pollMs?: number;
  /** Symbols whose quotes are streamed from connect on. */
  readonly quoteSymbols?: readonly string[];
  /** Contract/search over live (true) or delayed (false, default) data. */
  readonly liveContracts?: boolean;
}

export class ProjectXBroker implements BrokerAdapter {
  readonly name = 'projectx';
  readonly client: ProjectXClient;
  private readonly table: InstrumentTable;
  private readonly venueIds = new Map<string, number>();
  private readonly book: ContractBook;
  private readonly localRejects = new Map<string, Order>();
  private readonly events = new EventFeed();
  /** The user-hub stream (fills, orders, positions); also present without a hub, for resyncs. */
  readonly stream: UserStream;
  /** Both hubs, mark freshness and venue warnings. */
  readonly feeds: LiveFeeds;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: ProjectXBrokerOptions) {
    this.client = new ProjectXClient({
      ...o,
      onClockSkew: (skew, beyond) => {
        if (beyond) this.feeds.warn(`venue clock is ${skew > 0 ? 'ahead' : 'behind'} by ${Math.abs(skew)} ms`);
      },
    });
    this.table = o.instruments ?? new InstrumentTable();
    for (const [venueId, account] of Object.entries(o.accounts)) this.venueIds.set(account, Number(venueId));
    this.book = new ContractBook(this.client, this.table, o.liveContracts ?? false, async (c) => {
      // A symbol riskgate trades needs marks: stream its quotes from now on.
      await this.feeds.subscribe(c.contractId);
    });
    this.stream = new UserStream({
      client: this.client,
      events: this.events,
      accountOf: new Map([...this.venueIds].map(([a, v]) => [v, a])),
      symbolOf: (id) => this.book.symbolOf(id),
      historyStartMs: o.historyStartMs ?? 0,
    });
    this.feeds = new LiveFeeds(o, this.client, this.stream, this.events, (id) => this.book.cached(id)?.symbol);
  }

  async connect(): Promise<void> {
    await this.client.sessionToken();
    for (const [account, venueId] of this.venueIds) {
      const [fills, orders] = await Promise.all([this.getFills(account), this.venueOrders(venueId, true)]);
      this.events.prime(fills, await this.toOrders(account, orders));
      this.stream.seenTrades(venueId, fills);
    }
    await this.feeds.start([...this.venueIds.values()]);
    for (const s of this.o.quoteSymbols ?? []) await this.book.forSymbol(s);
    if ((this.o.pollMs ?? 0) > 0) this.timer = setInterval(() => void this.poll(), this.o.pollMs);
  }

  async disconnect(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.feeds.stop();
    this.client.close();
  }

  /**
   * Why marks are stale now (market hub down, a traded symbol without quotes) and other venue
   * warnings (user hub down: fills arrive late, through REST; clock skew).
   */
  feedHealth(): FeedHealth {
    return this.feeds.health();
  }

  // ── orders ───────────────────────────────────────────────────────────────────
  async placeOrder(request: OrderRequest): Promise<Order> {
    const venueId = this.venueId(request.account);
    const c = await this.book.forSymbol(request.symbol);
    const req: OrderRequest = { ...request, symbol: c.symbol };
    const known = this.localRejects.get(`key:${req.account}:${req.clientOrderId}`);
    if (known) return known;
    let size = venueSize(req.qty);
    if (req.reduceOnly) {
      const room = await this.reducible(req, c);
      if (room === 0n) return this.rejectLocally(req, 'reduce-only: no position to reduce');
      size = venueSize(min(req.qty, room));
    }
    const body = placeBody(req, venueId, c, size);
    let orderId: number;
    try {
      const r = await this.client.post('Order/place', body, S.placeOrderResponse, { idempotent: false });
      if (r.orderId === null || r.orderId === undefined)
        throw new AppError('ERR_BROKER_RESPONSE_INVALID', 'projectx Order/place: no orderId');
      orderId = r.orderId;
    } catch (e) {
      return this.afterFailedPlace(e, req, venueId, body);
    }
    try {
      return await this.settle(req.account, venueId, String(orderId));
    } catch {
      // The venue holds the order; only the read after it failed (429s, 5xx). Its fills and
      // updates follow through the user hub, the next action or the reconcile pass.
      return fromRequest(req, String(orderId));
    }
  }

  /**
   * A place that failed or whose answer was lost: the venue's order with our tag, if any, is the
   * answer. An unknown outcome with no such order is sent once more under the same tag (the venue
   * refuses a second order with it, so this cannot double a position).
   */
  private async afterFailedPlace(
    e: unknown,
    req: OrderRequest,
    venueId: number,
    body: Record<string, unknown>,
  ): Promise<Order> {
    if (!isAppError(e) || !['ERR_BROKER_OUTCOME_UNKNOWN', 'ERR_BROKER_REJECTED'].includes(e.code)) throw e;
    const existing = await this.findByTag(req.account, venueId, req.clientOrderId);
    if (existing) {
      if (!sameOrder(req, existing))
        throw new AppError(
          'ERR_ORDER_CONFLICT',
          `clientOrderId ${req.clientOrderId} was already used for a different order (${existing.orderId})`,
        );
      return this.settle(req.account, venueId, existing.orderId);
    }
    if (e.code !== 'ERR_BROKER_OUTCOME_UNKNOWN') throw e;
    try {
      const r = await this.client.post('Order/place', body, S.placeOrderResponse, { idempotent: false });
      if (r.orderId !== null && r.orderId !== undefined) return this.settle(req.account, venueId, String(r.orderId));
    } catch {
      // Fall through to a last lookup: the second answer may be lost too.
    }
    const late = await this.findByTag(req.account, venueId, req.clientOrderId);
    if (late) return this.settle(req.account, venueId, late.orderId);
    throw e;
  }

  async cancelOrder(account: string, orderId: string): Promise<Order> {
    const local = this.localRejects.get(orderId);
    if (local) return local;
    const venueId = this.venueId(account);
    const id = this.orderNumber(orderId);
    try {
      await this.client.post('Order/cancel', { accountId: venueId, orderId: id }, S.ackResponse, { idempotent: true });
    } catch (e) {
      if (!isAppError(e) || e.code !== 'ERR_BROKER_REJECTED') throw e;
      const o = await this.getOrder(account, orderId);
      if (o.status === 'working') throw e;
      return o;
    }
    return this.settle(account, venueId, orderId);
  }

  async modifyOrder(account: string, orderId: string, changes: OrderChanges): Promise<Order> {
    const venueId = this.venueId(account);
    const v = await this.venueOrder(venueId, orderId);
    const c = await this.book.byContractId(v.contractId);
    await this.client.post('Order/modify', modifyBody(venueId, v.id, changes, c), S.ackResponse, { idempotent: true });
    return this.settle(account, venueId, orderId);
  }

  async searchOpenOrders(account: string, symbol?: string): Promise<Order[]> {
    const orders = await this.toOrders(account, await this.venueOrders(this.venueId(account), true));
    const root = symbol === undefined ? undefined : this.table.root(symbol);
    return orders
      .filter((o) => root === undefined || o.symbol === root)
      .sort((a, b) => a.createdTs - b.createdTs || Number(a.orderId) - Number(b.orderId));
  }

  async getOrder(account: string, orderId: string): Promise<Order> {
    const local = this.localRejects.get(orderId);
    if (local) return local;
    const v = await this.venueOrder(this.venueId(account), orderId);
    return toOrder(v, account, await this.book.symbolOf(v.contractId));
  }

  // ── account state ────────────────────────────────────────────────────────────
  async getPositions(account: string): Promise<BrokerPosition[]> {
    const r = await this.client.post(
      'Position/searchOpen',
      { accountId: this.venueId(account) },
      S.positionSearchResponse,
      { idempotent: true },
    );
    const out: BrokerPosition[] = [];
    for (const p of r.positions ?? [])
      if (p.size > 0) out.push(toPosition(p, account, await this.book.symbolOf(p.contractId)));
    return out;
  }

  async getFills(account: string, sinceTs?: number): Promise<Fill[]> {
    const out: Fill[] = [];
    for (const t of await venueTrades(this.client, this.venueId(account), sinceTs ?? this.o.historyStartMs ?? 0)) {
      this.stream.restTrade(t);
      out.push(toFill(t, account, await this.book.symbolOf(t.contractId)));
    }
    return out.filter((f) => sinceTs === undefined || f.ts >= sinceTs).sort(byExecution);
  }

  async getAccount(account: string): Promise<BrokerAccountState> {
    const venueId = this.venueId(account);
    const r = await this.client.post('Account/search', { onlyActiveAccounts: false }, S.accountSearchResponse, {
      idempotent: true,
    });
    const a = (r.accounts ?? []).find((x) => x.id === venueId);
    if (!a)
      throw new AppError(
        'ERR_ACCOUNT_UNKNOWN',
        `projectx account ${venueId} (${account}) is not visible to this login`,
      );
    return { account, canTrade: a.canTrade, balance: fixedOfJson(a.balance) };
  }

  /** Closes the whole position in one symbol at market (Position/closeContract, the cancel lane). */
  async closePosition(account: string, symbol: string): Promise<void> {
    const c = await this.book.forSymbol(symbol);
    await this.client.post(
      'Position/closeContract',
      { accountId: this.venueId(account), contractId: c.contractId },
      S.ackResponse,
      { idempotent: true },
    );
    await this.syncFills(account);
  }

  /** Closes part of a position at market (Position/partialCloseContract, the cancel lane). */
  async partialClosePosition(account: string, symbol: string, qty: Fixed): Promise<void> {
    const c = await this.book.forSymbol(symbol);
    await this.client.post(
      'Position/partialCloseContract',
      { accountId: this.venueId(account), contractId: c.contractId, size: venueSize(abs(qty)) },
      S.ackResponse,
      { idempotent: false },
    );
    await this.syncFills(account);
  }

  onFill(listener: (fill: Fill) => void): Unsubscribe {
    return this.events.onFill(listener);
  }
  onOrder(listener: (order: Order) => void): Unsubscribe {
    return this.events.onOrder(listener);
  }
  /** `canTrade` changes pushed by the user hub (GatewayUserAccount). */
  onAccount(listener: (state: BrokerAccountState) => void): Unsubscribe {
    return this.events.onAccount(listener);
  }
  /** Quotes of `quoteSymbols` from the market hub (none without `marketHubUrl`). */
  onQuote(listener: (quote: Quote) => void): Unsubscribe {
    return this.events.onQuote(listener);
  }

  // ── helpers ──────────────────────────────────────────────────────────────────
  private venueId(account: string): number {
    const id = this.venueIds.get(account);
    if (id === undefined) throw new AppError('ERR_ACCOUNT_UNKNOWN', `no projectx account is mapped to ${account}`);
    return id;
  }

  private orderNumber(orderId: string): number {
    if (!/^\d+$/.test(orderId)) throw new AppError('ERR_ORDER_UNKNOWN', `unknown order ${orderId}`);
    return Number(orderId);
  }

  /** The order after an action, with the events it caused delivered before returning. */
  private async settle(account: string, venueId: number, orderId: string): Promise<Order> {
    const v = await this.venueOrder(venueId, orderId);
    const order = toOrder(v, account, await this.book.symbolOf(v.contractId));
    if (this.events.wantsEvents) {
      // The order first: a listener maps the venue's order id to the client's before its fills arrive.
      this.events.order(order);
      await this.syncFills(account);
    }
    return order;
  }

  private async syncFills(account: string, always = false): Promise<void> {
    if (this.events.fills.size === 0 && !always) return;
    for (const f of await this.getFills(account)) this.events.fill(f);
  }

  private async poll(): Promise<void> {
    if (!this.events.wantsEvents) return;
    try {
      for (const account of this.venueIds.keys()) {
        await this.syncFills(account);
        for (const o of await this.searchOpenOrders(account)) this.events.order(o);
      }
    } catch {
      // A failed poll is retried on the next tick; actions report their own errors.
    }
  }

  private venueOrders(venueId: number, openOnly: boolean): Promise<S.VenueOrder[]> {
    return venueOrders(this.client, venueId, openOnly ? undefined : (this.o.historyStartMs ?? 0));
  }

  private async venueOrder(venueId: number, orderId: string): Promise<S.VenueOrder> {
    const id = this.orderNumber(orderId);
    const found = await findVenueOrder(this.client, venueId, this.o.historyStartMs ?? 0, (v) => v.id === id);
    if (!found) throw new AppError('ERR_ORDER_UNKNOWN', `unknown order ${orderId}`);
    return found;
  }

  private async findByTag(account: string, venueId: number, tag: string): Promise<Order | undefined> {
    const v = await findVenueOrder(this.client, venueId, this.o.historyStartMs ?? 0, (x) => x.customTag === tag);
    return v ? toOrder(v, account, await this.book.symbolOf(v.contractId)) : undefined;
  }

  private async toOrders(account: string, vs: readonly S.VenueOrder[]): Promise<Order[]> {
    const out: Order[] = [];
    for (const v of vs) out.push(toOrder(v, account, await this.book.symbolOf(v.contractId)));
    return out;
  }

  private reducible(req: OrderRequest, c: ContractInfo): Promise<Fixed> {
    return reducibleQty(
      {
        venueId: this.venueId(req.account),
        restPosition: async () => (await this.getPositions(req.account)).find((p) => p.symbol === c.symbol)?.qty ?? 0n,
        syncFills: () => this.syncFills(req.account, true),
        stream: this.stream,
        feeds: this.feeds,
      },
      req,
      c,
    );
  }

  private rejectLocally(req: OrderRequest, reason: string): Order {
    const o = localReject(req, reason);
    this.localRejects.set(o.orderId, o);
    this.localRejects.set(`key:${req.account}:${req.clientOrderId}`, o);
    this.events.order(o);
    return o;
  }

  // ── contracts and bars ───────────────────────────────────────────────────────
  /** Every contract the login may trade (Contract/available). */
  async availableContracts(): Promise<ContractInfo[]> {
    return this.book.available();
  }

  /** Historical bars of a symbol's active contract (History/retrieveBars, its own 50 / 30 s lane). */
  async retrieveBars(symbol: string, q: BarQuery): Promise<Bar[]> {
    const c = await this.book.forSymbol(symbol);
    return retrieveBars(this.client, c, q, this.o.liveContracts ?? false);
  }
}
