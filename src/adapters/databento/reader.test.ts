/** The file reader streams: bounded batches per disk chunk, whatever the file size. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbnFileReader, decodeDbn } from './index.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/dbn');

describe('DbnFileReader streaming', () => {
  it('a 25,000-record file arrives in bounded batches, in order, nothing lost', async () => {
    const fixture = readFileSync(path.join(DATA, 'test_data.mbo.dbn'));
    const header = fixture.subarray(0, 353);
    const n = 25_000;
    const body = Buffer.alloc(n * 56);
    for (let i = 0; i < n; i++) {
      fixture.copy(body, i * 56, 353, 353 + 56);
      body.writeUInt32LE(i, i * 56 + 52); // sequence = index
    }
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dbn-stream-')), 'big.mbo.dbn');
    writeFileSync(file, Buffer.concat([header, body]));
    const chunkSize = 64 << 10;
    const reader = await DbnFileReader.open(file, { chunkSize });
    const sizes: number[] = [];
    let expected = 0;
    for await (const batch of reader.batches()) {
      sizes.push(batch.length);
      for (const r of batch) assert.equal(r.sequence, expected++);
    }
    assert.equal(expected, n);
    assert.ok(sizes.length >= Math.floor((n * 56) / chunkSize), `${sizes.length} batches`);
    assert.ok(Math.max(...sizes) <= Math.ceil(chunkSize / 56) + 1, 'a batch never exceeds one chunk of records');
  });

  it('multi-frame zstd is decoded across frame boundaries in several batches', async () => {
    const file = path.join(DATA, 'multi-frame.definition.v1.dbn.frag.zst');
    const reader = await DbnFileReader.open(file, { chunkSize: 200 });
    const batches: number[] = [];
    const all = [];
    for await (const batch of reader.batches()) {
      batches.push(batch.length);
      all.push(...batch);
    }
    assert.ok(batches.length > 1);
    assert.deepEqual(all, decodeDbn(readFileSync(file), { fragment: true }).records);
    assert.equal(all.length, 8);
  });
});
