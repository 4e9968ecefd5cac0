/**
 * Truncated and corrupt input: every failure is an AppError (ERR_DBN_CORRUPT / ERR_DBN_UNSUPPORTED)
 * whose message names the byte offset where decoding stopped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../../errors.ts';
import { DbnStreamDecoder, decodeDbn, readDbnFile, type DbnJsonRecord } from './index.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/dbn');
const fixture = (name: string): Buffer => readFileSync(path.join(DATA, name));
// test_data.mbo.dbn: v2, 353-byte header, two 56-byte MBO records (README "Metadata header").
const MBO_V2 = fixture('test_data.mbo.dbn');
const HEADER_LEN = 353;

function assertDbnError(fn: () => unknown, code: string, offset: number | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isAppError(err), `expected AppError, got ${String(err)}`);
    assert.equal(err.code, code);
    const want = typeof offset === 'number' ? new RegExp(`byte offset ${offset}\\b`) : offset;
    assert.match(err.message, want);
    return true;
  });
}

describe('DBN decoder errors', () => {
  it('the intact fixture decodes (baseline for the cuts below)', () => {
    assert.equal(decodeDbn(MBO_V2).records.length, 2);
  });

  it('a file cut inside the metadata header is corrupt at the cut', () => {
    assertDbnError(() => decodeDbn(MBO_V2.subarray(0, 200)), 'ERR_DBN_CORRUPT', 200);
    assertDbnError(() => decodeDbn(MBO_V2.subarray(0, 5)), 'ERR_DBN_CORRUPT', 5);
  });

  it('a file cut inside a record names the offset where that record starts', () => {
    assertDbnError(() => decodeDbn(MBO_V2.subarray(0, HEADER_LEN + 56 + 30)), 'ERR_DBN_CORRUPT', HEADER_LEN + 56);
    assertDbnError(() => decodeDbn(MBO_V2.subarray(0, HEADER_LEN + 3)), 'ERR_DBN_CORRUPT', HEADER_LEN);
  });

  it('records before the cut are still delivered by the incremental decoder', () => {
    const decoder = new DbnStreamDecoder();
    const out: DbnJsonRecord[] = [];
    decoder.push(MBO_V2.subarray(0, HEADER_LEN + 56 + 30), out);
    assert.equal(out.length, 1);
    assertDbnError(() => decoder.finish(), 'ERR_DBN_CORRUPT', HEADER_LEN + 56);
  });

  it('bytes without the DBN magic are rejected at offset 0', () => {
    const bad = Buffer.from(MBO_V2);
    bad.write('XYZ', 0, 'latin1');
    assertDbnError(() => decodeDbn(bad), 'ERR_DBN_CORRUPT', 0);
  });

  it('an unknown DBN version is unsupported, naming the version byte', () => {
    const bad = Buffer.from(MBO_V2);
    bad[3] = 9;
    assertDbnError(() => decodeDbn(bad), 'ERR_DBN_UNSUPPORTED', 3);
  });

  it('an unknown record type is unsupported at its record offset', () => {
    const bad = Buffer.from(MBO_V2);
    bad[HEADER_LEN + 56 + 1] = 0x7e;
    assertDbnError(() => decodeDbn(bad), 'ERR_DBN_UNSUPPORTED', HEADER_LEN + 56);
  });

  it('a record length of zero is corrupt (it would never advance)', () => {
    const bad = Buffer.from(MBO_V2);
    bad[HEADER_LEN] = 0;
    assertDbnError(() => decodeDbn(bad), 'ERR_DBN_CORRUPT', HEADER_LEN);
  });

  it('a record shorter than its layout is corrupt', () => {
    const bad = Buffer.from(MBO_V2);
    bad[HEADER_LEN] = 12; // 48 bytes for a 56-byte MBO record
    assertDbnError(() => decodeDbn(bad), 'ERR_DBN_CORRUPT', HEADER_LEN);
  });

  it('a metadata symbol count running past the header end is corrupt', () => {
    const bad = Buffer.from(MBO_V2);
    bad.writeUInt32LE(1_000_000, 112); // `symbols` count right after schema_definition_length
    assertDbnError(() => decodeDbn(bad), 'ERR_DBN_CORRUPT', 112);
  });

  it('a fragment decoded with the wrong version is corrupt, not misread', () => {
    const v1 = fixture('test_data.definition.v1.dbn.frag');
    assertDbnError(() => decodeDbn(v1, { fragment: true, version: 3 }), 'ERR_DBN_CORRUPT', 0);
    assert.equal(decodeDbn(v1, { fragment: true, version: 1 }).records.length, 2);
  });

  it('truncated zstd input is corrupt', () => {
    const zst = fixture('test_data.mbo.v2.dbn.zst');
    assertDbnError(() => decodeDbn(zst.subarray(0, zst.length - 20)), 'ERR_DBN_CORRUPT', /offset \d+/);
  });

  it('the streaming reader rejects a truncated file with the same error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dbn-'));
    const file = path.join(dir, 'cut.dbn');
    writeFileSync(file, MBO_V2.subarray(0, HEADER_LEN + 56 + 30));
    await assert.rejects(readDbnFile(file, { chunkSize: 64 }), (err: unknown) => {
      assert.ok(isAppError(err));
      assert.equal(err.code, 'ERR_DBN_CORRUPT');
      assert.match(err.message, new RegExp(`cut\\.dbn: truncated record.* byte offset ${HEADER_LEN + 56}`));
      return true;
    });
  });

  it('ts_out files: the length counts the extra 8 bytes (as dbn WithTsOut), emitted last as "ts_out"', () => {
    const header = Buffer.from(MBO_V2.subarray(0, HEADER_LEN));
    header[52] = 1; // v2 ts_out flag
    const recs = [0, 1].map((i) => {
      const rec = Buffer.alloc(64);
      MBO_V2.copy(rec, 0, HEADER_LEN + i * 56, HEADER_LEN + (i + 1) * 56);
      rec[0] = 16; // 64 bytes
      rec.writeBigUInt64LE(1609160400001000000n + BigInt(i), 56);
      return rec;
    });
    const plain = decodeDbn(MBO_V2).records;
    const withTsOut = decodeDbn(Buffer.concat([header, ...recs]));
    assert.equal(withTsOut.metadata?.ts_out, true);
    assert.deepEqual(
      withTsOut.records,
      plain.map((r, i) => ({ ...r, ts_out: String(1609160400001000000n + BigInt(i)) })),
    );
    assert.deepEqual(Object.keys(withTsOut.records[0] ?? {}).at(-1), 'ts_out');
  });

  it('a missing file is ERR_FILE_NOT_FOUND', async () => {
    await assert.rejects(
      readDbnFile(path.join(tmpdir(), 'no-such-file.dbn')),
      (err: unknown) => isAppError(err) && err.code === 'ERR_FILE_NOT_FOUND',
    );
  });
});
