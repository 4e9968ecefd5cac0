/**
 * Series for report charts: equity thinned to what a chart can show, candles merged into coarser
 * ones, buy-and-hold of the same capital, monthly returns. Numbers here are for pictures only; the
 * reports' figures come from the exact results.
 */

/** Epoch ms UTC and a value. */
export interface ChartPoint {
  readonly time: number;
  readonly value: number;
}

export interface ChartCandle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** A money amount for a picture: cents from 100 up, else 8 significant digits (keeps the page small). */
export function roundForChart(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v * 100) / 100 : Number(v.toPrecision(8));
}

/** Most points a report chart embeds per series: a wide screen has fewer pixel columns. */
export const MAX_CHART_POINTS = 4000;

/**
 * At most about `max` points of a curve: per bucket of consecutive points, its lowest and highest
 * (in time order), so peaks and drawdowns stay; the first and last points are always kept.
 */
export function thinCurve(ts: ArrayLike<number>, values: ArrayLike<number>, max = MAX_CHART_POINTS): ChartPoint[] {
  const n = Math.min(ts.length, values.length);
  const at = (i: number): ChartPoint => ({ time: ts[i] as number, value: values[i] as number });
  if (n <= max) return Array.from({ length: n }, (_, i) => at(i));
  const bucket = Math.ceil(n / Math.max(1, Math.floor(max / 2)));
  const out: ChartPoint[] = [at(0)];
  for (let start = 1; start < n - 1; start += bucket) {
    const end = Math.min(start + bucket, n - 1);
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if ((values[i] as number) < (values[lo] as number)) lo = i;
      if ((values[i] as number) > (values[hi] as number)) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) out.push(at(i));
  }
  out.push(at(n - 1));
  return out;
}

/** Candles merged `k` at a time (first open, highest high, lowest low, last close) to at most `max`. */
export function thinCandles(candles: readonly ChartCandle[], max = MAX_CHART_POINTS): ChartCandle[] {
  if (candles.length <= max) return [...candles];
  const k = Math.ceil(candles.length / max);
  const out: ChartCandle[] = [];
  for (let i = 0; i < candles.length; i += k) {
    const group = candles.slice(i, i + k);
    out.push({
      time: group[0]!.time,
      open: group[0]!.open,
      high: Math.max(...group.map((c) => c.high)),
      low: Math.min(...group.map((c) => c.low)),
      close: group[group.length - 1]!.close,
    });
  }
  return out;
}

/** The capital held in the instrument from the first price: capital × price / first price. */
export function buyAndHold(prices: readonly ChartPoint[], capital: number): ChartPoint[] {
  const first = prices.find((p) => p.value > 0);
  if (!first) return [];
  return prices.map((p) => ({ time: p.time, value: (capital * p.value) / first.value }));
}

export interface MonthlyReturns {
  /** Years in order; each with 12 monthly returns in percent (null: no equity that month) and the year's. */
  readonly years: ReadonlyArray<{ year: number; months: (number | null)[]; total: number | null }>;
}

/**
 * Return per calendar month (UTC) in percent: the month's last equity against the previous
 * month's last (the starting capital for the first month). The year's total compounds the same way.
 */
export function monthlyReturns(ts: ArrayLike<number>, values: ArrayLike<number>, capital: number): MonthlyReturns {
  const monthEnd = new Map<number, number>(); // year*12+month → last equity
  for (let i = 0; i < Math.min(ts.length, values.length); i++) {
    const d = new Date(ts[i] as number);
    monthEnd.set(d.getUTCFullYear() * 12 + d.getUTCMonth(), values[i] as number);
  }
  const keys = [...monthEnd.keys()].sort((a, b) => a - b);
  if (keys.length === 0) return { years: [] };
  const pct = (to: number, from: number) => (from === 0 ? null : (to / from - 1) * 100);
  const years: Array<{ year: number; months: (number | null)[]; total: number | null }> = [];
  let prev = capital;
  let yearStart = capital;
  for (let y = Math.floor(keys[0]! / 12); y <= Math.floor(keys[keys.length - 1]! / 12); y++) {
    const months: (number | null)[] = [];
    let last: number | undefined;
    for (let m = 0; m < 12; m++) {
      const e = monthEnd.get(y * 12 + m);
      if (e === undefined) {
        months.push(null);
        continue;
      }
      months.push(pct(e, prev));
      prev = e;
      last = e;
    }
    years.push({ year: y, months, total: last === undefined ? null : pct(last, yearStart) });
    yearStart = prev;
  }
  return { years };
}
