/**
 * Allowed trading sessions for RULE-009 (pure). A session is a local start–end window in a zone
 * on some weekdays; one whose end is not after its start crosses midnight. Each window belongs to
 * one date, which `days` and the holiday calendar are checked against: a same-day window to its
 * own date, a midnight-crossing window to the date it ENDS on (the CME convention that Sunday
 * evening belongs to Monday), so `17:00–16:00` on mon–fri is Sunday 17:00 → Friday 16:00.
 * With `holidays: cme`, windows on CME holidays are closed and windows on early-close dates end
 * at the early close (Chicago time) at the latest.
 */
import { localToUtc, parseClockTime, dateLabel } from '../../domain/calendar.ts';
import { zoneOffsetsFor } from '../../domain/zone-offsets.ts';
import { CME_EARLY_CLOSES, isCmeHoliday, weekdayOf } from '../../domain/holidays.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SessionSpec {
  readonly start: string;
  readonly end: string;
  readonly days: readonly Weekday[];
}

export interface Schedule {
  readonly zone: string;
  readonly sessions: readonly SessionSpec[];
  readonly holidays: 'cme' | 'none';
}

interface Window {
  readonly start: number;
  readonly end: number;
}

const DAY_MS = 86_400_000;
/** How far ahead the next open is searched (a schedule with no window in 3 weeks locks until admin). */
const SEARCH_DAYS = 21;

/**
 * What is remembered per schedule (RULE-009 asks on every fill and opening order, mostly about the
 * same session): windows by date; the last window found to contain a time; the last session end
 * found, with the stretch [from, end) of times known to lie in that session (its end is the first
 * time after any of them that no window covers).
 */
interface Memo {
  byDate: Map<number, Window[]>;
  window: Window | undefined;
  from: number;
  end: number;
}
const memos = new WeakMap<Schedule, Memo>();

function memoOf(s: Schedule): Memo {
  let m = memos.get(s);
  if (!m) {
    m = { byDate: new Map(), window: undefined, from: 0, end: 0 };
    memos.set(s, m);
  }
  return m;
}

function localAt(zone: string, dateMs: number, hhmm: string): number {
  const { hour, minute } = parseClockTime(hhmm);
  const d = new Date(dateMs);
  return localToUtc(zone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute);
}

/** Windows belonging to the local date `dateMs` (UTC midnight of that date). */
function windowsOn(s: Schedule, dateMs: number): Window[] {
  const byDate = memoOf(s).byDate;
  const hit = byDate.get(dateMs);
  if (hit) return hit;
  const label = dateLabel(dateMs);
  const weekday = WEEKDAYS[weekdayOf(label)]!;
  const out: Window[] = [];
  if (!(s.holidays === 'cme' && isCmeHoliday(label))) {
    const early = s.holidays === 'cme' ? CME_EARLY_CLOSES[label] : undefined;
    for (const spec of s.sessions) {
      if (!spec.days.includes(weekday)) continue;
      const crosses = spec.end <= spec.start;
      const start = localAt(s.zone, crosses ? dateMs - DAY_MS : dateMs, spec.start);
      let end = localAt(s.zone, dateMs, spec.end);
      if (early) end = Math.min(end, localAt('America/Chicago', dateMs, early));
      if (end > start) out.push({ start, end });
    }
  }
  if (byDate.size > 64) byDate.clear();
  byDate.set(dateMs, out);
  return out;
}

/**
 * A zone's offset (minutes) at t: every fill and opening order asks for the local date. The shared
 * per-year offset tables (zone-offsets.ts, the trading calendar's) answer without a luxon lookup.
 */
function offsetAt(zone: string, t: number): number {
  return zoneOffsetsFor(zone).at(t);
}

/** UTC midnight of the local date of `t` (luxon's local fields are the UTC fields of t + offset). */
function localDate(zone: string, t: number): number {
  const local = Math.trunc(t + offsetAt(zone, t) * 60_000); // as new Date(…) in luxon's tsToObj
  return Math.floor(local / DAY_MS) * DAY_MS;
}

function windowAt(ws: readonly Window[], t: number): Window | undefined {
  for (const w of ws) if (w.start <= t && t < w.end) return w;
  return undefined;
}

export function inSession(s: Schedule, t: number): boolean {
  const r = memoOf(s);
  if (r.window && r.window.start <= t && t < r.window.end) return true;
  const d = localDate(s.zone, t);
  const w =
    windowAt(windowsOn(s, d - DAY_MS), t) ?? windowAt(windowsOn(s, d), t) ?? windowAt(windowsOn(s, d + DAY_MS), t);
  if (w) r.window = w;
  return w !== undefined;
}

/** Windows that may contain `t`: those of the day before, the day of and the day after `t`. */
function windowsNear(s: Schedule, t: number): Window[] {
  const d = localDate(s.zone, t);
  return [...windowsOn(s, d - DAY_MS), ...windowsOn(s, d), ...windowsOn(s, d + DAY_MS)];
}

/** End of the session containing `t` (windows that touch or overlap are one session). */
export function sessionEnd(s: Schedule, t: number): number | undefined {
  const r = memoOf(s);
  if (r.from <= t && t < r.end) return r.end;
  let end: number | undefined;
  for (let guard = 0; guard < 16; guard++) {
    const at = end ?? t;
    let next: number | undefined;
    for (const w of windowsNear(s, at))
      if (w.start <= at && at < w.end && (next === undefined || w.end > next)) next = w.end;
    if (next === undefined) {
      // The first uncovered time after t: the same answer for every time in [t, end).
      if (end !== undefined) {
        r.from = t;
        r.end = end;
      }
      return end;
    }
    end = next;
  }
  return end;
}

/** The first session open strictly after `t`, or undefined when none within three weeks. */
export function nextOpen(s: Schedule, t: number): number | undefined {
  const d = localDate(s.zone, t);
  let best: number | undefined;
  for (let i = -1; i <= SEARCH_DAYS; i++) {
    for (const w of windowsOn(s, d + i * DAY_MS))
      if (w.start > t && (best === undefined || w.start < best)) best = w.start;
    // A window of date D starts after local midnight of D − 1, i.e. after UTC (D − 2 days): stop once
    // the best start found is earlier than anything a later date can offer.
    if (best !== undefined && best < d + (i - 1) * DAY_MS) break;
  }
  return best;
}
