/**
 * `GET /api/v1/calendar?symbol=&from=&to=` (issue 14): the trading days labelled in the range
 * (DESIGN §2: the node's reset time and zone), each day's CME Globex session, the CME holidays
 * and early closes in the range, and the next reset. The exchange calendar never changes a label.
 */
import type { FastifyInstance } from 'fastify';
import { dateLabel, localToUtc, TradingCalendar } from '../../domain/calendar.ts';
import { CME_EARLY_CLOSES, CME_HOLIDAYS, isCmeTradingDay, weekdayOf } from '../../domain/holidays.ts';
import { InstrumentTable } from '../../domain/instrument.ts';
import { AppError } from '../../errors.ts';
import { needs } from '../guards.ts';
import { DATE_PATTERN, DAY_MS, dateRange } from '../market-data.ts';

/** At most a year and a day per request: a leap year's range fits. */
export const MAX_CALENDAR_DAYS = 366;
/** CME Globex equity-index hours: 17:00 CT the evening before to 16:00 CT (earlier on early closes). */
const EXCHANGE_ZONE = 'America/Chicago';
const SESSION_OPEN = '17:00';
const SESSION_CLOSE = '16:00';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const querystring = {
  type: 'object',
  additionalProperties: false,
  required: ['symbol', 'from', 'to'],
  properties: {
    symbol: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' },
    from: { type: 'string', pattern: DATE_PATTERN },
    to: { type: 'string', pattern: DATE_PATTERN },
  },
} as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** Wall time `HH:MM` in the exchange zone on the date of a UTC-midnight ms. */
function exchangeTime(dateMs: number, hhmm: string): number {
  const [y, m, d] = dateLabel(dateMs).split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  return localToUtc(EXCHANGE_ZONE, y, m, d, h, mi);
}

function session(label: string): { open: string; close: string; earlyClose: boolean } | null {
  if (!isCmeTradingDay(label)) return null;
  const date = Date.parse(`${label}T00:00:00Z`);
  const early = CME_EARLY_CLOSES[label];
  return {
    open: iso(exchangeTime(date - DAY_MS, SESSION_OPEN)),
    close: iso(exchangeTime(date, early ?? SESSION_CLOSE)),
    earlyClose: early !== undefined,
  };
}

function tradingDays(cal: TradingCalendar, from: string, to: string, fromMs: number) {
  const days = [];
  // Two days before `from` is before the day labelled `from` whatever the zone and reset time.
  let day = cal.dayOf(fromMs - 2 * DAY_MS);
  while (day.label <= to) {
    if (day.label >= from) {
      const holiday = CME_HOLIDAYS[day.label];
      days.push({
        label: day.label,
        weekday: WEEKDAYS[weekdayOf(day.label)]!,
        start: iso(day.start),
        end: iso(day.end),
        tradingDay: isCmeTradingDay(day.label),
        ...(holiday ? { holiday } : {}),
        session: session(day.label),
      });
    }
    day = cal.dayOf(day.end);
  }
  return days;
}

const inRange = (table: Readonly<Record<string, string>>, from: string, to: string) =>
  Object.keys(table)
    .filter((d) => d >= from && d <= to)
    .sort();

export async function calendarRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { symbol: string; from: string; to: string } }>(
    '/calendar',
    { preValidation: needs('viewer'), schema: { querystring } },
    async (req) => {
      const { symbol, from, to } = req.query;
      const instruments = InstrumentTable.withOverrides(app.node.config?.instruments ?? []);
      if (!instruments.all().some((i) => i.symbol === symbol))
        throw new AppError('ERR_INSTRUMENT_UNKNOWN', `querystring.symbol: unknown instrument ${symbol}`);
      const range = dateRange(from, to, MAX_CALENDAR_DAYS);
      const zone = app.node.config?.timezone ?? 'America/Chicago';
      const resetTime = app.node.config?.resetTime ?? '17:00';
      const cal = new TradingCalendar(zone, resetTime);
      const known = Object.keys(CME_HOLIDAYS).sort();
      return {
        symbol,
        timezone: zone,
        resetTime,
        days: tradingDays(cal, from, to, range.from),
        holidays: inRange(CME_HOLIDAYS, from, to).map((date) => ({ date, name: CME_HOLIDAYS[date]! })),
        earlyCloses: inRange(CME_EARLY_CLOSES, from, to).map((date) => ({
          date,
          close: iso(exchangeTime(Date.parse(`${date}T00:00:00Z`), CME_EARLY_CLOSES[date]!)),
        })),
        holidayCoverage: { from: `${known[0]!.slice(0, 4)}-01-01`, to: `${known.at(-1)!.slice(0, 4)}-12-31` },
        nextReset: iso(cal.nextReset(Date.now())),
      };
    },
  );
}
