/**
 * instrument_id → symbol, per UTC date, from the metadata's symbol mappings (historical files) and
 * from in-stream SymbolMappingMsg / InstrumentDefMsg records (live-style files without mappings).
 * Like dbn's `TsSymbolMap`, a record is looked up by the UTC date of its index timestamp
 * (`ts_recv` when the record has one, else `ts_event`); intervals are [start_date, end_date).
 */
import type { DbnJsonRecord } from './layout.ts';
import type { DbnMetadata } from './metadata.ts';
import { RTYPE, UNDEF_TIMESTAMP, type DefinitionRecord, type SymbolMappingRecord } from './schemas.ts';

interface DatedSymbol {
  start: number;
  end: number;
  symbol: string;
}

const NS_PER_MS = 1_000_000n;

/** The timestamp dbn indexes and sorts a record by: ts_recv if present and defined, else ts_event. */
export function indexTs(record: DbnJsonRecord): string {
  const recv = record.ts_recv;
  return typeof recv === 'string' && recv !== UNDEF_TIMESTAMP ? recv : record.hd.ts_event;
}

/** ns since the epoch (decimal string) → ms since the epoch, truncated toward the past. */
export function nsToMs(ns: string): number {
  return Number(BigInt(ns) / NS_PER_MS);
}

/** ns since the epoch → YYYYMMDD of its UTC date. */
export function utcDateOf(ns: string): number {
  const d = new Date(nsToMs(ns));
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export class InstrumentSymbols {
  private readonly dated = new Map<number, DatedSymbol[]>();
  /** From live symbol-mapping and definition records: valid until replaced. */
  private readonly current = new Map<number, string>();

  constructor(metadata: DbnMetadata | null) {
    if (!metadata) return;
    // Mappings are keyed by the input symbol; the instrument id is whichever side is instrument_id.
    const idIsKey = metadata.stype_in === 'instrument_id';
    for (const mapping of metadata.mappings) {
      for (const interval of mapping.intervals) {
        if (interval.symbol === '') continue; // no instrument for that date range
        const id = Number(idIsKey ? mapping.raw_symbol : interval.symbol);
        const symbol = idIsKey ? interval.symbol : mapping.raw_symbol;
        if (!Number.isInteger(id)) continue;
        const list = this.dated.get(id) ?? [];
        list.push({ start: interval.start_date, end: interval.end_date, symbol });
        this.dated.set(id, list);
      }
    }
  }

  /** Learns symbols carried by the stream itself. Returns true if the record was one of those. */
  observe(record: DbnJsonRecord): boolean {
    const { rtype, instrument_id: id } = record.hd;
    if (rtype === RTYPE.SYMBOL_MAPPING) {
      const symbol = (record as SymbolMappingRecord).stype_out_symbol;
      if (symbol) this.current.set(id, symbol);
      return true;
    }
    if (rtype === RTYPE.INSTRUMENT_DEF) {
      const symbol = (record as DefinitionRecord).raw_symbol;
      if (symbol && !this.current.has(id)) this.current.set(id, symbol);
      return true;
    }
    return false;
  }

  /** The symbol of `instrumentId` on the UTC date of `tsNs`, or undefined if nothing maps it. */
  symbolAt(instrumentId: number, tsNs: string): string | undefined {
    const list = this.dated.get(instrumentId);
    if (list) {
      const date = utcDateOf(tsNs);
      for (const entry of list) if (date >= entry.start && date < entry.end) return entry.symbol;
    }
    return this.current.get(instrumentId);
  }
}
