/** `riskgate journal verify <journal.db>` (DESIGN §5): output lines and exit codes 0 / 1 / 2. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteJournal } from '../../src/store/sqlite/journal.ts';
import { replayExampleEntries } from './journal-contract.ts';

const bin = fileURLToPath(new URL('../../bin/riskgate.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'riskgate-journal-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function riskgate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function journalOfRealEvents(name: string): { path: string; head: string; records: number } {
  const path = join(dir, name);
  const journal = openSqliteJournal(path);
  const entries = replayExampleEntries();
  for (const e of entries) journal.append(e);
  const head = journal.commit();
  journal.close();
  return { path, head: head.hash, records: entries.length };
}

describe('riskgate journal verify', () => {
  it('prints "ok: N records, head <hash>" and exits 0 for an intact journal', () => {
    const { path, head, records } = journalOfRealEvents('ok.db');
    const r = riskgate('journal', 'verify', path);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `ok: ${records} records, head ${head}\n`);
  });

  it('prints the first bad record and exits 1 when a record was changed', () => {
    const { path } = journalOfRealEvents('tampered.db');
    const db = new Database(path);
    // Waive the fee of the first fill that paid one: a silent P&L change.
    const seq = db.prepare(`SELECT min(seq) FROM journal WHERE body LIKE '%"fee":"0.74"%'`).pluck().get() as number;
    assert.ok(seq > 1, 'the real events hold a 0.74 fee');
    db.prepare(`UPDATE journal SET body = replace(body, '"fee":"0.74"', '"fee":"0.00"') WHERE seq = ?`).run(seq);
    db.close();
    const r = riskgate('journal', 'verify', path);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, `tampered: first bad record seq=${seq} (changed: hash mismatch: record content changed)\n`);
  });

  it('exits 1 naming the missing seq when a record was deleted', () => {
    const { path } = journalOfRealEvents('deleted.db');
    const db = new Database(path);
    db.prepare('DELETE FROM journal WHERE seq = 4').run();
    db.close();
    const r = riskgate('journal', 'verify', path);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^tampered: first bad record seq=4 \(deleted: /);
  });

  it('shows <journal.db> as a required argument in --help', () => {
    const help = riskgate('journal', 'verify', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: riskgate journal verify \[options\] <journal\.db>$/m);
  });

  it('exits 2 with a clear message for a missing file or a file that is not a journal', () => {
    const noArg = riskgate('journal', 'verify');
    assert.equal(noArg.status, 2);
    assert.match(noArg.stderr, /missing required argument 'journal\.db'/);

    const missing = riskgate('journal', 'verify', join(dir, 'nope.db'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /journal file not found: .*nope\.db/);
    assert.equal(missing.stdout, '');

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    const notDb = riskgate('journal', 'verify', text);
    assert.equal(notDb.status, 2);
    assert.match(notDb.stderr, /not a riskgate journal/);

    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const otherDb = riskgate('journal', 'verify', other);
    assert.equal(otherDb.status, 2);
    assert.match(otherDb.stderr, /not a riskgate journal/);
  });
});
