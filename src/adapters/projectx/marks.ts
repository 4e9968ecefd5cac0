/**
 * Mark freshness of the ProjectX market feed. riskgate's marks come from the quotes it is fed
 * (DESIGN §3: last, else mid); while the market hub is down, or a symbol has had no quote for
 * longer than `staleAfterMs`, the marks it would value positions with are old. This tracks both
 * and says why, so the node can hold the accounts (REDUCING: no new risk decided on old prices)
 * and show "marks stale" until fresh quotes come back.
 *
 * It also keeps old prices out: a quote older than the newest one already delivered for its
 * symbol (a replay after a reconnect, or frames out of order) is dropped.
 */
import type { Quote } from '../broker.ts';

export interface MarkWatchOptions {
  /** A tracked symbol with no quote for this long is stale (ms; 0 = only a down hub counts). */
  readonly staleAfterMs: number;
  readonly now: () => number;
}

export class MarkWatch {
  private down: { why: string; since: number } | undefined;
  /** Venue time of the newest quote delivered, per symbol. */
  private readonly newest = new Map<string, number>();
  /** Local time a price (quote or trade) last arrived, per symbol (what staleness is measured on). */
  private readonly arrived = new Map<string, number>();
  /** Local time a bid/ask quote last arrived, per symbol. */
  private readonly quoted = new Map<string, number>();
  /** Local time a tracked symbol started being watched. */
  private readonly tracked = new Map<string, number>();

  constructor(private readonly o: MarkWatchOptions) {}

  /** Watch a symbol from now (its first quote is due within `staleAfterMs`). */
  track(symbol: string): void {
    if (!this.tracked.has(symbol)) this.tracked.set(symbol, this.o.now());
  }

  hubDown(why: string): void {
    this.down ??= { why, since: this.o.now() };
  }

  hubUp(): void {
    this.down = undefined;
  }

  get hubIsDown(): boolean {
    return this.down !== undefined;
  }

  /** Whether `q` may be delivered (not older than what was delivered); records it when so. */
  accept(q: Quote, from: 'quote' | 'trade'): boolean {
    const prev = this.newest.get(q.symbol);
    if (prev !== undefined && q.ts < prev) return false;
    const now = this.o.now();
    this.newest.set(q.symbol, q.ts);
    this.arrived.set(q.symbol, now);
    if (from === 'quote') this.quoted.set(q.symbol, now);
    return true;
  }

  /** Whether a bid/ask quote for the symbol arrived within `staleAfterMs` (else trades set the mark). */
  quoteFresh(symbol: string): boolean {
    const at = this.quoted.get(symbol);
    return at !== undefined && (this.o.staleAfterMs <= 0 || this.o.now() - at <= this.o.staleAfterMs);
  }

  /** Why marks are stale now (empty when they are fresh). */
  reasons(): string[] {
    const now = this.o.now();
    const out: string[] = [];
    if (this.down) out.push(`market hub down for ${Math.round((now - this.down.since) / 1000)}s (${this.down.why})`);
    if (this.o.staleAfterMs <= 0) return out;
    for (const [symbol, since] of this.tracked) {
      const last = this.arrived.get(symbol) ?? since;
      if (now - last > this.o.staleAfterMs) out.push(`${symbol}: no quote for ${Math.round((now - last) / 1000)}s`);
    }
    return out;
  }
}
