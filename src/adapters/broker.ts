/**
 * The broker interface every venue adapter implements (DESIGN §1 `src/adapters/`): paper,
 * ProjectX, ccxt. Money, prices and quantities are exact `Fixed` bigints (src/domain/money.ts);
 * adapters convert to/from the venue's decimal strings at their own boundary. Times are epoch
 * milliseconds (UTC) taken from the venue or, for paper, from the fed market data.
 *
 * Retries: `placeOrder` carries a client idempotency key (`clientOrderId`). Placing again with a
 * key the broker has seen returns the order it already holds instead of creating a second one,
 * so a retried enforcement or a retried strategy order never doubles a position (DESIGN §1 inv. 2).
 */
import type { Fixed } from '../domain/money.ts';
import type { Instrument } from '../domain/instrument.ts';

export type { Instrument };

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
/** `working` includes partially filled orders (`filledQty` > 0). */
export type OrderStatus = 'working' | 'filled' | 'cancelled' | 'rejected';

/** Attached exit orders: when the entry fills, a stop and/or a target are placed as an OCO pair. */
export interface BracketSpec {
  readonly stopLoss?: Fixed;
  readonly takeProfit?: Fixed;
}

export interface OrderRequest {
  readonly account: string;
  /** Idempotency key, unique per account. */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Fixed;
  readonly type: OrderType;
  /** limit and stop_limit */
  readonly limitPrice?: Fixed;
  /** stop and stop_limit (trigger); trailing_stop: optional initial stop */
  readonly stopPrice?: Fixed;
  /** trailing_stop: distance in price units the stop keeps from the best price seen */
  readonly trailAmount?: Fixed;
  /** Never opens or increases a position: clipped to the position at fill time, else cancelled. */
  readonly reduceOnly?: boolean;
  /** Orders sharing an OCO group: a fill on one reduces (and at full fill cancels) the others. */
  readonly ocoGroup?: string;
  readonly bracket?: BracketSpec;
}

export interface Order {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Fixed;
  readonly filledQty: Fixed;
  /** Volume-weighted average fill price; undefined before the first fill. */
  readonly avgFillPrice: Fixed | undefined;
  readonly type: OrderType;
  readonly limitPrice: Fixed | undefined;
  readonly stopPrice: Fixed | undefined;
  readonly trailAmount: Fixed | undefined;
  readonly reduceOnly: boolean;
  readonly ocoGroup: string | undefined;
  /** Bracket children name their entry order. */
  readonly parentOrderId: string | undefined;
  readonly status: OrderStatus;
  /** Why the order was rejected or cancelled by the venue (not by the user). */
  readonly reason: string | undefined;
  readonly createdTs: number;
  readonly updatedTs: number;
}

export interface OrderChanges {
  readonly qty?: Fixed;
  readonly limitPrice?: Fixed;
  readonly stopPrice?: Fixed;
  readonly trailAmount?: Fixed;
}

export interface Fill {
  readonly fillId: string;
  readonly orderId: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Fixed;
  readonly price: Fixed;
  /** In account currency, for this fill. */
  readonly fee: Fixed;
  readonly ts: number;
}

/**
 * A position as the venue reports it: netted per (account, symbol), `qty` signed (+ long, − short).
 * The engine's own position (src/domain/position.ts) keeps the FIFO lots behind it.
 */
export interface BrokerPosition {
  readonly account: string;
  readonly symbol: string;
  readonly qty: Fixed;
  /** Σ lotPrice × lotQty / qty, for display only (exact here, rounded by whoever prints it). */
  readonly avgPrice: Fixed;
}

/** An account as the venue reports it (the engine's risk state is src/risk/account.ts). */
export interface BrokerAccountState {
  readonly account: string;
  readonly canTrade: boolean;
  /** Cash balance: starting balance + net realized P&L (fees deducted). */
  readonly balance: Fixed;
}

/** Top of book and/or last trade. Sizes, when known, bound how much a paper order can fill. */
export interface Quote {
  readonly symbol: string;
  readonly ts: number;
  readonly bid?: Fixed;
  readonly ask?: Fixed;
  readonly last?: Fixed;
  readonly bidSize?: Fixed;
  readonly askSize?: Fixed;
}

export type Unsubscribe = () => void;

/** A live venue feed's health: why marks are stale now (empty = fresh) and other venue warnings. */
export interface FeedHealth {
  readonly marksStale: readonly string[];
  readonly warnings: readonly string[];
}

export interface BrokerAdapter {
  readonly name: string;
  connect(): Promise<void>;
  disconnect(): Promise<void>;

  placeOrder(request: OrderRequest): Promise<Order>;
  cancelOrder(account: string, orderId: string): Promise<Order>;
  modifyOrder(account: string, orderId: string, changes: OrderChanges): Promise<Order>;
  /** Working orders (including partially filled), optionally of one symbol, in placement order. */
  searchOpenOrders(account: string, symbol?: string): Promise<Order[]>;
  getOrder(account: string, orderId: string): Promise<Order>;

  /** Non-flat positions only. */
  getPositions(account: string): Promise<BrokerPosition[]>;
  /** Fills with `ts` >= sinceTs (all when omitted), in execution order. */
  getFills(account: string, sinceTs?: number): Promise<Fill[]>;
  getAccount(account: string): Promise<BrokerAccountState>;

  onFill(listener: (fill: Fill) => void): Unsubscribe;
  onOrder(listener: (order: Order) => void): Unsubscribe;
  onQuote(listener: (quote: Quote) => void): Unsubscribe;
  /** Optional (venues that push account state): `canTrade` / balance changes as they happen. */
  onAccount?(listener: (state: BrokerAccountState) => void): Unsubscribe;
  /** Optional (venues with a live market feed): stale marks and venue warnings, shown by the node. */
  feedHealth?(): FeedHealth;
}

/** An account's view a pre-trade check needs (the lead wires this to the risk engine). */
export interface AccountSnapshot {
  readonly account: BrokerAccountState;
  readonly positions: readonly BrokerPosition[];
  readonly openOrders: readonly Order[];
  readonly ts: number;
}

export type PreTradeDecision =
  { readonly allow: true } | { readonly allow: false; readonly rule: string; readonly reason: string };

export type PreTradeHook = (order: OrderRequest, state: AccountSnapshot) => PreTradeDecision;

export const allowAll: PreTradeHook = () => ({ allow: true });
