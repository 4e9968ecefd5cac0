/**
 * Reads historical bars (DESIGN §5 `backtest --data`): CSV with a header naming
 * `date|time,open,high,low,close[,volume]` (any order, case-insensitive, extra columns ignored),
 * or a JSON array of candles (trading-signals / exchange style: `open`…`close` as decimal strings
 * or numbers, time in `openTimeInMillis`, `time`, `t`, `ts` or `date`). Prices are parsed exactly.
 * Times: `YYYY-MM-DD` is UTC midnight, date-times without a zone are UTC, epoch numbers may be
 * seconds, milliseconds or nanoseconds. Bad input is an error naming the line and column.
 */
import { readFileSync, existsSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { MoneyFormatError, parseFixed, type Fixed } from '../domain/money.ts';
import { makeBar, type Bar } from './types.ts';

const TIME_COLUMNS = ['date', 'time', 'datetime', 'timestamp', 'ts'];

function bad(source: string, line: number, what: string): AppError {
  return new AppError('ERR_BACKTEST_INPUT', `${source} line ${line}: ${what}`);
}

export function parseTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (t.length <= 11) return n * 1000;
    if (t.length <= 14) return n;
    return Math.floor(Number(BigInt(t) / 1_000_000n));
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Date.parse(`${t}T00:00:00Z`);
  const iso = t.replace(' ', 'T');
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

function price(source: string, line: number, col: string, raw: string | number | undefined): Fixed {
  if (raw === undefined || raw === '') throw bad(source, line, `missing ${col}`);
  try {
    // JSON numbers: their shortest decimal form is the intended exact value.
    return parseFixed(typeof raw === 'number' ? String(raw) : raw.trim());
  } catch (e) {
    if (e instanceof MoneyFormatError) throw bad(source, line, `${col} is not a decimal: ${JSON.stringify(raw)}`);
    throw e;
  }
}

function checked(source: string, line: number, bar: Bar, prevTs: number | undefined): Bar {
  if (prevTs !== undefined && bar.ts <= prevTs) throw bad(source, line, 'time is not after the previous bar');
  const hi = bar.open > bar.close ? bar.open : bar.close;
  const lo = bar.open < bar.close ? bar.open : bar.close;
  if (bar.high < hi) throw bad(source, line, 'high is below open or close');
  if (bar.low > lo) throw bad(source, line, 'low is above open or close');
  return bar;
}

export function parseBarsCsv(text: string, source = 'bars.csv'): Bar[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  const iTime = header.findIndex((h) => TIME_COLUMNS.includes(h));
  const [iO, iH, iL, iC, iV] = [col('open'), col('high'), col('low'), col('close'), col('volume')];
  if (iTime < 0) throw bad(source, 1, `header needs a time column (${TIME_COLUMNS.join('|')}), got ${lines[0] ?? ''}`);
  for (const [name, i] of [
    ['open', iO],
    ['high', iH],
    ['low', iL],
    ['close', iC],
  ] as const)
    if (i < 0) throw bad(source, 1, `header has no ${name} column`);
  const bars: Bar[] = [];
  let prevTs: number | undefined;
  for (let n = 1; n < lines.length; n++) {
    const raw = lines[n];
    if (raw === undefined || raw.trim() === '') continue;
    const f = raw.split(',').map((x) => x.trim().replace(/^"|"$/g, ''));
    const ts = parseTime(f[iTime] ?? '');
    if (ts === undefined) throw bad(source, n + 1, `cannot read time ${JSON.stringify(f[iTime])}`);
    const vol = iV >= 0 && f[iV] !== undefined && f[iV] !== '' ? price(source, n + 1, 'volume', f[iV]) : undefined;
    const bar = makeBar(
      ts,
      price(source, n + 1, 'open', f[iO]),
      price(source, n + 1, 'high', f[iH]),
      price(source, n + 1, 'low', f[iL]),
      price(source, n + 1, 'close', f[iC]),
      vol,
    );
    bars.push(checked(source, n + 1, bar, prevTs));
    prevTs = ts;
  }
  if (bars.length === 0) throw bad(source, 1, 'no bars');
  return bars;
}

export function parseBarsJson(text: string, source = 'bars.json'): Bar[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new AppError('ERR_BACKTEST_INPUT', `${source}: not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data) || data.length === 0)
    throw new AppError('ERR_BACKTEST_INPUT', `${source}: expected a non-empty JSON array of candles`);
  const bars: Bar[] = [];
  let prevTs: number | undefined;
  data.forEach((c: Record<string, unknown>, i) => {
    const item = i + 1; // "line" = array item number
    const t = c.openTimeInMillis ?? c.time ?? c.t ?? c.ts ?? c.date ?? c.openTimeInISO;
    const ts =
      typeof t === 'number' ? parseTime(String(Math.trunc(t))) : typeof t === 'string' ? parseTime(t) : undefined;
    if (ts === undefined) throw bad(source, item, 'candle has no readable time');
    const g = (k: string, short: string) => (c[k] ?? c[short]) as string | number | undefined;
    const v = g('volume', 'v');
    const bar = makeBar(
      ts,
      price(source, item, 'open', g('open', 'o')),
      price(source, item, 'high', g('high', 'h')),
      price(source, item, 'low', g('low', 'l')),
      price(source, item, 'close', g('close', 'c')),
      v === undefined ? undefined : price(source, item, 'volume', v),
    );
    bars.push(checked(source, item, bar, prevTs));
    prevTs = ts;
  });
  return bars;
}

/** Loads bars from a .csv or .json file. `.dbn` is handled by the caller (needs the DBN reader). */
export function loadBars(path: string): Bar[] {
  if (!existsSync(path)) throw new AppError('ERR_FILE_NOT_FOUND', `bars file not found: ${path}`);
  const text = readFileSync(path, 'utf8');
  return /\.json$/i.test(path) ? parseBarsJson(text, path) : parseBarsCsv(text, path);
}
