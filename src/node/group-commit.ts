/**
 * Group commit of the order route (gateway.ts submitOrder). An order event must be durable
 * before its broker call (journal before broker), and the journal's flush (one fsync) costs
 * more than the rest of the route: orders accepted in the same turn of the event loop share one.
 *
 * The flush runs in a `setImmediate` callback, not a microtask: the HTTP requests read in one
 * poll phase each run in a callback of their own with microtasks drained after each, so a
 * microtask would still flush once per order; the check phase follows the whole poll phase.
 *
 * While an order waits, the account may change (a breach locks it, an admin lock, HALTED, the
 * user cancels that order): the gateway re-checks before routing (gateway.ts `refusedAfterCommit`).
 * Enforcement flushes stay synchronous (gateway-core.ts): enforcement never waits.
 */
import type { Order } from '../adapters/broker.ts';
import { ZERO } from '../domain/money.ts';
import type { NewOrder } from './gateway-core.ts';
import { stateOf, type StateReasons } from './gateway-state.ts';

export class GroupCommit {
  private pending: Promise<void> | undefined;

  constructor(private readonly flush: () => void) {}

  /**
   * Resolves after a flush that starts later than this call: every record appended before the
   * call is durable then. Rejects with the flush's error (nothing may be routed on it).
   */
  durable(): Promise<void> {
    this.pending ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = undefined; // callers from here on need a flush of their own
        try {
          this.flush();
          resolve();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    return this.pending;
  }
}

/** An order accepted by the gateway and waiting for its group commit (not yet at the broker). */
export interface AwaitingCommit {
  readonly req: NewOrder;
  readonly reduceOnly: boolean;
  /** The user cancelled it while it waited: it is never routed. */
  cancelledAt?: number;
}

/** The answer to a cancel of an order that never reached the broker (it has no broker id). */
export function unroutedCancel(clientOrderId: string, w: AwaitingCommit, t: number): Order {
  const r = w.req;
  return {
    orderId: clientOrderId,
    clientOrderId,
    account: r.account,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    filledQty: ZERO,
    avgFillPrice: undefined,
    type: r.type,
    limitPrice: r.limitPrice,
    stopPrice: r.stopPrice,
    trailAmount: r.trailAmount,
    reduceOnly: w.reduceOnly,
    ocoGroup: r.ocoGroup,
    parentOrderId: undefined,
    status: 'cancelled',
    reason: undefined, // cancelled by the user, not the venue
    createdTs: t,
    updatedTs: t,
  };
}

/**
 * Why an order that waited for its group commit must not be routed, else undefined: it ended
 * meanwhile (the user cancelled it, or it was rejected), or it opens risk and its account is no
 * longer ACTIVE (a lock, REDUCING, HALTED began). A risk-reducing order still goes (invariant 1),
 * reduce-only: the broker clips it to the position.
 */
export function recheck(
  clientOrderId: string,
  waiting: AwaitingCommit,
  ended: boolean,
  reducing: boolean,
  reasons: () => StateReasons,
): { code: string; reason: string } | undefined {
  if (waiting.cancelledAt !== undefined)
    return {
      code: 'ORDER_CANCELLED',
      reason: `order ${clientOrderId} was cancelled while it was being journaled: not routed`,
    };
  if (ended)
    return { code: 'ORDER_ENDED', reason: `order ${clientOrderId} ended while it was being journaled: not routed` };
  if (reducing) return undefined;
  const r = reasons();
  const state = stateOf(r);
  if (state === 'ACTIVE') return undefined;
  const why = [...r.halted, ...r.reducing].join('; ');
  return {
    code: `TRADING_STATE_${state}`,
    reason: `account ${waiting.req.account} became ${state} (${why}) while the order was being journaled: not routed`,
  };
}
