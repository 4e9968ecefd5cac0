/**
 * `POST /api/v1/indicators` (issue 14): one indicator of src/analytics/indicators.ts over bars
 * given in the body or read from the bundled history (`symbol`, `from`, `to`). The series is
 * aligned with the bars: one point per bar, `null` while the indicator warms up. Indicator
 * values are floating-point numbers, as in the analytics routes.
 */
import type { FastifyInstance } from 'fastify';
import { parseTime } from '../../backtest/bars-file.ts';
import { dateLabel } from '../../domain/calendar.ts';
import * as ind from '../../analytics/indicators.ts';
import { AppError } from '../../errors.ts';
import { needs } from '../guards.ts';
import { barsBetween, DATE_PATTERN, dateRange } from '../market-data.ts';

const INDICATORS = ['sma', 'ema', 'rsi', 'macd', 'bb', 'atr', 'vwap'] as const;
type Indicator = (typeof INDICATORS)[number];
export const MAX_INDICATOR_BARS = 20_000;

type Num = number | string;
const num = { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^-?\\d{1,18}(\\.\\d{1,18})?$' }] } as const;
const period = { type: 'integer', minimum: 1, maximum: 10_000 } as const;
const body = {
  type: 'object',
  additionalProperties: false,
  required: ['indicator'],
  properties: {
    indicator: { type: 'string', enum: INDICATORS },
    params: {
      type: 'object',
      additionalProperties: false,
      properties: {
        period,
        fast: period,
        slow: period,
        signal: period,
        k: num,
        seed: { type: 'string', enum: ['first', 'sma'] },
        anchor: { type: 'string', enum: ['day', 'none'] },
      },
    },
    bars: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_INDICATOR_BARS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['time', 'close'],
        properties: {
          time: {
            anyOf: [
              { type: 'string', maxLength: 40 },
              { type: 'integer', minimum: 0 },
            ],
          },
          open: num,
          high: num,
          low: num,
          close: num,
          volume: num,
        },
      },
    },
    symbol: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' },
    from: { type: 'string', pattern: DATE_PATTERN },
    to: { type: 'string', pattern: DATE_PATTERN },
  },
} as const;

interface Params {
  period?: number;
  fast?: number;
  slow?: number;
  signal?: number;
  k?: Num;
  seed?: ind.EmaSeed;
  anchor?: 'day' | 'none';
}
interface BarIn {
  time: string | number;
  high?: Num;
  low?: Num;
  close: Num;
  volume?: Num;
}
interface Body {
  indicator: Indicator;
  params?: Params;
  bars?: BarIn[];
  symbol?: string;
  from?: string;
  to?: string;
}
interface Point extends ind.Bar {
  ts: number;
}

const finite = (field: string, v: Num): number => {
  const x = Number(v);
  if (!Number.isFinite(x)) throw new AppError('ERR_INPUT_INVALID', `body.${field}: not a finite number`);
  return x;
};

function givenBars(bars: BarIn[], needsRange: boolean): Point[] {
  let prev = -Infinity;
  return bars.map((b, i) => {
    const ts = parseTime(String(b.time));
    if (ts === undefined) throw new AppError('ERR_INPUT_INVALID', `body.bars.${i}.time: not a date or epoch time`);
    if (ts <= prev) throw new AppError('ERR_INPUT_INVALID', `body.bars.${i}.time: not after the previous bar`);
    prev = ts;
    const close = finite(`bars.${i}.close`, b.close);
    const side = (k: 'high' | 'low') => {
      if (b[k] !== undefined) return finite(`bars.${i}.${k}`, b[k]);
      if (needsRange) throw new AppError('ERR_INPUT_INVALID', `body.bars.${i}.${k}: required for this indicator`);
      return close;
    };
    const volume = b.volume === undefined ? undefined : finite(`bars.${i}.volume`, b.volume);
    return { ts, high: side('high'), low: side('low'), close, ...(volume === undefined ? {} : { volume }) };
  });
}

function inputBars(b: Body): Point[] {
  const needsRange = b.indicator === 'atr' || b.indicator === 'vwap';
  if (b.bars !== undefined) {
    if (b.symbol !== undefined) throw new AppError('ERR_INPUT_INVALID', 'body.symbol: give either bars or symbol');
    return givenBars(b.bars, needsRange);
  }
  if (b.symbol === undefined) throw new AppError('ERR_INPUT_INVALID', 'body.bars: give bars or symbol, from and to');
  if (b.from === undefined || b.to === undefined)
    throw new AppError('ERR_INPUT_INVALID', `body.${b.from === undefined ? 'from' : 'to'}: required with symbol`);
  const range = dateRange(b.from, b.to, 366 * 30, 'body');
  const bars = barsBetween(b.symbol, range.from, range.to);
  if (bars.length > MAX_INDICATOR_BARS)
    throw new AppError('ERR_INPUT_INVALID', `body.to: ${bars.length} bars in range; at most ${MAX_INDICATOR_BARS}`);
  return bars.map((x) => ({
    ts: x.ts,
    high: x.num.high,
    low: x.num.low,
    close: x.num.close,
    ...(Number.isNaN(x.num.volume) ? {} : { volume: x.num.volume }),
  }));
}

/** The parameters each indicator reads; any other is refused rather than silently ignored. */
const PARAMS: Record<Indicator, readonly (keyof Params)[]> = {
  sma: ['period'],
  ema: ['period', 'seed'],
  rsi: ['period'],
  macd: ['fast', 'slow', 'signal'],
  bb: ['period', 'k'],
  atr: ['period'],
  vwap: ['anchor'],
};

function compute(b: Body, bars: Point[]): unknown[] {
  const p = b.params ?? {};
  const allowed = PARAMS[b.indicator];
  const stray = Object.keys(p).find((name) => !allowed.includes(name as keyof Params));
  if (stray !== undefined)
    throw new AppError(
      'ERR_INPUT_INVALID',
      `body.params.${stray}: not a parameter of ${b.indicator} (${allowed.join(', ')})`,
    );
  const closes = bars.map((x) => x.close);
  const k = p.k === undefined ? 2 : finite('params.k', p.k);
  const series: Record<Indicator, () => unknown[]> = {
    sma: () => ind.sma(closes, p.period ?? 20),
    ema: () => ind.ema(closes, p.period ?? 20, p.seed ?? 'first'),
    rsi: () => ind.rsi(closes, p.period ?? 14),
    macd: () => ind.macd(closes, p.fast ?? 12, p.slow ?? 26, p.signal ?? 9),
    bb: () => ind.bollinger(closes, p.period ?? 20, k),
    atr: () => ind.atr(bars, p.period ?? 14),
    // Anchored per UTC date by default (a new VWAP each day); `none` runs over the whole series.
    vwap: () => ind.vwap(p.anchor === 'none' ? bars : bars.map((x) => ({ ...x, session: dateLabel(x.ts) }))),
  };
  return series[b.indicator]();
}

export async function indicatorRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Body }>('/indicators', { preValidation: needs('viewer'), schema: { body } }, async (req) => {
    const bars = inputBars(req.body);
    const values = compute(req.body, bars);
    return {
      indicator: req.body.indicator,
      params: req.body.params ?? {},
      series: bars.map((x, i) => ({ time: new Date(x.ts).toISOString(), value: values[i] ?? null })),
    };
  });
}
