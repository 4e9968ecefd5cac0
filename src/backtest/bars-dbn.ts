/**
 * Bars from Databento OHLCV files (`backtest --data file.dbn[.zst]`, schemas ohlcv-1s/1m/1h/1d and
 * the legacy/eod OHLCV rtypes). Prices are 1e-9 fixed integers in DBN: they become exact `Fixed`
 * values (× 10^9), never floats. A bar is stamped at its start (`ts_event`, the backtester's
 * convention; the replay adapter stamps OHLCV at the close instead, to avoid look-ahead in a
 * quote stream). The symbol comes from the file's symbology (metadata mappings, or in-stream
 * mapping / definition records); a file with several instruments needs `--symbol`.
 */
import { AppError } from '../errors.ts';
import { pickSymbol } from './pick-symbol.ts';
import { fromInt, type Fixed } from '../domain/money.ts';
import { DbnFileReader } from '../adapters/databento/reader.ts';
import { InstrumentSymbols, nsToMs } from '../adapters/databento/symbology.ts';
import { RTYPE, UNDEF_PRICE, type OhlcvRecord } from '../adapters/databento/schemas.ts';
import type { DbnJsonRecord } from '../adapters/databento/layout.ts';
import { makeBar, type Bar } from './types.ts';

const OHLCV_RTYPES = new Set<number>([
  RTYPE.OHLCV_DEPRECATED,
  RTYPE.OHLCV_1S,
  RTYPE.OHLCV_1M,
  RTYPE.OHLCV_1H,
  RTYPE.OHLCV_1D,
  RTYPE.OHLCV_EOD,
]);

/** 1e-9 fixed (DBN) → 1e-18 fixed (riskgate). */
const DBN_TO_FIXED = 1_000_000_000n;

export function isDbnPath(path: string): boolean {
  return /\.dbn(\.zst)?$/i.test(path);
}

export interface DbnBars {
  readonly symbol: string;
  readonly bars: Bar[];
}

function dbnPrice(source: string, n: number, field: string, raw: string): Fixed {
  if (raw === UNDEF_PRICE || !/^-?\d+$/.test(raw))
    throw new AppError(
      'ERR_BACKTEST_INPUT',
      `${source} record ${n}: ${field} is undefined or not a DBN price (${raw})`,
    );
  return BigInt(raw) * DBN_TO_FIXED;
}

/**
 * Groups OHLCV records by symbol and returns the bars of one instrument: `wanted` (a symbol or an
 * instrument id) or, if not given, the only one in the data. Pure, for testing without files.
 */
export function barsFromOhlcv(
  records: Iterable<DbnJsonRecord>,
  symbols: InstrumentSymbols,
  source: string,
  wanted?: string,
): DbnBars {
  const bySymbol = new Map<string, { ids: Set<number>; bars: Bar[]; lastTs: number }>();
  let n = 0;
  let others = 0;
  for (const r of records) {
    n++;
    if (symbols.observe(r)) continue;
    if (!OHLCV_RTYPES.has(r.hd.rtype)) {
      others++;
      continue;
    }
    const rec = r as OhlcvRecord;
    const id = r.hd.instrument_id;
    const symbol = symbols.symbolAt(id, r.hd.ts_event) ?? String(id);
    let group = bySymbol.get(symbol);
    if (!group) bySymbol.set(symbol, (group = { ids: new Set(), bars: [], lastTs: -Infinity }));
    group.ids.add(id);
    const ts = nsToMs(r.hd.ts_event);
    if (ts <= group.lastTs)
      throw new AppError(
        'ERR_BACKTEST_INPUT',
        `${source} record ${n}: ${symbol} bar time is not after the previous bar`,
      );
    group.lastTs = ts;
    const open = dbnPrice(source, n, 'open', rec.open);
    const high = dbnPrice(source, n, 'high', rec.high);
    const low = dbnPrice(source, n, 'low', rec.low);
    const close = dbnPrice(source, n, 'close', rec.close);
    if (high < (open > close ? open : close) || low > (open < close ? open : close))
      throw new AppError('ERR_BACKTEST_INPUT', `${source} record ${n}: inconsistent bar (low ≤ open, close ≤ high)`);
    group.bars.push(makeBar(ts, open, high, low, close, fromInt(BigInt(rec.volume))));
  }
  if (bySymbol.size === 0)
    throw new AppError(
      'ERR_BACKTEST_INPUT',
      `${source}: no OHLCV bars (${others > 0 ? `${others} records of another schema; backtest needs ohlcv-1s/1m/1h/1d` : 'the file holds no records'})`,
    );
  const { symbol, data } = pickSymbol(
    bySymbol,
    wanted,
    {
      several: (names) =>
        `${source} holds bars of ${names.length} instruments (${names.join(', ')}): choose one with --symbol`,
      missing: (w, names) => `${source}: no bars for --symbol ${w} (the file has ${names.join(', ')})`,
    },
    (name, w) => bySymbol.get(name)?.ids.has(Number(w)) === true,
  );
  return { symbol, bars: data.bars };
}

/** Reads a DBN / DBN.zst OHLCV file (streamed) into the bars of one instrument. */
export async function loadDbnBars(path: string, wanted?: string): Promise<DbnBars> {
  const reader = await DbnFileReader.open(path);
  const symbols = new InstrumentSymbols(reader.metadata);
  const records: DbnJsonRecord[] = [];
  try {
    for await (const batch of reader.batches()) for (const r of batch) records.push(r);
  } finally {
    await reader.close();
  }
  return barsFromOhlcv(records, symbols, path, wanted);
}
