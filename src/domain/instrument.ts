/**
 * Instruments (DESIGN §2): tick size, tick value, currency; point value = tickValue / tickSize.
 * Rules and the instrument table are keyed by root: `MNQ` covers `MNQZ6`, `MNQZ2026` and the
 * ProjectX contract id `CON.F.US.MNQ.Z25`.
 */
import { parseFixed, type Fixed } from './money.ts';

export interface Instrument {
  readonly symbol: string;
  readonly tickSize: Fixed;
  readonly tickValue: Fixed;
  readonly currency: string;
}

export interface InstrumentSpec {
  symbol: string;
  tickSize: string;
  tickValue: string;
  currency?: string;
}

const BUILT_IN: readonly [string, string, string][] = [
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

export function instrumentFromSpec(spec: InstrumentSpec): Instrument {
  return {
    symbol: spec.symbol,
    tickSize: parseFixed(spec.tickSize),
    tickValue: parseFixed(spec.tickValue),
    currency: spec.currency ?? 'USD',
  };
}

export function builtInInstruments(): Instrument[] {
  return BUILT_IN.map(([symbol, tickSize, tickValue]) => instrumentFromSpec({ symbol, tickSize, tickValue }));
}

const PROJECTX_CONTRACT = /^CON\.F\.[A-Z]+\.([A-Z0-9]+)\.[FGHJKMNQUVXZ]\d{1,4}$/i;
const MONTH_SUFFIX = /^([A-Z0-9]+?)[FGHJKMNQUVXZ]\d{1,4}$/i;

/**
 * Root of a symbol among `knownRoots`: the symbol itself when known, the root of a ProjectX
 * contract id, or the symbol without a futures month code + year. Unknown symbols return
 * themselves (callers decide whether that is an error).
 */
export function rootOf(symbol: string, isKnown: (root: string) => boolean): string {
  if (isKnown(symbol)) return symbol;
  const px = PROJECTX_CONTRACT.exec(symbol);
  if (px?.[1]) return px[1];
  const m = MONTH_SUFFIX.exec(symbol);
  if (m?.[1] && isKnown(m[1])) return m[1];
  if (m?.[1]) return m[1];
  return symbol;
}

/** The instrument table: built-ins overridden/extended by config, looked up by root (cached). */
export class InstrumentTable {
  private readonly byRoot = new Map<string, Instrument>();
  private readonly rootCache = new Map<string, string>();

  constructor(instruments: Iterable<Instrument> = builtInInstruments()) {
    for (const i of instruments) this.byRoot.set(i.symbol, i);
  }

  static withOverrides(overrides: readonly InstrumentSpec[] = []): InstrumentTable {
    const t = new InstrumentTable();
    for (const o of overrides) t.set(instrumentFromSpec(o));
    return t;
  }

  set(instrument: Instrument): void {
    this.byRoot.set(instrument.symbol, instrument);
    this.rootCache.clear();
  }

  root(symbol: string): string {
    let r = this.rootCache.get(symbol);
    if (r === undefined) {
      r = rootOf(symbol, (s) => this.byRoot.has(s));
      this.rootCache.set(symbol, r);
    }
    return r;
  }

  find(symbol: string): Instrument | undefined {
    return this.byRoot.get(this.root(symbol));
  }

  all(): Instrument[] {
    return [...this.byRoot.values()];
  }
}
