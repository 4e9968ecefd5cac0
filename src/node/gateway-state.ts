/**
 * Account trading state of the live gateway (DESIGN §1, after NautilusTrader's risk engine):
 *
 *   ACTIVE    every order goes to the engine's pre-trade check.
 *   REDUCING  a lock or cooldown is active, an enforcement is pending, or the account is on
 *             probation after a reconcile correction: only risk-reducing orders pass.
 *   HALTED    a reconcile mismatch is not yet resolved, or an enforcement failed (its alert was
 *             raised): only cancels and closes pass. Left by a clean reconcile pass (mismatch)
 *             or an explicit `resume` (failed enforcement).
 *
 * Invariant 1: a cancel, a close or a reduce-only order is never blocked by any of these states,
 * nor by the new-order lane's rate limit (`NewOrderLane`), nor by a rule (the engine never runs
 * rules on a non-opening order). `isRiskReducing` is the single definition the gateway uses.
 */
import { abs, ZERO, type Fixed } from '../domain/money.ts';

export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TRADING_STATES)[number];

/**
 * A close: the opposite side of the position for at most its size (never a flip). A reduce-only
 * order is risk-reducing whatever its size: the broker clips it to the position.
 */
export function isRiskReducing(
  positionQty: Fixed,
  order: { side: 'buy' | 'sell'; qty: Fixed; reduceOnly?: boolean },
): boolean {
  if (order.reduceOnly) return true;
  if (positionQty === ZERO || order.qty <= ZERO) return false;
  const opposite = positionQty > ZERO ? order.side === 'sell' : order.side === 'buy';
  return opposite && order.qty <= abs(positionQty);
}

/** Why an account is not ACTIVE (for rejection reasons and the journal). */
export interface StateReasons {
  readonly halted: readonly string[];
  readonly reducing: readonly string[];
}

/** The flags behind HALTED and reconcile probation; locks and pending enforcements are read live. */
export class TradingFlags {
  private readonly halts = new Map<string, Map<string, string>>();
  private readonly probation = new Map<string, string>();

  /** Sets a halt cause (`reconcile`, `enforcement`, …); one message per cause. */
  halt(account: string, cause: string, message: string): void {
    let m = this.halts.get(account);
    if (!m) this.halts.set(account, (m = new Map()));
    m.set(cause, message);
  }

  /** Clears one cause (or all when `cause` is omitted); returns whether anything was cleared. */
  clearHalt(account: string, cause?: string): boolean {
    const m = this.halts.get(account);
    if (!m) return false;
    if (cause === undefined) {
      this.halts.delete(account);
      return m.size > 0;
    }
    const had = m.delete(cause);
    if (m.size === 0) this.halts.delete(account);
    return had;
  }

  haltReasons(account: string): string[] {
    return [...(this.halts.get(account)?.values() ?? [])];
  }

  setProbation(account: string, why: string): void {
    this.probation.set(account, why);
  }

  clearProbation(account: string): boolean {
    return this.probation.delete(account);
  }

  probationReason(account: string): string | undefined {
    return this.probation.get(account);
  }
}

export function stateOf(reasons: StateReasons): TradingState {
  if (reasons.halted.length > 0) return 'HALTED';
  if (reasons.reducing.length > 0) return 'REDUCING';
  return 'ACTIVE';
}

/**
 * The new-order lane's token bucket (DESIGN §1 resilience): opening orders only. Cancels and
 * closes have their own lane and never take a token, so a burst of new orders cannot starve them.
 */
export class NewOrderLane {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes a token at time `t` (ms); false when the lane is empty. */
  take(t: number): boolean {
    if (this.last !== undefined && t > this.last)
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = this.last === undefined ? t : Math.max(this.last, t);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Empties the lane (tests, and an operator throttling an account). */
  drain(): void {
    this.tokens = 0;
  }
}
