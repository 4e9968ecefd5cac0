import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newReadStats, readEventLog } from './reader.ts';

test('reader: lines across 1 MB chunk boundaries, multi-byte UTF-8, CRLF and blank lines read exactly as written', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-reader-'));
  try {
    const lines: string[] = [];
    let text = '';
    const t0 = Date.UTC(2026, 2, 2, 14, 0, 0);
    for (let i = 0; text.length < 2_600_000; i++) {
      // Accounts with 2-, 3- and 4-byte characters, so some chunk boundary splits a character.
      const line = JSON.stringify({
        ts: new Date(t0 + i).toISOString(),
        type: 'account',
        account: `Ä€😀-${i}`,
        canTrade: true,
      });
      lines.push(line);
      text += line + (i % 7 === 0 ? '\r\n' : '\n') + (i % 101 === 0 ? '\n' : '');
    }
    const file = path.join(dir, 'events.ndjson');
    const content = text.slice(0, -1); // the last line without its newline (or a trailing blank line)
    writeFileSync(file, content);
    const stats = newReadStats();
    const got: string[] = [];
    for await (const e of readEventLog(file, stats)) {
      got.push(e.text);
      assert.equal((e.raw as { account: string }).account, JSON.parse(e.text).account);
    }
    assert.equal(got.length, lines.length);
    assert.deepEqual(got, lines);
    assert.equal(stats.events, lines.length);
    const pieces = content.split('\n').length;
    assert.equal(stats.lines, content.endsWith('\n') ? pieces - 1 : pieces);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
