/**
 * Reports of a node's store (issue 18): the daily report of an account and the trading days its
 * journal holds. Read from the engine's day book and the journal file (on a read-only connection
 * of their own, committed records only; see src/store/sqlite/day-reads.ts); no state of their own.
 */
import { TradingCalendar } from '../domain/calendar.ts';
import { canonicalIsoMs, isoOf } from '../domain/events.ts';
import { dayFigures } from '../engine/views.ts';
import { JournalDayReader } from '../store/sqlite/day-reads.ts';
import { journalPath, type PersistentEngine } from './persistent-engine.ts';
import { buildDailyReport, tradingDayNamed, type DailyReport } from './daily-report.ts';

export function calendarOf(store: PersistentEngine): TradingCalendar {
  return new TradingCalendar(store.config.timezone, store.config.resetTime);
}

/** The daily report of `account` for trading day `date` (default: the current one). */
export function dailyReportOf(
  store: PersistentEngine,
  dataDir: string,
  account: string,
  date: string | undefined,
  now: number,
): DailyReport {
  const calendar = calendarOf(store);
  const engine = store.engine;
  const t = Number.isFinite(engine.clock.lastT) ? Math.max(engine.clock.lastT, now) : now;
  const label = date ?? calendar.dayOf(t).label;
  const day = tradingDayNamed(calendar, label);
  const reader = new JournalDayReader(journalPath(dataDir));
  try {
    const {
      history,
      carriedQuotes,
      day: events,
    } = reader.read(account, isoOf(day.start), isoOf(day.end), filledSymbols);
    return buildDailyReport({
      account,
      date: label,
      mode: engine.mode,
      day,
      now: t,
      book: dayFigures(engine, account, label),
      events: [...history, ...carriedQuotes, ...events],
      instrumentOf: (symbol) => engine.instruments.find(symbol),
    });
  } finally {
    reader.close();
  }
}

function filledSymbols(history: Record<string, unknown>[]): string[] {
  const out = new Set<string>();
  for (const e of history) if (e.type === 'fill' && typeof e.symbol === 'string') out.add(e.symbol);
  return [...out];
}

/** Trading days (labels) on which the journal holds an event of the account, oldest first. */
export function accountDays(store: PersistentEngine, dataDir: string, account: string): string[] {
  const calendar = calendarOf(store);
  const reader = new JournalDayReader(journalPath(dataDir));
  try {
    const days = new Set<string>();
    for (const ts of reader.eventTimes(account)) days.add(calendar.dayOf(canonicalIsoMs(ts)).label);
    return [...days].sort();
  } finally {
    reader.close();
  }
}
