/**
 * Quotes for a quote-driven backtest (`backtest --data`): a DBN / DBN.zst file of a quote schema
 * (MBP-1, MBP-10, TBBO, BBO, CMBP-1, trades…, mapped as `replay` maps them) or an NDJSON event log
 * (DESIGN §4; its `quote` events, other events skipped). One instrument per run: the only one in
 * the data, or `--symbol`.
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

export async function loadQuotes(path: string, wanted?: string): Promise<DataQuotes> {
  const bySymbol = new Map<string, Quote[]>();
  const add = (q: Quote): void => {
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
  if (bySymbol.size === 0) throw new AppError('ERR_BACKTEST_INPUT', `${path}: no quotes in the data`);
  const { symbol, data } = pickSymbol(bySymbol, wanted, {
    several: (names) => `${path}: quotes of several symbols (${names.join(', ')}): pick one with --symbol`,
    missing: (w, names) => `${path}: no quotes for --symbol ${w} (the data has ${names.join(', ')})`,
  });
  return { symbol, quotes: data };
}
