/**
 * Reconciliation (DESIGN §1, invariant 3): the engine's positions and working orders are compared
 * with the broker's (`getPositions` / `searchOpenOrders`) on start and periodically.
 *
 * Policy (docs/node.md): the broker is the truth. A mismatch that is still there on a second
 * read (a fill in flight is not a mismatch) halts the account (HALTED), journals one alert per
 * mismatch (kind `alert`, naming the symbol and both quantities), then adopts the broker's state
 * with synthetic correction events through the normal event path, so the journal replays to the
 * corrected state:
 *   - position: the part the engine holds too much (or on the wrong side) is closed by a synthetic
 *     fill at the current mark (what it could be traded at now), the part the broker holds beyond
 *     the engine is opened at the broker's average price (so unrealized P&L matches the broker);
 *     fee 0, order id `reconcile:<account>:<seq>`;
 *   - an order working in the engine but not at the broker: `order_status cancelled`;
 *   - an order working at the broker that the engine does not know: an `order` event (and, in
 *     enforce mode, a cancel at the broker if the engine's pre-trade check rejects it).
 * Once corrected the account leaves HALTED for REDUCING (probation: only risk-reducing orders)
 * until a later pass finds no mismatch, which makes it ACTIVE again. A correction that fails (an
 * unknown instrument) leaves the account HALTED with an alert.
 */
import type { BrokerPosition, Order } from '../adapters/broker.ts';
import { isoOf } from '../domain/events.ts';
import { abs, formatFixed, ZERO, type Fixed } from '../domain/money.ts';
import { fillEvent, orderEvent, orderStatusEvent } from './gateway-events.ts';
import { openPositions, positionQty, workingOrders } from '../engine/views.ts';
import type { Gateway } from './gateway.ts';

export interface Mismatch {
  readonly account: string;
  readonly kind: 'position' | 'order_not_at_broker' | 'order_unknown_to_engine';
  readonly symbol: string;
  readonly engineQty: Fixed;
  readonly brokerQty: Fixed;
  readonly orderId?: string;
}

export interface ReconcilerOptions {
  /** Broker reads a mismatch must survive before it is acted on (default 2). */
  readonly confirmReads?: number;
  /** Told of every mismatch acted on, after the correction, with the account's trading state then (the node publishes it). */
  readonly onMismatch?: (account: string, mismatches: readonly Mismatch[], tradingState: string) => void;
}

export class Reconciler {
  private timer: ReturnType<typeof setInterval> | undefined;
  private seq = 0;
  private readonly confirmReads: number;

  constructor(
    private readonly gw: Gateway,
    private readonly opts: ReconcilerOptions = {},
  ) {
    this.confirmReads = Math.max(1, opts.confirmReads ?? 2);
  }

  /** One pass over every account of the gateway; returns the mismatches acted on. */
  async runOnce(accounts: readonly string[]): Promise<Mismatch[]> {
    const out: Mismatch[] = [];
    for (const a of accounts) out.push(...(await this.reconcile(a)));
    return out;
  }

  /** Periodic passes (wall-clock interval; unref'd so it never keeps the process alive). */
  start(accounts: readonly string[], intervalMs: number, onError?: (err: unknown) => void): void {
    this.stop();
    this.timer = setInterval(() => void this.runOnce(accounts).catch((e: unknown) => onError?.(e)), intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async reconcile(account: string): Promise<Mismatch[]> {
    await this.gw.syncAccount(account);
    let found: Mismatch[] = [];
    for (let read = 0; read < this.confirmReads; read++) {
      await this.gw.idle();
      const brokerPositions = await this.gw.broker.getPositions(account);
      const brokerOrders = await this.gw.broker.searchOpenOrders(account);
      const now = this.compare(account, brokerPositions, brokerOrders);
      // Only mismatches seen identically on every read count (a fill in flight resolves itself).
      found = read === 0 ? now : now.filter((m) => found.some((f) => sameMismatch(f, m)));
      if (found.length === 0) break;
      if (read === this.confirmReads - 1) {
        this.correct(account, found, brokerPositions, brokerOrders);
        this.opts.onMismatch?.(account, found, this.gw.tradingState(account));
        return found;
      }
    }
    if (found.length === 0) this.clean(account);
    return found;
  }

  private compare(account: string, positions: readonly BrokerPosition[], orders: readonly Order[]): Mismatch[] {
    const engine = this.gw.engine;
    const held = openPositions(engine, account);
    const working = workingOrders(engine, account);
    const out: Mismatch[] = [];
    const symbols = new Set<string>([...positions.map((p) => p.symbol), ...held.map((p) => p.symbol)]);
    for (const symbol of [...symbols].sort()) {
      const engineQty = positionQty(engine, account, symbol);
      const brokerQty = positions.find((p) => p.symbol === symbol)?.qty ?? ZERO;
      if (engineQty !== brokerQty) out.push({ account, kind: 'position', symbol, engineQty, brokerQty });
    }
    const atBroker = new Map(orders.map((o) => [this.gw.engineIdOf(o.orderId) ?? o.clientOrderId, o]));
    for (const o of working) {
      if (o.rejected || atBroker.has(o.orderId)) continue;
      out.push({
        account,
        kind: 'order_not_at_broker',
        symbol: o.symbol,
        orderId: o.orderId,
        engineQty: o.qty - o.filledQty,
        brokerQty: ZERO,
      });
    }
    for (const [id, o] of atBroker) {
      if (working.some((w) => w.orderId === id)) continue;
      out.push({
        account,
        kind: 'order_unknown_to_engine',
        symbol: o.symbol,
        orderId: id,
        engineQty: ZERO,
        brokerQty: o.qty - o.filledQty,
      });
    }
    return out;
  }

  private correct(
    account: string,
    found: Mismatch[],
    positions: readonly BrokerPosition[],
    orders: readonly Order[],
  ): void {
    const gw = this.gw;
    gw.flags.halt(account, 'reconcile', `reconcile mismatch (${found.length})`);
    gw.record('trading_state', account, {
      state: 'HALTED',
      reason: `reconcile: ${found.length} mismatch(es) with the broker`,
    });
    for (const m of found)
      gw.alert(account, {
        rule: 'RECONCILE',
        symbol: m.symbol,
        reason: describe(m),
        mismatch: m.kind,
        engineQty: formatFixed(m.engineQty),
        brokerQty: formatFixed(m.brokerQty),
        ...(m.orderId ? { orderId: m.orderId } : {}),
      });
    try {
      for (const m of found) {
        if (m.kind === 'position')
          this.adoptPosition(
            account,
            m,
            positions.find((p) => p.symbol === m.symbol),
          );
        else if (m.kind === 'order_not_at_broker') {
          gw.noteOrder(m.orderId!, true);
          gw.apply(orderStatusEvent(account, m.orderId!, 'cancelled', gw.advance()));
        } else {
          const o = orders.find((x) => (gw.engineIdOf(x.orderId) ?? x.clientOrderId) === m.orderId)!;
          gw.noteOrder(m.orderId!, false);
          const ds = gw.apply(orderEvent(o, m.orderId!, gw.advance()));
          if (gw.engine.mode === 'enforce' && ds.some((d) => d.kind === 'rejection' && d.orderId === m.orderId))
            void gw.cancelOrder(account, o.orderId).catch(() => undefined);
        }
      }
    } catch (err) {
      gw.alert(account, {
        rule: 'RECONCILE',
        reason: `correction failed, account stays HALTED: ${err instanceof Error ? err.message : String(err)}`,
      });
      return;
    }
    gw.flags.clearHalt(account, 'reconcile');
    gw.flags.setProbation(account, 'reconcile correction: probation until a clean reconcile pass');
    gw.record('trading_state', account, { state: gw.tradingState(account), reason: 'broker state adopted' });
  }

  /** Synthetic fills that bring the engine's position to the broker's (see the policy above). */
  private adoptPosition(account: string, m: Mismatch, broker: BrokerPosition | undefined): void {
    const gw = this.gw;
    const e = m.engineQty;
    const b = m.brokerQty;
    const engineAvg = openPositions(gw.engine, account).find((p) => p.symbol === m.symbol)?.avgCost;
    const mark = gw.engine.markOf(m.symbol) ?? broker?.avgPrice ?? engineAvg;
    const sameSide = e === ZERO || b === ZERO || e > ZERO === b > ZERO;
    // 1. Reduce what the engine holds beyond the broker (all of it when the broker is on the other side).
    const reduceBy = sameSide ? (abs(e) > abs(b) ? abs(e) - abs(b) : ZERO) : abs(e);
    if (reduceBy > ZERO && mark !== undefined)
      this.syntheticFill(account, m.symbol, e > ZERO ? 'sell' : 'buy', reduceBy, mark);
    // 2. Open what the broker holds beyond the engine, at the broker's average price.
    const held = sameSide ? (abs(e) > abs(b) ? abs(b) : abs(e)) : ZERO;
    const openBy = abs(b) - held;
    const openAt = broker?.avgPrice ?? mark;
    if (openBy > ZERO && openAt !== undefined)
      this.syntheticFill(account, m.symbol, b > ZERO ? 'buy' : 'sell', openBy, openAt);
  }

  private syntheticFill(account: string, symbol: string, side: 'buy' | 'sell', qty: Fixed, price: Fixed): void {
    const gw = this.gw;
    const t = gw.advance();
    const orderId = `reconcile:${account}:${++this.seq}`;
    gw.noteOrder(orderId, true);
    gw.apply(
      fillEvent(
        { fillId: `${orderId}:${isoOf(t)}`, orderId, account, symbol, side, qty, price, fee: ZERO, ts: t },
        orderId,
        t,
      ),
    );
  }

  private clean(account: string): void {
    const gw = this.gw;
    const was = gw.tradingState(account);
    const probation = gw.flags.clearProbation(account);
    const halt = gw.flags.clearHalt(account, 'reconcile');
    const changed = probation || halt;
    if (changed)
      gw.record('trading_state', account, {
        state: gw.tradingState(account),
        reason: `clean reconcile pass (was ${was})`,
      });
  }
}

function sameMismatch(a: Mismatch, b: Mismatch): boolean {
  return (
    a.kind === b.kind &&
    a.symbol === b.symbol &&
    a.orderId === b.orderId &&
    a.engineQty === b.engineQty &&
    a.brokerQty === b.brokerQty
  );
}

/** JSON of a mismatch (bus message, alert data): quantities as decimal strings. */
export function mismatchJson(m: Mismatch): Record<string, string> {
  return {
    kind: m.kind,
    symbol: m.symbol,
    engineQty: formatFixed(m.engineQty),
    brokerQty: formatFixed(m.brokerQty),
    ...(m.orderId ? { orderId: m.orderId } : {}),
    message: describe(m),
  };
}

function describe(m: Mismatch): string {
  const q = (v: Fixed): string => formatFixed(v);
  if (m.kind === 'position')
    return `position mismatch ${m.symbol}: engine ${q(m.engineQty)}, broker ${q(m.brokerQty)}; broker position adopted`;
  if (m.kind === 'order_not_at_broker')
    return `order ${m.orderId} (${m.symbol}) working in the engine (${q(m.engineQty)}) but not at the broker (${q(m.brokerQty)}); marked cancelled`;
  return `order ${m.orderId} (${m.symbol}) working at the broker (${q(m.brokerQty)}) unknown to the engine (${q(m.engineQty)}); adopted`;
}
