/**
 * One instrument per backtest run: the only one in the data, or the one `--symbol` names (exact,
 * then case-insensitive, then any other match the data offers, e.g. a DBN instrument id).
 */
import { AppError } from '../errors.ts';

export interface SymbolChoiceErrors {
  /** The data holds several symbols and none was asked for. */
  several(names: readonly string[]): string;
  /** No symbol of the data matches `--symbol`. */
  missing(wanted: string, names: readonly string[]): string;
}

export function pickSymbol<T>(
  bySymbol: ReadonlyMap<string, T>,
  wanted: string | undefined,
  errors: SymbolChoiceErrors,
  alsoMatches?: (name: string, wanted: string) => boolean,
): { symbol: string; data: T } {
  const names = [...bySymbol.keys()].sort();
  let hit: string | undefined;
  if (wanted === undefined) {
    if (names.length > 1) throw new AppError('ERR_BACKTEST_INPUT', errors.several(names));
    hit = names[0];
  } else {
    hit =
      names.find((s) => s === wanted) ??
      names.find((s) => s.toUpperCase() === wanted.toUpperCase()) ??
      (alsoMatches ? names.find((s) => alsoMatches(s, wanted)) : undefined);
    if (hit === undefined) throw new AppError('ERR_BACKTEST_INPUT', errors.missing(wanted, names));
  }
  return { symbol: hit!, data: bySymbol.get(hit!)! };
}
