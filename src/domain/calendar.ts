/**
 * The trading day (DESIGN §2): it runs from one reset time to the next in the configured zone
 * (default 17:00 America/Chicago, the CME boundary) and is labelled by the date holding most of it:
 * the end date when the reset is at 12:00 or later (Sunday-evening CME activity belongs to Monday),
 * the start date when earlier (a 00:00 reset names each day by its own date). A reset time that does
 * not exist on a DST-change date, or occurs twice, is taken at its first occurrence.
 */
import { DateTime } from 'luxon';

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

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function civil(ms: number): { y: number; m: number; d: number } {
  const dt = new Date(ms);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

export class TradingCalendar {
  readonly zone: string;
  readonly resetTime: string;
  private readonly hour: number;
  private readonly minute: number;
  private readonly labelByEndDate: boolean;
  private cached: TradingDay | undefined;

  constructor(zone = 'America/Chicago', resetTime = '17:00') {
    if (!isValidZone(zone)) throw new RangeError(`unknown time zone: ${zone}`);
    const { hour, minute } = parseClockTime(resetTime);
    this.zone = zone;
    this.resetTime = resetTime;
    this.hour = hour;
    this.minute = minute;
    this.labelByEndDate = hour >= 12;
  }

  /** The reset instant on local calendar date given as a UTC-midnight ms of that date. */
  private boundaryOn(dateMs: number): number {
    const { y, m, d } = civil(dateMs);
    return localToUtc(this.zone, y, m, d, this.hour, this.minute);
  }

  /** The trading day containing `ts` (epoch ms). */
  dayOf(ts: number): TradingDay {
    const c = this.cached;
    if (c && ts >= c.start && ts < c.end) return c;
    const local = DateTime.fromMillis(ts, { zone: this.zone });
    const localDate = Date.UTC(local.year, local.month - 1, local.day);
    const b = this.boundaryOn(localDate);
    const startDate = ts >= b ? localDate : localDate - DAY_MS;
    const start = ts >= b ? b : this.boundaryOn(startDate);
    const end = ts >= b ? this.boundaryOn(localDate + DAY_MS) : b;
    const { y, m, d } = civil(this.labelByEndDate ? startDate + DAY_MS : startDate);
    const day = { label: `${y}-${pad2(m)}-${pad2(d)}`, start, end };
    this.cached = day;
    return day;
  }

  /** The first reset strictly after `ts`. */
  nextReset(ts: number): number {
    return this.dayOf(ts).end;
  }
}

/** `YYYY-MM-DD` of a UTC-midnight ms. */
export function dateLabel(dateMs: number): string {
  const { y, m, d } = civil(dateMs);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}
