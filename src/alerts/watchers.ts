/**
 * Alert sources that watch for something missing or accumulating rather than reacting to one bus
 * message (DESIGN §7 kinds `marks_stale` and `budget`). Both are pure over what they are told
 * and the times they are given.
 *
 * MarksWatch: an open position whose symbol has had no quote for `staleAfterMs` has a stale mark —
 * its unrealized P&L, and every rule on it, is frozen. One alert per account and symbol until a
 * quote arrives again (or the position is closed), which re-arms it.
 *
 * BudgetWatch: spending (market-data bytes priced per GB, or any metered cost) against `budget:
 * { daily, monthly }`, per UTC date and UTC month as vendors bill; a warning at 80 % and a critical
 * alert at 100 % of each, once per period.
 */
import { formatFixed, parseFixed, ZERO, type Fixed } from '../domain/money.ts';
import type { BusMessage } from '../node/bus.ts';
import type { AlertDraft } from './sources.ts';

export const DEFAULT_MARKS_STALE_AFTER_MS = 60_000;

export class MarksWatch {
  private readonly lastQuote = new Map<string, number>();
  /** account → symbol → when it was first seen open (the watch starts then). */
  private readonly open = new Map<string, Map<string, number>>();
  private readonly raised = new Set<string>();

  constructor(private readonly staleAfterMs: number = DEFAULT_MARKS_STALE_AFTER_MS) {}

  /** Quotes refresh marks; position messages say what is open. `t` is when it was seen. */
  observe(m: BusMessage, t: number): void {
    if (m.channel === 'quotes') {
      this.lastQuote.set(m.symbol, t);
      for (const key of [...this.raised]) if (key.endsWith(`|${m.symbol}`)) this.raised.delete(key);
      return;
    }
    if (m.channel !== 'positions' || !Array.isArray(m.data.positions)) return;
    const before = this.open.get(m.account) ?? new Map<string, number>();
    const after = new Map<string, number>();
    for (const p of m.data.positions as { symbol?: unknown; qty?: unknown }[]) {
      if (typeof p.symbol !== 'string' || p.qty === 0 || p.qty === '0') continue;
      after.set(p.symbol, before.get(p.symbol) ?? t);
    }
    for (const symbol of before.keys()) if (!after.has(symbol)) this.raised.delete(`${m.account}|${symbol}`);
    this.open.set(m.account, after);
  }

  /** The alerts due at `now`. */
  check(now: number): AlertDraft[] {
    const out: AlertDraft[] = [];
    for (const [account, symbols] of this.open) {
      for (const [symbol, openedAt] of symbols) {
        const key = `${account}|${symbol}`;
        const since = Math.max(this.lastQuote.get(symbol) ?? openedAt, openedAt);
        if (this.raised.has(key) || now - since < this.staleAfterMs) continue;
        this.raised.add(key);
        const last = this.lastQuote.get(symbol);
        out.push({
          kind: 'marks_stale',
          severity: 'warning',
          account,
          message: `${symbol}: no quote for ${Math.round((now - since) / 1000)} s while a position is open; unrealized P&L and the rules on it are frozen`,
          data: { symbol, lastQuoteAt: last === undefined ? null : new Date(last).toISOString() },
          key: `marks_stale|${account}|${symbol}`,
        });
      }
    }
    return out;
  }
}

export interface BudgetConfig {
  readonly daily?: string;
  readonly monthly?: string;
}

const WARN_PCT = 80n;

export class BudgetWatch {
  private readonly limits: { period: 'daily' | 'monthly'; limit: Fixed }[] = [];
  private readonly spent = new Map<string, Fixed>();
  private readonly raised = new Set<string>();

  constructor(config: BudgetConfig | undefined) {
    if (config?.daily) this.limits.push({ period: 'daily', limit: parseFixed(config.daily) });
    if (config?.monthly) this.limits.push({ period: 'monthly', limit: parseFixed(config.monthly) });
  }

  /** Records spending at `t`; returns the alerts it raises (`what` names the cost in them). */
  spend(amount: Fixed, t: number, what = 'spending'): AlertDraft[] {
    const out: AlertDraft[] = [];
    const iso = new Date(t).toISOString();
    for (const { period, limit } of this.limits) {
      const label = period === 'daily' ? iso.slice(0, 10) : iso.slice(0, 7);
      const total = (this.spent.get(`${period}|${label}`) ?? ZERO) + amount;
      this.spent.set(`${period}|${label}`, total);
      const level = total >= limit ? 100n : total * 100n >= limit * WARN_PCT ? WARN_PCT : 0n;
      const key = `${period}|${label}|${level}`;
      if (level === 0n || this.raised.has(key)) continue;
      this.raised.add(key);
      out.push({
        kind: 'budget',
        severity: level === 100n ? 'critical' : 'warning',
        account: '*',
        message: `${what}: ${formatFixed(total)} of the ${period} budget ${formatFixed(limit)} (${label})${level === 100n ? ' reached' : ': 80 % used'}`,
        data: { period, label, spent: formatFixed(total), budget: formatFixed(limit), level: Number(level) },
        key: `budget|${period}|${level}`,
      });
    }
    return out;
  }
}
