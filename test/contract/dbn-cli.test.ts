/**
 * `riskgate dbn dump` end to end (DESIGN §5): the real CLI process prints exactly the bytes of the
 * expected `.jsonl` / `.metadata.json` oracles, and fails with exit 1 and a catalogued code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DBN_DATA, REPO_ROOT, dbnPath } from './dbn-paths.ts';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin/riskgate.mjs');

async function riskgate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: DBN_DATA, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('riskgate dbn dump', () => {
  const fixtures = [
    'test_data.mbp-10.dbn', // v2 raw
    'test_data.definition.v1.dbn.zst', // v1 zstd, v1 definition layout
    'databento-python/LIVE/test_data.live.dbn.zst', // v3, mixed rtypes
    'multi-frame.definition.v1.dbn.frag.zst', // fragment, several zstd frames
  ];
  for (const file of fixtures) {
    it(`prints ${file} byte-for-byte as expected/${file}.jsonl`, async () => {
      const { code, stdout, stderr } = await riskgate(['dbn', 'dump', file]);
      assert.equal(stderr, '');
      assert.equal(code, 0);
      assert.equal(stdout, readFileSync(dbnPath(`expected/${file}.jsonl`), 'utf8'));
    });
  }

  it('--metadata prints the header exactly as the expected .metadata.json', async () => {
    const file = 'test_data.mbp-1.v1.dbn.zst';
    const { code, stdout } = await riskgate(['dbn', 'dump', '--metadata', file]);
    assert.equal(code, 0);
    assert.equal(stdout, readFileSync(dbnPath(`expected/${file}.metadata.json`), 'utf8'));
  });

  it('a truncated file exits 1 with ERR_DBN_CORRUPT naming the offset', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dbn-cli-'));
    const file = path.join(dir, 'cut.dbn');
    writeFileSync(file, readFileSync(dbnPath('test_data.mbo.dbn')).subarray(0, 353 + 56 + 10));
    const { code, stdout, stderr } = await riskgate(['dbn', 'dump', file]);
    assert.equal(code, 1);
    assert.equal(stdout.split('\n').filter(Boolean).length, 1, 'the complete first record is still printed');
    assert.match(stderr, /ERR_DBN_CORRUPT: .*truncated record.*byte offset 409/);
  });

  it('a missing file exits 1 with ERR_FILE_NOT_FOUND', async () => {
    const { code, stderr } = await riskgate(['dbn', 'dump', 'no-such-file.dbn']);
    assert.equal(code, 1);
    assert.match(stderr, /ERR_FILE_NOT_FOUND/);
  });
});
