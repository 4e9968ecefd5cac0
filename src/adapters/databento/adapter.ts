/**
 * The databento market-data adapter: a DBN file as a stream of riskgate quote events
 * (DESIGN §4 `quote`), for `riskgate replay file.dbn[.zst]` and backtests. Reading is streamed
 * (constant memory); records that are not quotes are consumed for symbology and skipped.
 */
import { DbnQuoteMapper, type QuoteEvent } from './mapper.ts';
import type { DbnMetadata } from './metadata.ts';
import { DbnFileReader, type DbnReadOptions } from './reader.ts';

export class DatabentoFileSource implements AsyncIterable<QuoteEvent> {
  private constructor(
    private readonly reader: DbnFileReader,
    private readonly mapper: DbnQuoteMapper,
  ) {}

  static async open(path: string, options: DbnReadOptions = {}): Promise<DatabentoFileSource> {
    const reader = await DbnFileReader.open(path, options);
    return new DatabentoFileSource(reader, new DbnQuoteMapper(reader.metadata));
  }

  get metadata(): DbnMetadata | null {
    return this.reader.metadata;
  }

  /** Quote events in file order (DBN files are sorted by index time, `ts_recv`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<QuoteEvent> {
    for await (const batch of this.reader.batches()) {
      for (const record of batch) {
        const quote = this.mapper.map(record);
        if (quote) yield quote;
      }
    }
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
