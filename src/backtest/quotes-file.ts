/**
 * Quotes for a quote-driven backtest (`backtest --data`): a DBN / DBN.zst file of a quote schema
 * (MBP-1, MBP-10, TBBO, BBO, CMBP-1, trades…, mapped as `replay` maps them) or an NDJSON event log
 * (DESIGN §4; its `quote` events, other events skipped). One instrument per run: the only one in
 * the data, or `--symbol`; several with `--symbol A,B` or `--symbol '*'` (one account trading
 * them all, portfolio.ts).
 */
import { AppError } from '../errors.ts';
import { parseFixed, type Fixed } from '../domain/money.ts';
import type { Quote } from '../adapters/broker.ts';
import { DatabentoFileSource } from '../adapters/databento/adapter.ts';
import { DbnFileReader } from '../adapters/databento/reader.ts';
import { newReadStats, readEventLog } from '../adapters/eventlog/reader.ts';
import { isDbnPath } from './bars-dbn.ts';
import { pickSymbol } from './pick-symbol.ts';

export interface DataQuotes {
  readonly symbol: string;
  readonly quotes: Quote[];
}

/** NDJSON event logs hold quotes; so do DBN files of any schema but OHLCV (those are bars). */
export async function isQuoteData(path: string): Promise<boolean> {
  if (/\.(ndjson|jsonl)$/i.test(path)) return true;
  if (!isDbnPath(path)) return false;
  const reader = await DbnFileReader.open(path);
  try {
    const schema = reader.metadata?.schema ?? '';
    return !schema.startsWith('ohlcv');
  } finally {
    await reader.close();
  }
}

function fixed(text: string | undefined): Fixed | undefined {
  return text === undefined ? undefined : parseFixed(text);
}

/** Every quote of the data, in its order, and by symbol. */
async function readQuotes(path: string): Promise<{ all: Quote[]; bySymbol: Map<string, Quote[]> }> {
  const all: Quote[] = [];
  const bySymbol = new Map<string, Quote[]>();
  const add = (q: Quote): void => {
    all.push(q);
    let list = bySymbol.get(q.symbol);
    if (!list) bySymbol.set(q.symbol, (list = []));
    list.push(q);
  };
  if (isDbnPath(path)) {
    const source = await DatabentoFileSource.open(path);
    try {
      for await (const e of source)
        add({ symbol: e.symbol, ts: Date.parse(e.ts), bid: fixed(e.bid), ask: fixed(e.ask), last: fixed(e.last) });
    } finally {
      await source.close();
    }
  } else {
    for await (const { event } of readEventLog(path, newReadStats())) {
      if (event.type === 'quote')
        add({ symbol: event.symbol, ts: event.t, bid: event.bid, ask: event.ask, last: event.last });
    }
  }
  if (all.length === 0) throw new AppError('ERR_BACKTEST_INPUT', `${path}: no quotes in the data`);
  return { all, bySymbol };
}

export async function loadQuotes(path: string, wanted?: string): Promise<DataQuotes> {
  const { bySymbol } = await readQuotes(path);
  const { symbol, data } = pickSymbol(bySymbol, wanted, {
    several: (names) =>
      `${path}: quotes of several symbols (${names.join(', ')}): pick one with --symbol (several: --symbol A,B or '*')`,
    missing: (w, names) => `${path}: no quotes for --symbol ${w} (the data has ${names.join(', ')})`,
  });
  return { symbol, quotes: data };
}

/** Whether `--symbol` names several instruments of a quote file (`A,B`, or `*` for all). */
export function severalSymbols(flag: string | undefined): boolean {
  return flag !== undefined && (flag === '*' || flag.includes(','));
}

/** The quotes of several symbols (`*`: every symbol of the data), in the data's order. */
export async function loadQuotesOf(path: string, flag: string): Promise<{ symbols: string[]; quotes: Quote[] }> {
  const { all, bySymbol } = await readQuotes(path);
  const names = [...bySymbol.keys()].sort();
  if (flag === '*') return { symbols: names, quotes: all };
  const symbols = flag.split(',').map((w) => {
    const hit = names.find((n) => n === w.trim()) ?? names.find((n) => n.toUpperCase() === w.trim().toUpperCase());
    if (hit === undefined)
      throw new AppError(
        'ERR_BACKTEST_INPUT',
        `${path}: no quotes for --symbol ${w.trim()} (the data has ${names.join(', ')})`,
      );
    return hit;
  });
  const wanted = new Set(symbols);
  return { symbols, quotes: all.filter((q) => wanted.has(q.symbol)) };
}
