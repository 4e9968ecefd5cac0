/**
 * Unrealized P&L of positions at the current marks, remembered per position. Several rules (004,
 * 005, 014 through equity) ask for the same position at the same mark in one evaluation, and a
 * new mark on the same (qty, cost basis) is usually valued without division (`wholeValuation`).
 */
import { ZERO, type Fixed } from '../domain/money.ts';
import { unrealizedAt, unrealizedPnl, wholeValuation, type Position, type WholeValuation } from '../domain/position.ts';

interface Valuation {
  mark: Fixed | undefined;
  qty: Fixed;
  costBasis: Fixed;
  value: Fixed;
  whole: WholeValuation | undefined;
}

export class Valuations {
  private readonly cache = new WeakMap<Position, Valuation>();

  /** Exactly `unrealizedPnl(pos, mark)`. */
  unrealizedAt(pos: Position, mark: Fixed): Fixed {
    const c = this.entry(pos);
    if (c.mark === mark) return c.value;
    c.mark = mark;
    c.value = c.whole !== undefined ? unrealizedAt(c.whole, mark) : unrealizedPnl(pos, mark);
    return c.value;
  }

  /** `wholeValuation(pos)`, kept with the (qty, cost basis) it is for. */
  wholeOf(pos: Position): WholeValuation | undefined {
    return this.entry(pos).whole;
  }

  private entry(pos: Position): Valuation {
    let c = this.cache.get(pos);
    if (c === undefined || c.qty !== pos.qty || c.costBasis !== pos.costBasis) {
      c = { mark: undefined, qty: pos.qty, costBasis: pos.costBasis, value: ZERO, whole: wholeValuation(pos) };
      this.cache.set(pos, c);
    }
    return c;
  }
}
