/**
 * The daily report of an account (issue 18): realized and unrealized P&L, fees, trades, breaches,
 * rejections, slippage and the day's maximum drawdown, plus — in shadow mode, or whenever a rule
 * fired — what riskgate would have done: when it would have locked the account and when it would
 * have flattened it. Money is decimal strings; times ISO UTC.
 */
import { TradingCalendar, type TradingDay } from '../domain/calendar.ts';
import { formatFixed, type Fixed } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import type { Instrument } from '../domain/instrument.ts';
import { AppError } from '../errors.ts';
import { DayLedger, type LedgerFill } from './day-ledger.ts';

export interface ReportBreach {
  readonly rule: string;
  readonly ts: string;
  readonly action: string;
  readonly symbol?: string;
  readonly until?: string;
}

export interface ReportRejection {
  readonly rule: string;
  readonly ts: string;
  readonly orderId: string;
}

/** What riskgate would have done that day (the shadow report). */
export interface WouldHave {
  /** First breach that locks or cools the account down: when, by which rule, until when. */
  readonly lockedAt?: { readonly ts: string; readonly rule: string; readonly until: string };
  /** First breach that closes every position (close_all). */
  readonly flattenedAt?: { readonly ts: string; readonly rule: string };
  /** Breaches that would have closed or trimmed one position. */
  readonly closedPositions: readonly ReportBreach[];
  /** Opening orders it would have rejected. */
  readonly rejectedOrders: number;
}

export interface DailyReport {
  readonly account: string;
  readonly date: string;
  readonly mode: 'shadow' | 'enforce';
  readonly from: string;
  readonly to: string;
  /** Whether the day had ended when the report was made (unrealized is then at its end). */
  readonly complete: boolean;
  readonly grossRealizedPnl: string;
  readonly fees: string;
  readonly netRealizedPnl: string;
  readonly unrealizedPnl: string;
  readonly trades: number;
  readonly maxDrawdown: string;
  readonly slippage: { readonly fills: number; readonly ticks: string; readonly money: string };
  readonly breaches: readonly ReportBreach[];
  readonly rejections: readonly ReportRejection[];
  readonly wouldHave: WouldHave;
  readonly fills: readonly LedgerFill[];
}

export interface DailyReportInput {
  readonly account: string;
  readonly date: string;
  readonly mode: 'shadow' | 'enforce';
  readonly day: TradingDay;
  /** The engine's event time now: a day not over yet is reported as far as it has gone. */
  readonly now: number;
  readonly book: {
    grossRealized: Fixed;
    fees: Fixed;
    fills: number;
    breaches: ReportBreach[];
    rejections: ReportRejection[];
  };
  /** Journal event bodies, oldest first (every account: quotes and fills set marks). */
  readonly events: Iterable<Record<string, unknown>>;
  readonly instrumentOf: (symbol: string) => Instrument | undefined;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The trading day labelled `date` in the calendar (DESIGN §2), or ERR_INPUT_INVALID. */
export function tradingDayNamed(calendar: TradingCalendar, date: string): TradingDay {
  const noon = DATE_RE.test(date) ? Date.parse(`${date}T12:00:00.000Z`) : NaN;
  if (!Number.isFinite(noon))
    throw new AppError('ERR_INPUT_INVALID', `date: a trading day as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  // The day named by a date holds most of that date, so one of its neighbours' noons finds it.
  for (const shift of [0, 1, -1]) {
    const day = calendar.dayOf(noon + shift * 86_400_000);
    if (day.label === date) return { ...day };
  }
  throw new AppError('ERR_INPUT_INVALID', `date: no trading day is labelled ${date}`);
}

export function buildDailyReport(input: DailyReportInput): DailyReport {
  const { day, book } = input;
  const ledger = new DayLedger(input.account, day.start, day.end, input.instrumentOf);
  for (const e of input.events) ledger.apply(e);
  const l = ledger.result();
  return {
    account: input.account,
    date: input.date,
    mode: input.mode,
    from: isoOf(day.start),
    to: isoOf(day.end),
    complete: input.now >= day.end,
    grossRealizedPnl: formatFixed(book.grossRealized),
    fees: formatFixed(book.fees),
    netRealizedPnl: formatFixed(book.grossRealized - book.fees),
    unrealizedPnl: l.unrealizedPnl,
    trades: book.fills,
    maxDrawdown: l.maxDrawdown,
    slippage: l.slippage,
    breaches: book.breaches,
    rejections: book.rejections,
    wouldHave: wouldHaveOf(book.breaches, book.rejections),
    fills: l.fills,
  };
}

function wouldHaveOf(breaches: readonly ReportBreach[], rejections: readonly ReportRejection[]): WouldHave {
  const sorted = [...breaches].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const lock = sorted.find((b) => b.until !== undefined);
  const flatten = sorted.find((b) => b.action === 'close_all');
  return {
    ...(lock ? { lockedAt: { ts: lock.ts, rule: lock.rule, until: lock.until! } } : {}),
    ...(flatten ? { flattenedAt: { ts: flatten.ts, rule: flatten.rule } } : {}),
    closedPositions: sorted.filter((b) => b.action === 'close_position' || b.action === 'trim'),
    rejectedOrders: rejections.length,
  };
}

/** The shadow report: the daily report's "would have" part with the day's facts it is read against. */
export function shadowReportOf(r: DailyReport): Record<string, unknown> {
  return {
    account: r.account,
    date: r.date,
    mode: r.mode,
    from: r.from,
    to: r.to,
    complete: r.complete,
    wouldHaveLockedAt: r.wouldHave.lockedAt ?? null,
    wouldHaveFlattenedAt: r.wouldHave.flattenedAt ?? null,
    wouldHaveClosed: r.wouldHave.closedPositions,
    wouldHaveRejected: r.rejections,
    netRealizedPnl: r.netRealizedPnl,
    maxDrawdown: r.maxDrawdown,
    trades: r.trades,
  };
}
