/**
 * Reference data the research routes read: `YYYY-MM-DD` range parameters and the bundled daily
 * bars. Only data shipped with riskgate is served; a symbol picks a bundled series, never a path.
 */
import { readFileSync } from 'node:fs';
import { parseBarsCsv } from '../backtest/bars-file.ts';
import type { Bar } from '../backtest/types.ts';
import { BUNDLED_SP500 } from '../node/bundled-data.ts';
import { AppError } from '../errors.ts';

export const DAY_MS = 86_400_000;
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** Years a date parameter may name: the zone rules and the data are about this span. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

/** UTC midnight of a `YYYY-MM-DD` field that must be a real calendar date in FIRST_YEAR..LAST_YEAR. */
export function dateParam(field: string, text: string, where = 'querystring'): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text)
    throw new AppError('ERR_INPUT_INVALID', `${where}.${field}: not a calendar date: ${text}`);
  const year = Number(text.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR)
    throw new AppError('ERR_INPUT_INVALID', `${where}.${field}: year ${year} is outside ${FIRST_YEAR}–${LAST_YEAR}`);
  return ms;
}

/** `from`..`to` inclusive, at most `maxDays` days long; `where` prefixes the field names. */
export function dateRange(
  from: string,
  to: string,
  maxDays: number,
  where = 'querystring',
): { from: number; to: number; days: number } {
  const a = dateParam('from', from, where);
  const b = dateParam('to', to, where);
  if (b < a) throw new AppError('ERR_INPUT_INVALID', `${where}.to: ${to} is before from (${from})`);
  const days = (b - a) / DAY_MS + 1;
  if (days > maxDays)
    throw new AppError(
      'ERR_INPUT_INVALID',
      `${where}.to: the range spans ${days} days; at most ${maxDays} per request (split the range)`,
    );
  return { from: a, to: b, days };
}

/** Bundled series by symbol: the S&P 500 daily bars the paper feed quotes as MES and ES. */
const BUNDLED: Readonly<Record<string, string>> = { MES: BUNDLED_SP500, ES: BUNDLED_SP500 };
const loaded = new Map<string, readonly Bar[]>();

export function bundledSymbols(): string[] {
  return Object.keys(BUNDLED).sort();
}

/** The bundled daily bars of `symbol` (parsed once), or a 404 naming the symbols there are. */
export function bundledBars(symbol: string): readonly Bar[] {
  const file = Object.hasOwn(BUNDLED, symbol) ? BUNDLED[symbol] : undefined;
  if (file === undefined)
    throw new AppError(
      'ERR_HISTORY_UNKNOWN_SYMBOL',
      `no historical data for ${JSON.stringify(symbol.slice(0, 40))}; available: ${bundledSymbols().join(', ')}`,
    );
  let bars = loaded.get(file);
  if (!bars) {
    bars = parseBarsCsv(readFileSync(file, 'utf8'), 'bundled data');
    loaded.set(file, bars);
  }
  return bars;
}

/** Bars of `symbol` whose start lies on a date in `from`..`to` (UTC midnights, inclusive). */
export function barsBetween(symbol: string, from: number, to: number): readonly Bar[] {
  const bars = bundledBars(symbol);
  const end = to + DAY_MS;
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars[mid]!.ts < from) lo = mid + 1;
    else hi = mid;
  }
  let stop = lo;
  while (stop < bars.length && bars[stop]!.ts < end) stop++;
  return bars.slice(lo, stop);
}
