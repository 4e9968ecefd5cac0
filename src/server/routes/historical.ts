/**
 * `GET /api/v1/historical?symbol=&from=&to=&interval=1d` (issue 14): daily bars from the data
 * bundled with riskgate, prices and volume as decimal strings. A long range is answered with its
 * first MAX_HISTORICAL_BARS bars, `truncated: true` and the `from` that continues it.
 */
import type { FastifyInstance } from 'fastify';
import { formatFixed } from '../../domain/money.ts';
import { dateLabel } from '../../domain/calendar.ts';
import { needs } from '../guards.ts';
import { barsBetween, DATE_PATTERN, DAY_MS, dateRange } from '../market-data.ts';

export const MAX_HISTORICAL_BARS = 2000;
/** Bundled data spans 2000–2020; a request may ask for any span of it at once. */
const MAX_RANGE_DAYS = 366 * 30;

const querystring = {
  type: 'object',
  additionalProperties: false,
  required: ['symbol', 'from', 'to'],
  properties: {
    symbol: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' },
    from: { type: 'string', pattern: DATE_PATTERN },
    to: { type: 'string', pattern: DATE_PATTERN },
    interval: { type: 'string', enum: ['1d'] },
  },
} as const;

export async function historicalRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { symbol: string; from: string; to: string; interval?: '1d' } }>(
    '/historical',
    { preValidation: needs('viewer'), schema: { querystring } },
    async (req) => {
      const { symbol, from, to } = req.query;
      const range = dateRange(from, to, MAX_RANGE_DAYS);
      const all = barsBetween(symbol, range.from, range.to);
      const bars = all.slice(0, MAX_HISTORICAL_BARS);
      const truncated = all.length > bars.length;
      return {
        symbol,
        interval: '1d',
        bars: bars.map((b) => ({
          date: dateLabel(b.ts),
          open: formatFixed(b.open),
          high: formatFixed(b.high),
          low: formatFixed(b.low),
          close: formatFixed(b.close),
          volume: b.volume === undefined ? null : formatFixed(b.volume),
        })),
        truncated,
        ...(truncated
          ? {
              message: `${all.length} bars in range; the first ${MAX_HISTORICAL_BARS} are returned, ask again from ${dateLabel(bars.at(-1)!.ts + DAY_MS)}`,
              next: dateLabel(bars.at(-1)!.ts + DAY_MS),
            }
          : {}),
      };
    },
  );
}
