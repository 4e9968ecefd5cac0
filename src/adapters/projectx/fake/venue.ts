/**
 * The fake ProjectX venue's state: ProjectX ids, tags, contracts and accounts around the paper
 * matching engine (src/adapters/paper), with the published enum codes on every record it answers
 * with. The HTTP layer (server.ts) turns these into the Gateway's request/response JSON.
 */
import { PaperBroker } from '../../paper/index.ts';
import type { Fill, Order, OrderRequest } from '../../broker.ts';
import { abs, fromInt, parseFixed, type Fixed } from '../../../domain/money.ts';
import { JsonDecimal, VENUE_POSITION, VENUE_SIDE, VENUE_STATUS, VENUE_TYPE } from '../mapper.ts';

export interface FakeContract {
  readonly id: string;
  readonly name: string;
  readonly symbol: string;
  readonly tickSize: string;
  readonly tickValue: string;
}

export const FAKE_CONTRACTS: readonly FakeContract[] = [
  { id: 'CON.F.US.MNQ.Z25', name: 'MNQZ5', symbol: 'MNQ', tickSize: '0.25', tickValue: '0.50' },
  // The venue's product code differs from the symbol root here, as it does at ProjectX.
  { id: 'CON.F.US.EP.Z25', name: 'ESZ5', symbol: 'ES', tickSize: '0.25', tickValue: '12.50' },
];

export interface FakeAccount {
  readonly id: number;
  readonly name: string;
  readonly balance: string;
}

/** A user-hub event the venue emits (target and account; `data` is the REST record's JSON). */
export interface UserEvent {
  readonly target: 'GatewayUserAccount' | 'GatewayUserOrder' | 'GatewayUserPosition' | 'GatewayUserTrade';
  readonly accountId: number;
  readonly data: unknown;
}

const dec = (v: Fixed | undefined): JsonDecimal | null => (v === undefined ? null : JsonDecimal.of(v));
const iso = (ms: number): string => new Date(ms).toISOString();

export class FakeVenue {
  readonly paper: PaperBroker;
  private readonly paperIdOf = new Map<number, string>();
  private readonly venueIdOf = new Map<string, number>();
  private readonly fillIds = new Map<string, number>();
  private readonly tags = new Map<string, number>();
  private readonly ordersOf = new Map<number, number[]>();
  private readonly markets = new Map<string, { bid: Fixed; ask: Fixed }>();
  private readonly mids: { symbol: string; ts: number; mid: Fixed }[] = [];
  private nextOrderId = 9000;
  private nextTradeId = 500;
  /** Receives the user-hub events of every order change and fill (set by the server). */
  onUserEvent: (e: UserEvent) => void = () => undefined;

  constructor(
    readonly accounts: readonly FakeAccount[],
    feePerContract: Fixed = 0n,
  ) {
    this.paper = new PaperBroker({
      accounts: accounts.map((a) => ({ id: String(a.id), balance: parseFixed(a.balance) })),
      feePerContract,
    });
    void this.paper.connect();
    // Deferred a microtask: an order that fills inside `place` gets its venue id first.
    this.paper.exchange.onOrder((o) => queueMicrotask(() => this.orderChanged(o)));
    this.paper.exchange.onFill((f) => queueMicrotask(() => this.filled(f)));
  }

  private orderChanged(o: Order): void {
    // An order the engine placed by itself (a bracket exit) gets its venue id on first sight.
    const id = this.venueIdOf.get(o.orderId) ?? this.adopt(o);
    const accountId = Number(o.account);
    this.onUserEvent({ target: 'GatewayUserOrder', accountId, data: this.orderJson(accountId, id, o) });
  }

  private filled(f: Fill): void {
    const accountId = Number(f.account);
    this.onUserEvent({ target: 'GatewayUserTrade', accountId, data: this.tradeJson(accountId, f) });
    const c = this.contractOfSymbol(f.symbol);
    const pos = this.positionsJson(accountId).find((p) => (p as { contractId: string }).contractId === c.id);
    this.onUserEvent({
      target: 'GatewayUserPosition',
      accountId,
      // A closed position is sent with size 0 (the hub's way of saying it is gone).
      data: pos ?? {
        id: 0,
        accountId,
        contractId: c.id,
        creationTimestamp: iso(f.ts),
        type: VENUE_POSITION.long,
        size: 0,
        averagePrice: 0,
      },
    });
    const account = this.accountsJson().find((a) => (a as { id: number }).id === accountId);
    if (account) this.onUserEvent({ target: 'GatewayUserAccount', accountId, data: account });
  }

  contract(id: string): FakeContract | undefined {
    return FAKE_CONTRACTS.find((c) => c.id === id);
  }

  private contractOfSymbol(symbol: string): FakeContract {
    const c = FAKE_CONTRACTS.find((x) => x.symbol === symbol);
    if (!c) throw new Error(`fake venue has no contract for ${symbol}`);
    return c;
  }

  setMarket(symbol: string, bid: string, ask: string, ts: number): void {
    this.markets.set(symbol, { bid: parseFixed(bid), ask: parseFixed(ask) });
    this.mids.push({ symbol, ts, mid: (parseFixed(bid) + parseFixed(ask)) / 2n });
    this.paper.feedQuote({
      symbol,
      ts,
      bid: parseFixed(bid),
      ask: parseFixed(ask),
      bidSize: fromInt(1000),
      askSize: fromInt(1000),
    });
  }

  /** Count of orders the venue holds for an account (what "exactly one order" tests read). */
  orderCount(accountId: number): number {
    return this.ordersOf.get(accountId)?.length ?? 0;
  }

  hasTag(accountId: number, tag: string): boolean {
    return this.tags.has(`${accountId}:${tag}`);
  }

  place(accountId: number, req: Omit<OrderRequest, 'account' | 'clientOrderId'>, tag: string): number {
    const o = this.paper.exchange.place({ ...req, account: String(accountId), clientOrderId: tag });
    const id = this.nextOrderId++;
    this.paperIdOf.set(id, o.orderId);
    this.venueIdOf.set(o.orderId, id);
    this.tags.set(`${accountId}:${tag}`, id);
    this.ordersOf.set(accountId, [...(this.ordersOf.get(accountId) ?? []), id]);
    return id;
  }

  private adopt(o: Order): number {
    const id = this.nextOrderId++;
    const accountId = Number(o.account);
    this.paperIdOf.set(id, o.orderId);
    this.venueIdOf.set(o.orderId, id);
    this.tags.set(`${accountId}:${o.clientOrderId}`, id);
    this.ordersOf.set(accountId, [...(this.ordersOf.get(accountId) ?? []), id]);
    return id;
  }

  /** Trail distance for a trailing stop starting at `level`: from the side's current quote. */
  trailFrom(symbol: string, side: 'buy' | 'sell', level: Fixed): Fixed {
    const m = this.markets.get(symbol);
    const ref = m ? (side === 'sell' ? m.bid : m.ask) : level;
    return abs(ref - level);
  }

  paperOrder(accountId: number, id: number): Order | undefined {
    const pid = this.paperIdOf.get(id);
    if (!pid || !(this.ordersOf.get(accountId) ?? []).includes(id)) return undefined;
    return this.paper.exchange.order(String(accountId), pid);
  }

  paperId(id: number): string | undefined {
    return this.paperIdOf.get(id);
  }

  ordersJson(accountId: number, openOnly: boolean, sinceMs = 0): unknown[] {
    const out: unknown[] = [];
    for (const id of this.ordersOf.get(accountId) ?? []) {
      const o = this.paperOrder(accountId, id);
      if (!o || (openOnly && o.status !== 'working') || o.createdTs < sinceMs) continue;
      out.push(this.orderJson(accountId, id, o));
    }
    return out;
  }

  private orderJson(accountId: number, id: number, o: Order): unknown {
    const status = {
      working: VENUE_STATUS.open,
      filled: VENUE_STATUS.filled,
      cancelled: VENUE_STATUS.cancelled,
      rejected: VENUE_STATUS.rejected,
    }[o.status];
    const type = {
      market: VENUE_TYPE.market,
      limit: VENUE_TYPE.limit,
      stop: VENUE_TYPE.stop,
      stop_limit: VENUE_TYPE.stopLimit,
      trailing_stop: VENUE_TYPE.trailingStop,
    }[o.type];
    return {
      id,
      accountId,
      contractId: this.contractOfSymbol(o.symbol).id,
      creationTimestamp: iso(o.createdTs),
      updateTimestamp: iso(o.updatedTs),
      status,
      type,
      side: VENUE_SIDE[o.side],
      size: Number(o.qty / 10n ** 18n),
      limitPrice: dec(o.limitPrice),
      stopPrice: dec(o.stopPrice),
      trailPrice: dec(o.trailAmount),
      fillVolume: Number(o.filledQty / 10n ** 18n),
      filledPrice: dec(o.avgFillPrice),
      customTag: o.clientOrderId,
    };
  }

  positionsJson(accountId: number): unknown[] {
    return this.paper.exchange.positions(String(accountId)).map((p, i) => ({
      id: 3000 + i,
      accountId,
      contractId: this.contractOfSymbol(p.symbol).id,
      creationTimestamp: iso(this.paper.exchange.time),
      type: p.qty > 0n ? VENUE_POSITION.long : VENUE_POSITION.short,
      size: Number(abs(p.qty) / 10n ** 18n),
      averagePrice: JsonDecimal.of(p.avgPrice),
    }));
  }

  tradesJson(accountId: number, sinceMs: number): unknown[] {
    return this.paper.exchange.fills(String(accountId), sinceMs).map((f) => this.tradeJson(accountId, f));
  }

  private tradeJson(accountId: number, f: Fill): unknown {
    let id = this.fillIds.get(f.fillId);
    if (id === undefined) this.fillIds.set(f.fillId, (id = this.nextTradeId++));
    return {
      id,
      accountId,
      contractId: this.contractOfSymbol(f.symbol).id,
      creationTimestamp: iso(f.ts),
      price: JsonDecimal.of(f.price),
      profitAndLoss: null,
      fees: JsonDecimal.of(f.fee),
      side: VENUE_SIDE[f.side],
      size: Number(f.qty / 10n ** 18n),
      voided: false,
      orderId: this.venueIdOf.get(f.orderId) ?? 0,
    };
  }

  /** One bar per market update in [from, to] (o = h = l = c = the mid), newest first, at most `limit`. */
  bars(contractId: string, from: number, to: number, limit: number): unknown[] {
    const symbol = this.symbolOf(contractId);
    return this.mids
      .filter((m) => m.symbol === symbol && m.ts >= from && m.ts <= to)
      .reverse()
      .slice(0, limit)
      .map((m) => {
        const p = JsonDecimal.of(m.mid);
        return { t: iso(m.ts), o: p, h: p, l: p, c: p, v: 1 };
      });
  }

  accountsJson(): unknown[] {
    return this.accounts.map((a) => {
      const s = this.paper.exchange.accountState(String(a.id));
      return {
        id: a.id,
        name: a.name,
        balance: JsonDecimal.of(s.balance),
        canTrade: s.canTrade,
        isVisible: true,
        simulated: true,
      };
    });
  }

  contractJson(c: FakeContract): unknown {
    return {
      id: c.id,
      name: c.name,
      description: `${c.symbol} December 2025`,
      tickSize: new JsonDecimal(c.tickSize),
      tickValue: new JsonDecimal(c.tickValue),
      activeContract: true,
      symbolId: c.id.split('.').slice(1, 4).join('.'),
    };
  }

  symbolOf(contractId: string): string | undefined {
    return this.contract(contractId)?.symbol;
  }
}
