/**
 * Databento adapter: DBN market-data files (v1/v2/v3, raw or zstd, with or without metadata
 * header) → records shaped like `dbn --json`, MBO order books, and riskgate quote events.
 */
export { DbnStreamDecoder, decodeDbn, type DbnDecodeOptions, type DecodedDbn } from './decoder.ts';
export { DbnFileReader, readDbnFile, looksLikeFragment, type DbnReadOptions } from './reader.ts';
export { decodeMetadata, type DbnMetadata, type SymbolMapping, type MappingInterval } from './metadata.ts';
export type { DbnJsonRecord, RecordHeaderJson } from './layout.ts';
export * from './schemas.ts';
export { DbnQuoteMapper, dbnPriceToDecimal, type QuoteEvent } from './mapper.ts';
export { InstrumentSymbols, indexTs, utcDateOf } from './symbology.ts';
export {
  OrderBook,
  MarketBooks,
  mboUpdateOf,
  type BookOrder,
  type PriceLevel,
  type MboUpdate,
  type BookSide,
} from './book.ts';
export { DatabentoFileSource } from './adapter.ts';
