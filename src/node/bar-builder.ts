/**
 * Aggregates marks of one symbol into OHLC bars of a fixed interval, aligned to the epoch (a
 * "1m" bar starts on the minute, UTC). A bar is complete once a mark of a later bar arrives or the
 * clock passes its end (`closeUpTo`); an interval without marks gives no bar. Bars have no volume
 * (marks carry none). No clock of its own: times come from the caller.
 */
import { makeBar, type Bar } from '../backtest/types.ts';
import type { Fixed } from '../domain/money.ts';

interface Open {
  readonly ts: number;
  open: Fixed;
  high: Fixed;
  low: Fixed;
  close: Fixed;
}

export class BarBuilder {
  private current: Open | undefined;

  constructor(private readonly intervalMs: number) {
    if (!(Number.isSafeInteger(intervalMs) && intervalMs > 0)) throw new RangeError(`bar interval ${intervalMs} ms`);
  }

  /** Adds a mark at time `t`; returns the bar it completed, if any. A mark older than the open bar is ignored. */
  add(price: Fixed, t: number): Bar | undefined {
    const start = t - (((t % this.intervalMs) + this.intervalMs) % this.intervalMs);
    const cur = this.current;
    if (cur !== undefined && start < cur.ts) return undefined;
    if (cur !== undefined && start === cur.ts) {
      if (price > cur.high) cur.high = price;
      if (price < cur.low) cur.low = price;
      cur.close = price;
      return undefined;
    }
    const done = this.finish();
    this.current = { ts: start, open: price, high: price, low: price, close: price };
    return done;
  }

  /** The open bar when the clock has passed its end (`now` ≥ start + interval), completed. */
  closeUpTo(now: number): Bar | undefined {
    if (this.current === undefined || now < this.current.ts + this.intervalMs) return undefined;
    return this.finish();
  }

  private finish(): Bar | undefined {
    const c = this.current;
    this.current = undefined;
    return c === undefined ? undefined : makeBar(c.ts, c.open, c.high, c.low, c.close);
  }
}
