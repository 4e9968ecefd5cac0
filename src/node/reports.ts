/**
 * Reports of a node's store (issue 18): the daily report of an account and the trading days its
 * journal holds. Read from the engine's day book and the journal's events; no state of their own.
 */
import { TradingCalendar } from '../domain/calendar.ts';
import { canonicalIsoMs } from '../domain/events.ts';
import { dayFigures } from '../engine/views.ts';
import type { PersistentEngine } from './persistent-engine.ts';
import { buildDailyReport, tradingDayNamed, type DailyReport } from './daily-report.ts';

export function calendarOf(store: PersistentEngine): TradingCalendar {
  return new TradingCalendar(store.config.timezone, store.config.resetTime);
}

/** The daily report of `account` for trading day `date` (default: the current one). */
export function dailyReportOf(
  store: PersistentEngine,
  account: string,
  date: string | undefined,
  now: number,
): DailyReport {
  const calendar = calendarOf(store);
  const engine = store.engine;
  const t = Number.isFinite(engine.clock.lastT) ? Math.max(engine.clock.lastT, now) : now;
  const label = date ?? calendar.dayOf(t).label;
  const day = tradingDayNamed(calendar, label);
  return buildDailyReport({
    account,
    date: label,
    mode: engine.mode,
    day,
    now: t,
    book: dayFigures(engine, account, label),
    events: journalEvents(store, day.end),
    instrumentOf: (symbol) => engine.instruments.find(symbol),
  });
}

/** Event bodies of the journal up to (not including) `until`, oldest first. */
function* journalEvents(store: PersistentEngine, until: number): Iterable<Record<string, unknown>> {
  for (const r of store.journal.iterate(1)) {
    if (r.kind !== 'event') continue;
    if (canonicalIsoMs(r.ts) >= until) return;
    yield r.body as Record<string, unknown>;
  }
}

/** Trading days (labels) on which the journal holds an event of the account, oldest first. */
export function accountDays(store: PersistentEngine, account: string): string[] {
  const calendar = calendarOf(store);
  const days = new Set<string>();
  for (const r of store.journal.iterate(1)) {
    if (r.kind === 'event' && r.account === account) days.add(calendar.dayOf(canonicalIsoMs(r.ts)).label);
  }
  return [...days].sort();
}
