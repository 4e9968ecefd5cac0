/**
 * `ProjectXBroker`: the TopstepX / ProjectX Gateway venue behind riskgate's `BrokerAdapter`, over
 * REST, plus quotes from the market hub. The SignalR user hub is a later step: until then fills
 * and order updates come from REST reads after each action and an optional poll.
 *
 * Venue account ids map to riskgate accounts through the config. Idempotency rides on the venue's
 * `customTag` (unique per account), set to the client order id: a reused key finds the order the
 * venue already holds, and an order whose answer was lost (timeout, 5xx) is looked up by its tag
 * before anything is sent again. The venue has no reduce-only flag, so reduce-only orders are
 * clipped here to the position the venue reports (and refused when there is none to reduce).
 */
import { AppError, isAppError } from '../../errors.ts';
import { InstrumentTable } from '../../domain/instrument.ts';
import { fromInt, min, type Fixed } from '../../domain/money.ts';
import type {
  BrokerAccountState,
  BrokerAdapter,
  BrokerPosition,
  Fill,
  Order,
  OrderChanges,
  OrderRequest,
  Quote,
  Unsubscribe,
} from '../broker.ts';
import { ProjectXClient, type ProjectXClientOptions } from './client.ts';
import { EventFeed } from './events.ts';
import { MarketHub } from './market-hub.ts';
import {
  contractInfo,
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
import * as S from './schemas.ts';

export interface ProjectXBrokerOptions extends ProjectXClientOptions {
  /** Venue account id → riskgate account. */
  readonly accounts: Readonly<Record<string, string>>;
  readonly instruments?: InstrumentTable;
  /** Earliest time order and trade searches reach back to (epoch ms, default 0: everything). */
  readonly historyStartMs?: number;
  /** Poll open orders and trades this often for listeners (ms; 0 = only after own actions). */
  readonly pollMs?: number;
  /** The market hub; without it there are no quotes. */
  readonly marketHubUrl?: string;
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
  private readonly contracts = new Map<string, ContractInfo>();
  private readonly activeBySymbol = new Map<string, ContractInfo>();
  private readonly localRejects = new Map<string, Order>();
  private readonly events = new EventFeed();
  private timer: NodeJS.Timeout | undefined;
  private hub: MarketHub | undefined;

  constructor(private readonly o: ProjectXBrokerOptions) {
    this.client = new ProjectXClient(o);
    this.table = o.instruments ?? new InstrumentTable();
    for (const [venueId, account] of Object.entries(o.accounts)) this.venueIds.set(account, Number(venueId));
  }

  async connect(): Promise<void> {
    await this.client.sessionToken();
    for (const [account, venueId] of this.venueIds) {
      const [fills, orders] = await Promise.all([this.getFills(account), this.venueOrders(venueId, true)]);
      this.events.prime(fills, await this.toOrders(account, orders));
    }
    if (this.o.marketHubUrl) await this.startMarketHub(this.o.marketHubUrl);
    if ((this.o.pollMs ?? 0) > 0) this.timer = setInterval(() => void this.poll(), this.o.pollMs);
  }

  async disconnect(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.hub?.stop();
    this.hub = undefined;
    this.client.close();
  }

  private async startMarketHub(url: string): Promise<void> {
    this.hub = new MarketHub({
      url,
      token: () => this.client.sessionToken(),
      symbolOf: (id) => this.contracts.get(id)?.symbol,
      onQuote: (q) => this.events.quote(q),
      now: this.o.now ?? Date.now,
    });
    await this.hub.start();
    for (const s of this.o.quoteSymbols ?? []) await this.hub.subscribe((await this.contractFor(s)).contractId);
  }

  // ── orders ───────────────────────────────────────────────────────────────────
  async placeOrder(request: OrderRequest): Promise<Order> {
    const venueId = this.venueId(request.account);
    const c = await this.contractFor(request.symbol);
    const req: OrderRequest = { ...request, symbol: c.symbol };
    const known = this.localRejects.get(`key:${req.account}:${req.clientOrderId}`);
    if (known) return known;
    let size = venueSize(req.qty);
    if (req.reduceOnly) {
      const room = await this.reducible(req, c.symbol);
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
    return this.settle(req.account, venueId, String(orderId));
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
    const c = await this.contractById(v.contractId);
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
    return toOrder(v, account, await this.symbolOf(v.contractId));
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
      if (p.size > 0) out.push(toPosition(p, account, await this.symbolOf(p.contractId)));
    return out;
  }

  async getFills(account: string, sinceTs?: number): Promise<Fill[]> {
    const start = new Date(sinceTs ?? this.o.historyStartMs ?? 0).toISOString();
    const r = await this.client.post(
      'Trade/search',
      { accountId: this.venueId(account), startTimestamp: start },
      S.tradeSearchResponse,
      { idempotent: true },
    );
    const out: Fill[] = [];
    for (const t of r.trades ?? []) if (!t.voided) out.push(toFill(t, account, await this.symbolOf(t.contractId)));
    return out
      .filter((f) => sinceTs === undefined || f.ts >= sinceTs)
      .sort((a, b) => a.ts - b.ts || Number(a.fillId) - Number(b.fillId));
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
    const c = await this.contractFor(symbol);
    await this.client.post(
      'Position/closeContract',
      { accountId: this.venueId(account), contractId: c.contractId },
      S.ackResponse,
      { idempotent: true },
    );
    await this.syncFills(account);
  }

  onFill(listener: (fill: Fill) => void): Unsubscribe {
    return this.events.onFill(listener);
  }
  onOrder(listener: (order: Order) => void): Unsubscribe {
    return this.events.onOrder(listener);
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
    const order = toOrder(v, account, await this.symbolOf(v.contractId));
    if (this.events.wantsEvents) {
      // The order first: a listener maps the venue's order id to the client's before its fills arrive.
      this.events.order(order);
      await this.syncFills(account);
    }
    return order;
  }

  private async syncFills(account: string): Promise<void> {
    if (this.events.fills.size === 0) return;
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

  private async venueOrders(venueId: number, openOnly: boolean) {
    if (openOnly)
      return (
        (
          await this.client.post('Order/searchOpen', { accountId: venueId }, S.orderSearchResponse, {
            idempotent: true,
          })
        ).orders ?? []
      );
    const start = new Date(this.o.historyStartMs ?? 0).toISOString();
    return (
      (
        await this.client.post('Order/search', { accountId: venueId, startTimestamp: start }, S.orderSearchResponse, {
          idempotent: true,
        })
      ).orders ?? []
    );
  }

  private async venueOrder(venueId: number, orderId: string): Promise<S.VenueOrder> {
    const id = this.orderNumber(orderId);
    const found =
      (await this.venueOrders(venueId, true)).find((v) => v.id === id) ??
      (await this.venueOrders(venueId, false)).find((v) => v.id === id);
    if (!found) throw new AppError('ERR_ORDER_UNKNOWN', `unknown order ${orderId}`);
    return found;
  }

  private async findByTag(account: string, venueId: number, tag: string): Promise<Order | undefined> {
    const v =
      (await this.venueOrders(venueId, true)).find((x) => x.customTag === tag) ??
      (await this.venueOrders(venueId, false)).find((x) => x.customTag === tag);
    return v ? toOrder(v, account, await this.symbolOf(v.contractId)) : undefined;
  }

  private async toOrders(account: string, vs: readonly S.VenueOrder[]): Promise<Order[]> {
    const out: Order[] = [];
    for (const v of vs) out.push(toOrder(v, account, await this.symbolOf(v.contractId)));
    return out;
  }

  /** How much a reduce-only order may trade: the position on the other side, else 0. */
  private async reducible(req: OrderRequest, symbol: string): Promise<Fixed> {
    const pos = (await this.getPositions(req.account)).find((p) => p.symbol === symbol)?.qty ?? 0n;
    const room = req.side === 'sell' ? pos : -pos;
    return room > 0n ? room : 0n;
  }

  private rejectLocally(req: OrderRequest, reason: string): Order {
    const orderId = `local-${req.clientOrderId}`;
    const o: Order = {
      orderId,
      clientOrderId: req.clientOrderId,
      account: req.account,
      symbol: req.symbol,
      side: req.side,
      qty: req.qty,
      filledQty: fromInt(0),
      avgFillPrice: undefined,
      type: req.type,
      limitPrice: req.limitPrice,
      stopPrice: req.stopPrice,
      trailAmount: req.trailAmount,
      reduceOnly: true,
      ocoGroup: undefined,
      parentOrderId: undefined,
      status: 'rejected',
      reason,
      createdTs: 0,
      updatedTs: 0,
    };
    this.localRejects.set(orderId, o);
    this.localRejects.set(`key:${req.account}:${req.clientOrderId}`, o);
    this.events.order(o);
    return o;
  }

  // ── contracts ────────────────────────────────────────────────────────────────
  private remember(c: ContractInfo): ContractInfo {
    this.contracts.set(c.contractId, c);
    if (c.active && !this.activeBySymbol.has(c.symbol)) this.activeBySymbol.set(c.symbol, c);
    return c;
  }

  private async contractById(contractId: string): Promise<ContractInfo> {
    const cached = this.contracts.get(contractId);
    if (cached) return cached;
    const r = await this.client.post('Contract/searchById', { contractId }, S.contractByIdResponse, {
      idempotent: true,
    });
    if (!r.contract) throw new AppError('ERR_INSTRUMENT_UNKNOWN', `projectx has no contract ${contractId}`);
    return this.remember(contractInfo(r.contract, this.table));
  }

  /** A symbol root (`MNQ`) → its active contract; a full contract id is taken as is. */
  private async contractFor(symbol: string): Promise<ContractInfo> {
    if (symbol.startsWith('CON.')) return this.contractById(symbol);
    const root = this.table.root(symbol);
    const cached = this.activeBySymbol.get(root);
    if (cached) return cached;
    const r = await this.client.post(
      'Contract/search',
      { searchText: root, live: this.o.liveContracts ?? false },
      S.contractSearchResponse,
      { idempotent: true },
    );
    for (const c of r.contracts ?? []) this.remember(contractInfo(c, this.table));
    const found = this.activeBySymbol.get(root);
    if (!found) throw new AppError('ERR_INSTRUMENT_UNKNOWN', `projectx has no active contract for ${symbol}`);
    // A symbol riskgate trades needs marks: stream its quotes from now on.
    await this.hub?.subscribe(found.contractId);
    return found;
  }

  private async symbolOf(contractId: string): Promise<string> {
    return (await this.contractById(contractId)).symbol;
  }
}
