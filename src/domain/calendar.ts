/**
 * The trading day (DESIGN §2): it runs from one reset time to the next in the configured zone
 * (default 17:00 America/Chicago, the CME boundary) and is labelled by the date holding most of it:
 * the end date when the reset is at 12:00 or later (Sunday-evening CME activity belongs to Monday),
 * the start date when earlier (a 00:00 reset names each day by its own date). A reset time that does
 * not exist on a DST-change date, or occurs twice, is taken at its first occurrence.
 */
import { DateTime } from 'luxon';
import { zoneOffsetsFor, type ZoneOffsets } from './zone-offsets.ts';

export interface TradingDay {
  /** `YYYY-MM-DD` label. */
  readonly label: string;
  /** Start (inclusive) and end (exclusive), epoch ms UTC. */
  readonly start: number;
  readonly end: number;
}

const DAY_MS = 86_400_000;
const RESET_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseClockTime(text: string): { hour: number; minute: number } {
  const m = RESET_RE.exec(text);
  if (!m) throw new RangeError(`not a HH:MM time: ${JSON.stringify(text)}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export function isValidZone(zone: string): boolean {
  return DateTime.fromMillis(0, { zone }).isValid;
}

/** Zone offset in minutes at a UTC instant. */
function offsetAt(zone: string, utcMs: number): number {
  return DateTime.fromMillis(utcMs, { zone }).offset;
}

/**
 * The UTC instant of local wall time y-m-d h:mi in `zone`. Ambiguous times (DST end) take the
 * first occurrence; non-existent times (DST start) are read with the offset in force before the
 * change (as Python's `fold=0` does), i.e. the wall clock's first passage of that time.
 */
export function localToUtc(zone: string, y: number, mo: number, d: number, h: number, mi: number): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  let best: number | undefined;
  for (const off of before === after ? [before] : [before, after]) {
    const utc = wall - off * 60_000;
    if (offsetAt(zone, utc) === off && (best === undefined || utc < best)) best = utc;
  }
  return best ?? wall - before * 60_000;
}

/** "00".."31": month and day texts without a number-to-string conversion per label. */
const TWO_DIGITS = Array.from({ length: 32 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

export class TradingCalendar {
  readonly zone: string;
  readonly resetTime: string;
  private readonly resetMinutes: number;
  private readonly labelByEndDate: boolean;
  private readonly offsets: ZoneOffsets;
  private last: TradingDay | undefined;
  /** Local start date (UTC-midnight ms) of `last`. */
  private lastStartDate = 0;

  constructor(zone = 'America/Chicago', resetTime = '17:00') {
    if (!isValidZone(zone)) throw new RangeError(`unknown time zone: ${zone}`);
    const { hour, minute } = parseClockTime(resetTime);
    this.zone = zone;
    this.resetTime = resetTime;
    this.resetMinutes = hour * 60 + minute;
    this.labelByEndDate = hour >= 12;
    this.offsets = zoneOffsetsFor(zone);
  }

  /**
   * The reset instant on a local date (UTC-midnight ms of that date): `localToUtc` with the cached
   * offset table. Ambiguous wall times take the first occurrence; skipped ones the offset before.
   */
  private resetOn(dateMs: number): number {
    const wall = dateMs + this.resetMinutes * 60_000;
    const before = this.offsets.at(wall - DAY_MS);
    const after = this.offsets.at(wall + DAY_MS);
    const utcBefore = wall - before * 60_000;
    if (after === before) return utcBefore;
    const okBefore = this.offsets.at(utcBefore) === before;
    const utcAfter = wall - after * 60_000;
    const okAfter = this.offsets.at(utcAfter) === after;
    if (okBefore && okAfter) return Math.min(utcBefore, utcAfter);
    return okAfter ? utcAfter : utcBefore;
  }

  /** The trading day containing `ts` (epoch ms). */
  dayOf(ts: number): TradingDay {
    const c = this.last;
    if (c && ts >= c.start && ts < c.end) return c;
    if (c && ts >= c.end) {
      // The next day (the engine's daily reset): it starts where `last` ends; one boundary to find.
      const startDate = this.lastStartDate + DAY_MS;
      const end = this.resetOn(startDate + DAY_MS);
      if (ts < end) return this.remember(startDate, c.end, end);
    }
    const local = new Date(ts + this.offsets.at(ts) * 60_000);
    const localDate = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
    const b = this.resetOn(localDate);
    const startDate = ts >= b ? localDate : localDate - DAY_MS;
    const start = ts >= b ? b : this.resetOn(startDate);
    const end = ts >= b ? this.resetOn(localDate + DAY_MS) : b;
    return this.remember(startDate, start, end);
  }

  /** The first reset strictly after `ts`. */
  nextReset(ts: number): number {
    return this.dayOf(ts).end;
  }

  private remember(startDate: number, start: number, end: number): TradingDay {
    const day = { label: dateLabel(this.labelByEndDate ? startDate + DAY_MS : startDate), start, end };
    this.last = day;
    this.lastStartDate = startDate;
    return day;
  }
}

/**
 * `YYYY-MM-DD` of a UTC-midnight ms. The civil date comes from the day count by integer arithmetic
 * (H. Hinnant's `civil_from_days`, proleptic Gregorian as Date uses), not a Date object: a daily
 * reset over decades of backtest bars formats one label per day.
 */
export function dateLabel(dateMs: number): string {
  const z = Math.floor(dateMs / DAY_MS) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${TWO_DIGITS[m]!}-${TWO_DIGITS[d]!}`;
}
