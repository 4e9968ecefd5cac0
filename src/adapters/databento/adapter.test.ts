/** The file source streams the same quotes the mapper gives on the one-shot decode. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabentoFileSource, DbnQuoteMapper, decodeDbn, type QuoteEvent } from './index.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/dbn');

describe('DatabentoFileSource', () => {
  for (const file of [
    'databento-python/GLBX.MDP3/test_data.tbbo.dbn.zst',
    'databento-python/LIVE/test_data.live.dbn.zst',
    'test_data.ohlcv-1m.dbn',
  ]) {
    it(`${file}: streamed quotes equal the mapped one-shot decode`, async () => {
      const full = path.join(DATA, file);
      const { metadata, records } = decodeDbn(readFileSync(full));
      const mapper = new DbnQuoteMapper(metadata);
      const want = records.map((r) => mapper.map(r)).filter((q): q is QuoteEvent => q !== null);
      const source = await DatabentoFileSource.open(full, { chunkSize: 5 });
      const got: QuoteEvent[] = [];
      for await (const q of source) got.push(q);
      assert.ok(want.length > 0);
      assert.deepEqual(got, want);
      assert.equal(source.metadata?.dataset, 'GLBX.MDP3');
    });
  }
});
