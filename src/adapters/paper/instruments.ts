/**
 * The paper broker's instrument lookups: the domain table (DESIGN §2 built-ins, root lookup for
 * contract months such as `MNQZ6` or `CON.F.US.MNQ.Z25`), case-insensitive as venues are.
 */
import { div, type Fixed } from '../../domain/money.ts';
import { builtInInstruments, instrumentFromSpec, InstrumentTable as DomainInstrumentTable, rootOf } from '../../domain/instrument.ts';
import type { Instrument } from '../broker.ts';

export function makeInstrument(symbol: string, tickSize: string, tickValue: string, currency = 'USD'): Instrument {
  return instrumentFromSpec({ symbol, tickSize, tickValue, currency });
}

export const BUILT_IN_INSTRUMENTS: readonly Instrument[] = builtInInstruments();

/** Point value: money per 1.0 of price per contract. */
export function pointValue(instrument: Instrument): Fixed {
  return div(instrument.tickValue, instrument.tickSize);
}

/** Root of a futures symbol: `CON.F.US.MNQ.Z25` → MNQ, `MNQZ6` / `MNQZ2026` → MNQ, `ES` → ES. */
export function symbolRoot(symbol: string): string {
  return rootOf(symbol.toUpperCase(), () => false);
}

export class InstrumentTable extends DomainInstrumentTable {
  constructor(instruments: readonly Instrument[] = BUILT_IN_INSTRUMENTS) {
    super(instruments.map((i) => ({ ...i, symbol: i.symbol.toUpperCase() })));
  }

  /** Adds or overrides (config instruments override built-ins). */
  add(instrument: Instrument): void {
    this.set({ ...instrument, symbol: instrument.symbol.toUpperCase() });
  }

  /** Exact symbol first, then its root; undefined when unknown. */
  override find(symbol: string): Instrument | undefined {
    return super.find(symbol.toUpperCase());
  }
}
