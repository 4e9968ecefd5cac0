/**
 * `PaperBroker`: the paper matching engine behind the async `BrokerAdapter` interface, so the
 * engine kernel talks to paper exactly as to a real venue. Market data is fed with `feedBar` /
 * `feedQuote` (the paper venue's "exchange"); everything else is the shared interface.
 */
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
import { AppError } from '../../errors.ts';
import { PaperExchange, type Bar, type PaperExchangeOptions } from './exchange.ts';
import { snapshot, type WorkingOrder } from './order-state.ts';

/** The exchange returns live views; callers of the adapter get frozen copies. */
const frozen = (o: Order): Order => snapshot(o as WorkingOrder);

export class PaperBroker implements BrokerAdapter {
  readonly name = 'paper';
  readonly exchange: PaperExchange;
  private connected = false;

  constructor(options: PaperExchangeOptions = {}) {
    this.exchange = new PaperExchange(options);
  }

  async connect(): Promise<void> {
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  private live(): void {
    if (!this.connected) throw new AppError('ERR_BROKER_REJECTED', 'paper broker is not connected');
  }

  async placeOrder(request: OrderRequest): Promise<Order> {
    this.live();
    return frozen(this.exchange.place(request));
  }

  async cancelOrder(account: string, orderId: string): Promise<Order> {
    this.live();
    return frozen(this.exchange.cancel(account, orderId));
  }

  async modifyOrder(account: string, orderId: string, changes: OrderChanges): Promise<Order> {
    this.live();
    return frozen(this.exchange.modify(account, orderId, changes));
  }

  async searchOpenOrders(account: string, symbol?: string): Promise<Order[]> {
    return this.exchange.openOrders(account, symbol).map(frozen);
  }

  async getOrder(account: string, orderId: string): Promise<Order> {
    return frozen(this.exchange.order(account, orderId));
  }

  async getPositions(account: string): Promise<BrokerPosition[]> {
    return this.exchange.positions(account);
  }

  async getFills(account: string, sinceTs?: number): Promise<Fill[]> {
    return this.exchange.fills(account, sinceTs);
  }

  async getAccount(account: string): Promise<BrokerAccountState> {
    return this.exchange.accountState(account);
  }

  onFill(listener: (fill: Fill) => void): Unsubscribe {
    return this.exchange.onFill(listener);
  }

  onOrder(listener: (order: Order) => void): Unsubscribe {
    return this.exchange.onOrder(listener);
  }

  onQuote(listener: (quote: Quote) => void): Unsubscribe {
    return this.exchange.onQuoteEvent(listener);
  }

  feedBar(symbol: string, bar: Bar): void {
    this.exchange.onBar(symbol, bar);
  }

  feedQuote(quote: Quote): void {
    this.exchange.onQuote(quote);
  }
}
