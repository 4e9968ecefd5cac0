/**
 * Market regimes per bar, from two documented indicators (docs/research.md):
 *
 * - Trend / range: Wilder's ADX(14). The usual reading, ADX ≥ 25 trending and ≤ 20 ranging, sits
 *   at confidence 0.5; confidence rises linearly to 1 at 27.5 (trend) and 17.5 (range) and falls
 *   to 0 at 22.5, where the indicator says nothing. The trend's direction is the larger of +DI/−DI.
 * - Calm / volatile: the realized volatility of the last 20 log returns (annualised), as a
 *   percentile of its own values over the last 756 bars (three years of days). Percentile ≥ 0.75
 *   is volatile and ≤ 0.25 calm at confidence 0.5; confidence is 1 at the extremes, 0 at the median.
 *
 * A reading whose confidence is below `minConfidence` (default 0.5) is `uncertain`: its own state,
 * not a guess. Before an indicator has its history (27 bars for ADX(14); 252 volatility values for
 * the percentile) the state is `uncertain` with confidence 0. Pure: bars in, readings out.
 */

export interface RegimeBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export interface RegimeSettings {
  readonly adxPeriod: number;
  /** ADX at which the trend reading has confidence 0.5 (1 at trendAdx + (trendAdx − rangeAdx) / 2). */
  readonly trendAdx: number;
  /** ADX at which the range reading has confidence 0.5. */
  readonly rangeAdx: number;
  /** Log returns per realized-volatility value. */
  readonly volWindow: number;
  /** Volatility values the percentile is taken over (the current one included). */
  readonly volLookback: number;
  /** Fewest volatility values for a percentile. */
  readonly volMinHistory: number;
  /** Annualisation of the realized volatility (display only: the percentile does not depend on it). */
  readonly periodsPerYear: number;
  readonly minConfidence: number;
}

export const DEFAULT_REGIME_SETTINGS: RegimeSettings = {
  adxPeriod: 14,
  trendAdx: 25,
  rangeAdx: 20,
  volWindow: 20,
  volLookback: 756,
  volMinHistory: 252,
  periodsPerYear: 252,
  minConfidence: 0.5,
};

export type TrendState = 'trend' | 'range' | 'uncertain';
export type VolatilityState = 'calm' | 'volatile' | 'uncertain';

export interface RegimeReading {
  readonly trend: TrendState;
  readonly trendConfidence: number;
  readonly adx: number | null;
  /** Which way the market moves (+DI vs −DI), whatever the trend state. */
  readonly direction: 'up' | 'down' | null;
  readonly volatility: VolatilityState;
  readonly volatilityConfidence: number;
  readonly realizedVol: number | null;
  /** Share of the lookback's volatility values below the current one (ties count half). */
  readonly volPercentile: number | null;
}

const clamp = (x: number): number => (x < -1 ? -1 : x > 1 ? 1 : x);

export interface AdxPoint {
  readonly adx: number | null;
  readonly plusDi: number | null;
  readonly minusDi: number | null;
}

/** Wilder's ADX: smoothed TR and ±DM (first value a sum, then S − S/n + x), ADX the smoothed DX. */
export function adxSeries(bars: readonly RegimeBar[], period: number): AdxPoint[] {
  const out: AdxPoint[] = [{ adx: null, plusDi: null, minusDi: null }];
  let tr = 0;
  let plus = 0;
  let minus = 0;
  let adx = 0;
  let dxSum = 0;
  for (let i = 1; i < bars.length; i++) {
    const b = bars[i] as RegimeBar;
    const p = bars[i - 1] as RegimeBar;
    const up = b.high - p.high;
    const down = p.low - b.low;
    const x = Math.max(b.high - b.low, Math.abs(b.high - p.close), Math.abs(b.low - p.close));
    const pdm = up > down && up > 0 ? up : 0;
    const mdm = down > up && down > 0 ? down : 0;
    if (i <= period) {
      tr += x;
      plus += pdm;
      minus += mdm;
    } else {
      tr += x - tr / period;
      plus += pdm - plus / period;
      minus += mdm - minus / period;
    }
    if (i < period) {
      out.push({ adx: null, plusDi: null, minusDi: null });
      continue;
    }
    const plusDi = tr > 0 ? (100 * plus) / tr : 0;
    const minusDi = tr > 0 ? (100 * minus) / tr : 0;
    const dx = plusDi + minusDi > 0 ? (100 * Math.abs(plusDi - minusDi)) / (plusDi + minusDi) : 0;
    const k = i - period; // DX values before this one
    if (k < period - 1) dxSum += dx;
    else if (k === period - 1) adx = (dxSum + dx) / period;
    else adx = (adx * (period - 1) + dx) / period;
    out.push({ adx: k >= period - 1 ? adx : null, plusDi, minusDi });
  }
  return out;
}

/** Annualised standard deviation (n − 1) of the last `window` log returns, per bar. */
export function realizedVolSeries(
  bars: readonly RegimeBar[],
  window: number,
  periodsPerYear: number,
): (number | null)[] {
  const r = bars.map((b, i) => (i === 0 ? 0 : Math.log(b.close / (bars[i - 1] as RegimeBar).close)));
  return bars.map((_, i) => {
    if (i < window) return null;
    let mean = 0;
    for (let j = i - window + 1; j <= i; j++) mean += r[j] as number;
    mean /= window;
    let sq = 0;
    for (let j = i - window + 1; j <= i; j++) sq += ((r[j] as number) - mean) ** 2;
    return Math.sqrt((sq / (window - 1)) * periodsPerYear);
  });
}

function percentileOf(
  values: readonly (number | null)[],
  i: number,
  lookback: number,
  minHistory: number,
): number | null {
  const v = values[i];
  if (v === null || v === undefined) return null;
  let below = 0;
  let equal = 0;
  let n = 0;
  for (let j = Math.max(0, i - lookback + 1); j <= i; j++) {
    const x = values[j];
    if (x === null || x === undefined) continue;
    n++;
    if (x < v) below++;
    else if (x === v) equal++;
  }
  return n < minHistory ? null : (below + (equal - 1) / 2) / (n - 1);
}

export function detectRegimes(bars: readonly RegimeBar[], settings: Partial<RegimeSettings> = {}): RegimeReading[] {
  const s = { ...DEFAULT_REGIME_SETTINGS, ...settings };
  const adx = adxSeries(bars, s.adxPeriod);
  const vol = realizedVolSeries(bars, s.volWindow, s.periodsPerYear);
  const mid = (s.trendAdx + s.rangeAdx) / 2;
  const span = s.trendAdx - s.rangeAdx; // from the midpoint to confidence 1
  return bars.map((_, i) => {
    const a = adx[i] as AdxPoint;
    const trendScore = a.adx === null ? 0 : clamp((a.adx - mid) / span);
    const pct = percentileOf(vol, i, s.volLookback, s.volMinHistory);
    const volScore = pct === null ? 0 : clamp((pct - 0.5) * 2);
    const trendConfidence = Math.abs(trendScore);
    const volatilityConfidence = Math.abs(volScore);
    return {
      trend: a.adx === null || trendConfidence < s.minConfidence ? 'uncertain' : trendScore > 0 ? 'trend' : 'range',
      trendConfidence,
      adx: a.adx,
      direction: a.plusDi === null || a.minusDi === null ? null : a.plusDi >= a.minusDi ? 'up' : 'down',
      volatility:
        pct === null || volatilityConfidence < s.minConfidence ? 'uncertain' : volScore > 0 ? 'volatile' : 'calm',
      volatilityConfidence,
      realizedVol: vol[i] ?? null,
      volPercentile: pct,
    };
  });
}
