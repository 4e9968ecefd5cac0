/**
 * The quick start's demo trader: a scripted trader on the first paper account that shows, within
 * a minute of `npm start`, fills, P&L and the starter rules acting. It trades only through the
 * node's commands, as any client would. One step every `stepMs`:
 *
 *   buy 2 without a stop → RULE-008 closes it after its grace period
 *   try to buy 8         → RULE-001 (max contracts) rejects it before it reaches the broker
 *   buy 1 with a stop    → held for a while, then closed and its stop cancelled
 *   sell 1 with a stop   → the same on the short side
 */
import { fromInt, parseFixed, ZERO, type Fixed } from '../domain/money.ts';
import type { NewOrder, SubmitResult } from './gateway.ts';

export interface DemoTraderOptions {
  readonly symbol?: string;
  /** Milliseconds between steps (default 4000). */
  readonly stepMs?: number;
  /** Stop distance in points (default 30). */
  readonly stopPoints?: string;
}

/** What the demo trader uses of the node: commands and two queries. */
export interface DemoTraderPort {
  submitOrder(order: NewOrder): Promise<SubmitResult>;
  cancelOrder(account: string, orderId: string): Promise<unknown>;
  positionQty(account: string, symbol: string): Fixed;
  mark(symbol: string): Fixed | undefined;
  say(message: string): void;
}

type Step = () => Promise<void> | void;

export class DemoTrader {
  private timer: ReturnType<typeof setInterval> | undefined;
  private i = 0;
  private busy = false;
  private stopId: string | undefined;
  private readonly symbol: string;
  private readonly script: Step[];
  private n = 0;

  constructor(
    private readonly port: DemoTraderPort,
    private readonly account: string,
    private readonly opts: DemoTraderOptions = {},
  ) {
    this.symbol = opts.symbol ?? 'MES';
    const wait: Step = () => undefined;
    this.script = [
      () => this.open('buy', 2, false),
      wait,
      wait,
      wait,
      wait,
      wait,
      wait,
      () => this.open('buy', 8, false),
      () => this.flat(),
      () => this.open('buy', 1, true),
      wait,
      wait,
      wait,
      () => this.flat(),
      () => this.open('sell', 1, true),
      wait,
      wait,
      wait,
      () => this.flat(),
    ];
  }

  start(): void {
    if (this.timer) return;
    this.port.say(
      `demo trader on ${this.account}: trading ${this.symbol} every ${(this.opts.stepMs ?? 4000) / 1000} s (turn it off with --no-demo)`,
    );
    this.timer = setInterval(() => void this.step(), this.opts.stepMs ?? 4000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One step of the script (also called by tests without a timer). */
  async step(): Promise<void> {
    if (this.busy || this.port.mark(this.symbol) === undefined) return; // no price yet
    this.busy = true;
    try {
      await this.script[this.i++ % this.script.length]!();
    } catch (err) {
      this.port.say(`demo trader: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.busy = false;
    }
  }

  private async open(side: 'buy' | 'sell', qty: number, protect: boolean): Promise<void> {
    const r = await this.submit({ side, qty: fromInt(qty), type: 'market' });
    const what = `${side} ${qty} ${this.symbol}${protect ? ' with a protective stop' : ' without a stop'}`;
    if (r.status === 'rejected')
      return this.port.say(`demo trader: ${what}: rejected by ${r.rules.join(', ')}: ${r.reasons.join('; ')}`);
    this.port.say(
      `demo trader: ${what}${protect ? '' : ' (RULE-008 closes an unprotected position after its grace period)'}`,
    );
    if (!protect) return;
    const mark = this.port.mark(this.symbol)!;
    const points = parseFixed(this.opts.stopPoints ?? '30');
    const stopPrice = side === 'buy' ? mark - points : mark + points;
    const stop = await this.submit({
      side: side === 'buy' ? 'sell' : 'buy',
      qty: fromInt(qty),
      type: 'stop',
      stopPrice,
      reduceOnly: true,
    });
    if (stop.status === 'routed') this.stopId = stop.order.orderId;
  }

  /** Closes whatever is open and cancels the protective stop. */
  private async flat(): Promise<void> {
    if (this.stopId) {
      const id = this.stopId;
      this.stopId = undefined;
      await this.port.cancelOrder(this.account, id).catch(() => undefined); // already filled or cancelled
    }
    const qty = this.port.positionQty(this.account, this.symbol);
    if (qty === ZERO) return;
    await this.submit({ side: qty > ZERO ? 'sell' : 'buy', qty: qty > ZERO ? qty : -qty, type: 'market' });
    this.port.say(`demo trader: closed ${this.symbol}`);
  }

  private submit(o: Omit<NewOrder, 'account' | 'symbol' | 'clientOrderId'>): Promise<SubmitResult> {
    return this.port.submitOrder({
      account: this.account,
      symbol: this.symbol,
      clientOrderId: `demo-${Date.now().toString(36)}-${++this.n}`,
      ...o,
    } as NewOrder);
  }
}
