/**
 * Contract: every fixture of shared/data/dbn decodes to its independently produced oracle
 * (expected/<file>.jsonl and .metadata.json), record by record and field by field, through both
 * the one-shot decoder and the streaming file reader (with tiny chunks, so every record and the
 * header straddle chunk boundaries, and zstd frames are fed a byte at a time).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeDbn, readDbnFile, type DbnJsonRecord } from '../../src/adapters/databento/index.ts';
import { dbnPath, loadManifest, type ManifestEntry } from './dbn-paths.ts';

const manifest = loadManifest();

function expectedRecords(entry: ManifestEntry): unknown[] {
  const text = readFileSync(dbnPath(entry.expected), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}

/** Compares records field by field so a failure names the record index and the field. */
function assertRecordsEqual(file: string, got: DbnJsonRecord[], want: unknown[]): void {
  assert.equal(got.length, want.length, `${file}: record count`);
  for (let i = 0; i < want.length; i++) {
    const g = JSON.parse(JSON.stringify(got[i])) as Record<string, unknown>;
    const w = want[i] as Record<string, unknown>;
    assert.deepEqual(Object.keys(g).sort(), Object.keys(w).sort(), `${file} record ${i}: field names`);
    for (const key of Object.keys(w)) assert.deepEqual(g[key], w[key], `${file} record ${i}: field ${key}`);
  }
}

describe('DBN fixtures decode to the expected oracles', () => {
  it('the manifest lists all 107 fixtures', () => {
    assert.equal(manifest.length, 107);
  });

  for (const entry of manifest) {
    describe(entry.file, () => {
      const want = expectedRecords(entry);

      it('one-shot decode matches every record and the metadata', () => {
        const { metadata, records } = decodeDbn(readFileSync(dbnPath(entry.file)), {
          fragment: entry.fragment,
          version: entry.dbn_version,
        });
        assert.equal(records.length, entry.record_count);
        assertRecordsEqual(entry.file, records, want);
        assert.deepEqual(
          [...new Set(records.map((r) => r.hd.rtype))].sort((a, b) => a - b),
          [...entry.rtypes].sort((a, b) => a - b),
        );
        if (entry.metadata) {
          const expectedMeta = JSON.parse(readFileSync(dbnPath(entry.metadata), 'utf8')) as unknown;
          assert.deepEqual(JSON.parse(JSON.stringify(metadata)), expectedMeta);
          assert.equal(metadata?.version, entry.dbn_version);
        } else {
          assert.equal(metadata, null);
        }
      });

      it('streaming reader (3-byte chunks, fragment version inferred) matches too', async () => {
        const { metadata, records } = await readDbnFile(dbnPath(entry.file), { chunkSize: 3 });
        assertRecordsEqual(entry.file, records, want);
        if (entry.metadata) assert.equal(metadata?.dataset, entry.dataset);
        else assert.equal(metadata, null);
      });
    });
  }
});
