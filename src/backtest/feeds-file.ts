/**
 * The bars of a multi-instrument backtest (`--data` with several files or a directory): one
 * symbol per file, named as a single-file backtest names it (DBN: from the file's symbology;
 * CSV / JSON: the file name in upper case). A directory contributes its bar files (.csv, .json,
 * .dbn, .dbn.zst) in name order.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { AppError } from '../errors.ts';
import { loadBars } from './bars-file.ts';
import { isDbnPath, loadDbnBars } from './bars-dbn.ts';
import { isQuoteData } from './quotes-file.ts';
import type { Bar } from './types.ts';

const BAR_FILE = /\.(csv|json|dbn|dbn\.zst)$/i;

/** The files `--data` names: each file as given, each directory's bar files in name order. */
export function expandDataPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // Not there: the loader names it as a missing file.
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const files = readdirSync(p)
      .filter((f) => BAR_FILE.test(f))
      .sort()
      .map((f) => join(p, f));
    if (files.length === 0) throw new AppError('ERR_BACKTEST_INPUT', `--data ${p}: the directory holds no bar files`);
    out.push(...files);
  }
  return out;
}

export interface LoadedFeed {
  readonly path: string;
  readonly symbol: string;
  readonly bars: Bar[];
}

/** One symbol's bars per file; quote data is refused (several instruments run on bars). */
export async function loadFeeds(files: readonly string[]): Promise<LoadedFeed[]> {
  const feeds: LoadedFeed[] = [];
  for (const path of files) {
    if (await isQuoteData(path))
      throw new AppError(
        'ERR_BACKTEST_INPUT',
        `--data ${path}: several instruments run on bars; quote data is supported for one instrument only`,
      );
    if (isDbnPath(path)) {
      const b = await loadDbnBars(path, undefined);
      feeds.push({ path, symbol: b.symbol, bars: b.bars });
    } else {
      const name = basename(path).replace(/\.dbn\.zst$/i, '');
      feeds.push({ path, symbol: basename(name, extname(name)).toUpperCase(), bars: loadBars(path) });
    }
  }
  const seen = new Map<string, string>();
  for (const f of feeds) {
    const other = seen.get(f.symbol);
    if (other !== undefined)
      throw new AppError('ERR_BACKTEST_INPUT', `--data: ${other} and ${f.path} are both symbol ${f.symbol}`);
    seen.set(f.symbol, f.path);
  }
  return feeds;
}
