/**
 * One account as the dashboard shows it: loaded over REST, then kept current by its stream
 * messages (risk, positions, orders, fills, violations, locks). Pure: every change returns a new
 * view, so the UI re-renders only what changed.
 */
import type { AccountMessage, Fill, Order, Position, Risk, Violation } from './types.ts';

export interface EquityPoint {
  /** Seconds since the epoch (chart time). */
  readonly time: number;
  /** Day net realized + unrealized P&L. Display only: the chart library plots numbers. */
  readonly value: number;
}

export interface AccountView {
  readonly account: string;
  readonly risk: Risk | undefined;
  readonly positions: readonly Position[];
  /** Newest first. */
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly violations: readonly Violation[];
  readonly equity: readonly EquityPoint[];
}

export interface AccountSnapshot {
  readonly risk: Risk;
  readonly positions: readonly Position[];
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly violations: readonly Violation[];
}

const MAX_ROWS = 500;
const MAX_POINTS = 5000;

export function emptyView(account: string): AccountView {
  return { account, risk: undefined, positions: [], orders: [], fills: [], violations: [], equity: [] };
}

/** A view from a REST load; the equity curve already drawn is kept (REST has no history of it). */
export function fromSnapshot(prev: AccountView, s: AccountSnapshot): AccountView {
  return {
    account: prev.account,
    risk: s.risk,
    positions: s.positions,
    orders: newestFirst(s.orders, (o) => o.updatedAt),
    fills: newestFirst(s.fills, (f) => f.ts),
    violations: newestFirst(s.violations, (v) => v.ts),
    equity: withEquity(prev.equity, s.risk),
  };
}

export function applyMessage(v: AccountView, m: AccountMessage): AccountView {
  const d = m.data;
  switch (m.channel) {
    case 'risk': {
      const risk = d as unknown as Risk;
      return { ...v, risk, positions: risk.positions, equity: withEquity(v.equity, risk) };
    }
    case 'positions':
      return { ...v, positions: (d.positions as Position[]) ?? [] };
    case 'orders': {
      const o = d as unknown as Order;
      return { ...v, orders: [o, ...v.orders.filter((x) => x.orderId !== o.orderId)].slice(0, MAX_ROWS) };
    }
    case 'fills': {
      const f = d as unknown as Fill;
      if (v.fills.some((x) => x.fillId === f.fillId && x.orderId === f.orderId)) return v;
      return { ...v, fills: [f, ...v.fills].slice(0, MAX_ROWS) };
    }
    case 'violations': {
      const x = d as unknown as Violation;
      if (v.violations.some((y) => sameViolation(x, y))) return v;
      return { ...v, violations: [x, ...v.violations].slice(0, MAX_ROWS) };
    }
    case 'locks':
      return v.risk ? { ...v, risk: { ...v.risk, locks: (d.locks as Risk['locks']) ?? [] } } : v;
    default:
      return v;
  }
}

/** Day equity of a risk snapshot: net realized plus every position's unrealized P&L. */
export function equityOf(risk: Risk): number {
  let total = Number(risk.day.netRealizedPnl);
  for (const p of risk.positions) total += Number(p.unrealizedPnl);
  return total;
}

function withEquity(points: readonly EquityPoint[], risk: Risk): readonly EquityPoint[] {
  const time = Math.floor(Date.parse(risk.asOf) / 1000);
  if (!Number.isFinite(time)) return points;
  const value = equityOf(risk);
  const last = points[points.length - 1];
  // A new trading day starts a new curve; the chart needs strictly increasing times.
  if (last && time < last.time) return points;
  const kept = last && last.time === time ? points.slice(0, -1) : points;
  const next = [...kept, { time, value }];
  return next.length > MAX_POINTS ? next.slice(next.length - MAX_POINTS) : next;
}

function sameViolation(a: Violation, b: Violation): boolean {
  return a.ts === b.ts && a.rule === b.rule && a.kind === b.kind && a.action === b.action && a.reason === b.reason;
}

function newestFirst<T>(rows: readonly T[], ts: (r: T) => string): T[] {
  return [...rows].sort((a, b) => (ts(a) < ts(b) ? 1 : ts(a) > ts(b) ? -1 : 0));
}

/** The violations grouped by trading day (the day of the account's trading time zone), newest day first. */
export function byTradingDay(
  violations: readonly Violation[],
  dayOf: (iso: string) => string,
): { day: string; rows: Violation[] }[] {
  const days = new Map<string, Violation[]>();
  for (const x of violations) {
    const day = dayOf(x.ts);
    days.set(day, [...(days.get(day) ?? []), x]);
  }
  return [...days.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1)).map(([day, rows]) => ({ day, rows }));
}

/** Breaches to mark on the equity chart: time (seconds) and the rule. */
export function breachMarks(violations: readonly Violation[]): { time: number; rule: string; reason: string }[] {
  return violations
    .filter((x) => x.kind === 'breach')
    .map((x) => ({ time: Math.floor(Date.parse(x.ts) / 1000), rule: x.rule, reason: x.reason }))
    .sort((a, b) => a.time - b.time);
}

/** Admin actions (lock, unlock) from the violations feed: the audit trail of who, when and why. */
export function auditTrail(violations: readonly Violation[]): Violation[] {
  return violations.filter((x) => x.kind === 'admin');
}
