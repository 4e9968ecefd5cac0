/**
 * An account that has lost its capital stops (docs/decisions.md): once its equity at a mark is
 * ≤ 0, working orders are cancelled, the position is closed at that mark (as a broker liquidates
 * a blown account) and the strategy places no more orders. The report says when and why.
 */
import { formatFixed, type Fixed } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import type { PaperExchange } from '../adapters/paper/exchange.ts';
import type { CapitalStopRecord } from './types.ts';

/**
 * Float equities within this of 0 are checked exactly: the per-bar equity is a double, the
 * decision is taken on the exact `Fixed` equity.
 */
const NEAR_ZERO = 1e-6;

export class CapitalStop {
  record: CapitalStopRecord | undefined;

  /** Whether the account is stopped (checked at a mark: `equityNum` is its equity as a number). */
  check(
    exchange: PaperExchange,
    account: string,
    symbol: string,
    equityNum: number,
    price: Fixed,
    ts: number,
  ): boolean {
    if (this.record !== undefined) return true;
    if (equityNum > NEAR_ZERO) return false;
    const equity = exchange.equity(account);
    if (equity > 0n) return false;
    this.stop(exchange, account, [[symbol, price]], ts);
    this.record = {
      ts: isoOf(ts),
      equity: formatFixed(equity),
      reason: `capital lost: equity ${formatFixed(equity)} ≤ 0 at ${isoOf(ts)}; position closed at ${formatFixed(price)}, no new orders`,
    };
    return true;
  }

  /** As `check`, for an account trading several symbols: each position closes at its own mark. */
  checkMarks(
    exchange: PaperExchange,
    account: string,
    equityNum: number,
    marks: ReadonlyMap<string, Fixed>,
    ts: number,
  ): boolean {
    if (this.record !== undefined) return true;
    if (equityNum > NEAR_ZERO) return false;
    const equity = exchange.equity(account);
    if (equity > 0n) return false;
    this.stop(exchange, account, [...marks], ts);
    this.record = {
      ts: isoOf(ts),
      equity: formatFixed(equity),
      reason: `capital lost: equity ${formatFixed(equity)} ≤ 0 at ${isoOf(ts)}; positions closed at their last prices, no new orders`,
    };
    return true;
  }

  private stop(
    exchange: PaperExchange,
    account: string,
    marks: readonly (readonly [string, Fixed])[],
    ts: number,
  ): void {
    for (const o of exchange.openOrders(account)) exchange.cancel(account, o.orderId);
    for (const [symbol, price] of marks) exchange.flatten(account, symbol, price, ts);
  }
}
