/**
 * A small local instrument table for the paper broker (DESIGN §2 built-ins), until
 * src/domain/instrument.ts lands; same shape `{symbol, tickSize, tickValue, currency}`.
 * Lookup is by root so contract months (`MNQZ6`, `CON.F.US.MNQ.Z25`) find their instrument.
 */
import { div, parseFixed, type Fixed } from '../../domain/money.ts';
import type { Instrument } from '../broker.ts';

const BUILT_INS: ReadonlyArray<readonly [string, string, string]> = [
  ['MNQ', '0.25', '0.50'],
  ['NQ', '0.25', '5.00'],
  ['MES', '0.25', '1.25'],
  ['ES', '0.25', '12.50'],
  ['MYM', '1', '0.50'],
  ['YM', '1', '5.00'],
  ['M2K', '0.1', '0.50'],
  ['RTY', '0.1', '5.00'],
  ['CL', '0.01', '10.00'],
  ['MCL', '0.01', '1.00'],
  ['GC', '0.1', '10.00'],
  ['MGC', '0.1', '1.00'],
];

export function makeInstrument(symbol: string, tickSize: string, tickValue: string, currency = 'USD'): Instrument {
  return { symbol, tickSize: parseFixed(tickSize), tickValue: parseFixed(tickValue), currency };
}

export const BUILT_IN_INSTRUMENTS: readonly Instrument[] = BUILT_INS.map(([s, ts, tv]) => makeInstrument(s, ts, tv));

/** Point value: money per 1.0 of price per contract. */
export function pointValue(instrument: Instrument): Fixed {
  return div(instrument.tickValue, instrument.tickSize);
}

/** Root of a futures symbol: `CON.F.US.MNQ.Z25` → MNQ, `MNQZ6` / `MNQZ2026` → MNQ, `ES` → ES. */
export function symbolRoot(symbol: string): string {
  const s = symbol.toUpperCase();
  const projectX = /^CON\.F\.[A-Z]+\.([A-Z0-9]+)\.[A-Z]\d+$/.exec(s);
  if (projectX?.[1]) return projectX[1];
  const month = /^([A-Z0-9]+?)[FGHJKMNQUVXZ]\d{1,4}$/.exec(s);
  if (month?.[1]) return month[1];
  return s;
}

export class InstrumentTable {
  private readonly bySymbol = new Map<string, Instrument>();

  constructor(instruments: readonly Instrument[] = BUILT_IN_INSTRUMENTS) {
    for (const i of instruments) this.add(i);
  }

  /** Adds or overrides (config instruments override built-ins). */
  add(instrument: Instrument): void {
    this.bySymbol.set(instrument.symbol.toUpperCase(), instrument);
  }

  /** Exact symbol first, then its root; undefined when unknown. */
  find(symbol: string): Instrument | undefined {
    const upper = symbol.toUpperCase();
    return this.bySymbol.get(upper) ?? this.bySymbol.get(symbolRoot(upper));
  }
}
