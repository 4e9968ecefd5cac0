/**
 * Pure conversions from riskgate's wire shapes (epoch ms or ISO-8601 times, decimal-string values)
 * to what lightweight-charts plots (UTC seconds, numbers). No DOM here: the server side and the
 * tests use these too. Numbers are for plotting only; money stays exact everywhere else.
 */

/** Epoch milliseconds UTC, an ISO-8601 time or a `YYYY-MM-DD` date. */
export type TimeInput = number | string;
/** A decimal string (money, prices) or a number. */
export type ValueInput = number | string;

export interface PointInput {
  readonly time: TimeInput;
  readonly value: ValueInput;
}

export interface PlotPoint {
  /** UTC seconds (lightweight-charts' `UTCTimestamp`). */
  readonly time: number;
  readonly value: number;
}

/** UTC seconds of a time input; NaN when it cannot be read. */
export function toSeconds(t: TimeInput): number {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  return Math.floor(ms / 1000);
}

export function toNumber(v: ValueInput): number {
  return typeof v === 'number' ? v : Number(v);
}

/**
 * Points sorted by time with one point per second (the last wins), unreadable ones dropped:
 * lightweight-charts requires strictly ascending times.
 */
export function plotPoints(points: readonly PointInput[]): PlotPoint[] {
  const out: PlotPoint[] = [];
  const sorted = points
    .map((p) => ({ time: toSeconds(p.time), value: toNumber(p.value) }))
    .filter((p) => Number.isFinite(p.time) && Number.isFinite(p.value));
  let ordered = true;
  for (let i = 1; i < sorted.length && ordered; i++) ordered = sorted[i - 1]!.time <= sorted[i]!.time;
  if (!ordered) sorted.sort((a, b) => a.time - b.time);
  for (const p of sorted) {
    if (out.length > 0 && out[out.length - 1]!.time === p.time) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** Drawdown from the running peak, in percent (0 at a new high, negative below it). */
export function drawdownPercent(equity: readonly PlotPoint[]): PlotPoint[] {
  let peak = -Infinity;
  return equity.map((p) => {
    if (p.value > peak) peak = p.value;
    const dd = peak > 0 ? ((p.value - peak) / peak) * 100 : 0;
    return { time: p.time, value: dd };
  });
}

/** The time of `t` snapped to the nearest earlier plotted time (markers must sit on a data point). */
export function snapTime(times: readonly number[], t: number): number | undefined {
  if (times.length === 0) return undefined;
  let lo = 0;
  let hi = times.length - 1;
  if (t <= times[0]!) return times[0];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return times[lo];
}

/** `1,234.56` style label with a currency suffix when given. */
export function formatValue(v: number, currency?: string, digits = 2): string {
  const text = v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return currency ? `${text} ${currency}` : text;
}
