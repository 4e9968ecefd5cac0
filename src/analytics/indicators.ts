/**
 * Technical indicators over bar series, streaming (one `update` per bar) with array helpers
 * whose outputs are aligned to the input index (null = no value yet).
 *
 * Built on trading-signals 8.3.0 where its convention is the one we want (STYLE.md):
 * - SMA(n)                       first value at index n−1.
 * - EMA(n), seed 'first'         trading-signals: EMA[0] = input[0], α = 2/(n+1); reported from
 *                                index n−1 (the library's isStable point). seed 'sma' (the
 *                                technicalindicators/TA-Lib convention: EMA[n−1] = SMA of the
 *                                first n) is implemented here because trading-signals lacks it.
 * - RSI(n)                       Wilder smoothing, first value at index n.
 * - MACD(f, s, sig)              first-value-seeded EMAs (α = 2/(n+1)); first value at index s−1.
 * - Bollinger(n, k)              middle = SMA(n), bands ± k·population σ; first at n−1.
 * - ATR(n)                       Wilder smoothing of true range with TR₀ = high − low; first at n−1.
 * - VWAP                         Σ typical·volume / Σ volume, typical = (H+L+C)/3, reset per session.
 * See shared/data/indicators/README.md for the differences between libraries.
 */
import { ATR, BollingerBands, EMA, MACD, RSI, SMA } from 'trading-signals';
import { AppError } from '../errors.ts';

export interface Bar {
  high: number;
  low: number;
  close: number;
  volume?: number;
  /** Session key for VWAP resets (e.g. the trading day); undefined = one session. */
  session?: string;
}

export interface MacdValue {
  macd: number;
  signal: number;
  histogram: number;
}

export interface BandsValue {
  lower: number;
  middle: number;
  upper: number;
}

/** A streaming indicator: feed one input per bar, get the value (or null while warming up). */
export interface StreamingIndicator<In, Out> {
  update(input: In): Out | null;
}

function requirePeriod(name: string, period: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new AppError('ERR_ANALYTICS_INPUT', `${name} must be an integer >= 1, got ${period}`);
}

export class SmaStream implements StreamingIndicator<number, number> {
  readonly #sma: SMA;
  constructor(period: number) {
    requirePeriod('SMA period', period);
    this.#sma = new SMA(period);
  }
  update(price: number): number | null {
    return this.#sma.add(price);
  }
}

export type EmaSeed = 'first' | 'sma';

export class EmaStream implements StreamingIndicator<number, number> {
  readonly #period: number;
  readonly #seed: EmaSeed;
  readonly #ema: EMA;
  readonly #alpha: number;
  #count = 0;
  #sum = 0;
  #value: number | null = null;

  constructor(period: number, seed: EmaSeed = 'first') {
    requirePeriod('EMA period', period);
    this.#period = period;
    this.#seed = seed;
    this.#ema = new EMA(period);
    this.#alpha = 2 / (period + 1);
  }

  update(price: number): number | null {
    this.#count++;
    if (this.#seed === 'first') {
      const v = this.#ema.add(price);
      return this.#count >= this.#period ? v : null;
    }
    if (this.#value === null) {
      this.#sum += price;
      if (this.#count < this.#period) return null;
      this.#value = this.#sum / this.#period;
      return this.#value;
    }
    this.#value = (price - this.#value) * this.#alpha + this.#value;
    return this.#value;
  }
}

export class RsiStream implements StreamingIndicator<number, number> {
  readonly #rsi: RSI;
  constructor(period: number) {
    requirePeriod('RSI period', period);
    this.#rsi = new RSI(period);
  }
  update(price: number): number | null {
    return this.#rsi.add(price);
  }
}

export class MacdStream implements StreamingIndicator<number, MacdValue> {
  readonly #macd: MACD;
  constructor(fast = 12, slow = 26, signal = 9) {
    requirePeriod('MACD fast period', fast);
    requirePeriod('MACD slow period', slow);
    requirePeriod('MACD signal period', signal);
    if (fast >= slow)
      throw new AppError('ERR_ANALYTICS_INPUT', `MACD fast period (${fast}) must be < slow period (${slow})`);
    this.#macd = new MACD(new EMA(fast), new EMA(slow), new EMA(signal));
  }
  update(price: number): MacdValue | null {
    const r = this.#macd.add(price);
    return r === null ? null : { macd: r.macd, signal: r.signal, histogram: r.histogram };
  }
}

export class BollingerStream implements StreamingIndicator<number, BandsValue> {
  readonly #bb: BollingerBands;
  constructor(period = 20, k = 2) {
    requirePeriod('Bollinger period', period);
    if (!(k > 0)) throw new AppError('ERR_ANALYTICS_INPUT', `Bollinger k must be > 0, got ${k}`);
    this.#bb = new BollingerBands(period, k);
  }
  update(price: number): BandsValue | null {
    const r = this.#bb.add(price);
    return r === null ? null : { lower: r.lower, middle: r.middle, upper: r.upper };
  }
}

export class AtrStream implements StreamingIndicator<Bar, number> {
  readonly #atr: ATR;
  constructor(period = 14) {
    requirePeriod('ATR period', period);
    this.#atr = new ATR(period);
  }
  update(bar: Bar): number | null {
    return this.#atr.add({ high: bar.high, low: bar.low, close: bar.close });
  }
}

export class VwapStream implements StreamingIndicator<Bar, number> {
  #session: string | undefined;
  #pv = 0;
  #volume = 0;
  update(bar: Bar): number | null {
    if (bar.session !== this.#session) {
      this.#session = bar.session;
      this.#pv = 0;
      this.#volume = 0;
    }
    const volume = bar.volume ?? 0;
    if (volume < 0) throw new AppError('ERR_ANALYTICS_INPUT', `bar volume must be >= 0, got ${volume}`);
    this.#pv += ((bar.high + bar.low + bar.close) / 3) * volume;
    this.#volume += volume;
    return this.#volume > 0 ? this.#pv / this.#volume : null;
  }
}

function run<In, Out>(stream: StreamingIndicator<In, Out>, inputs: readonly In[]): (Out | null)[] {
  return inputs.map((x) => stream.update(x));
}

export const sma = (closes: readonly number[], period: number): (number | null)[] => run(new SmaStream(period), closes);
export const ema = (closes: readonly number[], period: number, seed: EmaSeed = 'first'): (number | null)[] =>
  run(new EmaStream(period, seed), closes);
export const rsi = (closes: readonly number[], period = 14): (number | null)[] => run(new RsiStream(period), closes);
export const macd = (closes: readonly number[], fast = 12, slow = 26, signal = 9): (MacdValue | null)[] =>
  run(new MacdStream(fast, slow, signal), closes);
export const bollinger = (closes: readonly number[], period = 20, k = 2): (BandsValue | null)[] =>
  run(new BollingerStream(period, k), closes);
export const atr = (bars: readonly Bar[], period = 14): (number | null)[] => run(new AtrStream(period), bars);
export const vwap = (bars: readonly Bar[]): (number | null)[] => run(new VwapStream(), bars);
