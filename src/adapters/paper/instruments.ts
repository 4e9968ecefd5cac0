/**
 * The paper venue's instrument table: the domain table (src/domain/instrument.ts: DESIGN §2
 * built-ins, root lookup for contract months such as `MNQZ6` or `CON.F.US.MNQ.Z25`), looked up
 * case-insensitively as venues do.
 */
import {
  builtInInstruments,
  InstrumentTable as DomainInstrumentTable,
  type Instrument,
} from '../../domain/instrument.ts';

export class InstrumentTable extends DomainInstrumentTable {
  constructor(instruments: readonly Instrument[] = builtInInstruments()) {
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
