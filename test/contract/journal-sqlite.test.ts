import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isAppError } from '../../src/errors.ts';
import { openSqliteJournal } from '../../src/store/sqlite/journal.ts';
import { journalContract } from './journal-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'riskgate-journal-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `j${++n}.db`);

journalContract('sqlite', async () => {
  const path = freshPath();
  let journal = openSqliteJournal(path);
  return {
    journal,
    reopen: async () => {
      journal.close();
      journal = openSqliteJournal(path);
      return journal;
    },
  };
});

const entry = (i: number) => ({
  ts: new Date(Date.UTC(2026, 2, 2, 14, 30, 0, i)).toISOString(),
  kind: 'event',
  body: { n: i },
});

describe('sqlite journal', () => {
  it('runs in WAL mode with the chosen synchronous level', () => {
    const path = freshPath();
    openSqliteJournal(path, { synchronous: 'NORMAL' }).close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  it('auto-flushes every N records', () => {
    const path = freshPath();
    const journal = openSqliteJournal(path, { autoFlushEvery: 4 });
    for (let i = 0; i < 10; i++) journal.append(entry(i));
    assert.equal(journal.head().seq, 8);
    assert.equal(journal.pendingCount, 2);
    const db = new Database(path, { readonly: true });
    assert.equal(
      db.prepare('SELECT count(*) FROM journal').pluck().get(),
      8,
      'another connection sees the 8 flushed records',
    );
    db.close();
    journal.close();
  });

  it('loses unflushed records in a crash but never flushed ones (flush is the durability point)', () => {
    const path = freshPath();
    const journal = openSqliteJournal(path, { autoFlushEvery: 0 });
    journal.append(entry(0));
    journal.flush();
    journal.append(entry(1));
    // Simulate the process dying: read from another connection without closing.
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare('SELECT max(seq) FROM journal').pluck().get(), 1);
    db.close();
    journal.close();
  });

  it('refuses a file that is not a journal', () => {
    const path = freshPath();
    const db = new Database(path);
    db.exec('CREATE TABLE orders (id TEXT)');
    db.close();
    assert.throws(
      () => openSqliteJournal(path),
      (e: unknown) => isAppError(e) && e.code === 'ERR_JOURNAL_NOT_A_JOURNAL',
    );
    const text = freshPath();
    writeFileSync(text, 'not a database at all, just text\n'.repeat(200));
    assert.throws(
      () => openSqliteJournal(text),
      (e: unknown) => isAppError(e) && (e.code === 'ERR_JOURNAL_IO' || e.code === 'ERR_JOURNAL_NOT_A_JOURNAL'),
    );
  });

  it('refuses to append to a journal whose tail was cut off', () => {
    const path = freshPath();
    const journal = openSqliteJournal(path);
    for (let i = 0; i < 5; i++) journal.append(entry(i));
    journal.close();
    const db = new Database(path);
    db.prepare('DELETE FROM journal WHERE seq = 5').run();
    db.close();
    assert.throws(
      () => openSqliteJournal(path),
      (e: unknown) => isAppError(e) && e.code === 'ERR_JOURNAL_TAMPERED',
    );
  });

  it('reports a failed write as ERR_JOURNAL_IO and keeps the records pending for a retry', () => {
    const path = freshPath();
    const journal = openSqliteJournal(path, { autoFlushEvery: 0 });
    journal.append(entry(0));
    journal.flush();
    journal.append(entry(1));
    // A second writer steals seq 2 and holds it: our flush collides on the primary key.
    const other = new Database(path);
    other.prepare("INSERT INTO journal VALUES (2, '2026-03-02T14:30:00.001Z', 'event', NULL, '{}', 'x', 'y')").run();
    assert.throws(
      () => journal.flush(),
      (e: unknown) => isAppError(e) && e.code === 'ERR_JOURNAL_IO',
    );
    assert.equal(journal.pendingCount, 1);
    other.prepare('DELETE FROM journal WHERE seq = 2').run();
    other.close();
    assert.equal(journal.flush(), 1);
    assert.equal(journal.head().seq, 2);
    journal.close();
  });

  it('a failed auto-flush fails that append alone: its record is not kept, earlier ones stay pending', () => {
    const path = freshPath();
    const journal = openSqliteJournal(path, { autoFlushEvery: 3 });
    journal.append(entry(0));
    journal.append(entry(1));
    journal.append(entry(2)); // auto-flush: durable
    journal.append(entry(3));
    journal.append(entry(4));
    const other = new Database(path);
    other.prepare("INSERT INTO journal VALUES (4, '2026-03-02T14:30:00.003Z', 'event', NULL, '{}', 'x', 'y')").run();
    assert.throws(
      () => journal.append(entry(5)),
      (e: unknown) => isAppError(e) && e.code === 'ERR_JOURNAL_IO',
    );
    assert.equal(journal.pendingCount, 2);
    other.prepare('DELETE FROM journal WHERE seq = 4').run();
    other.close();
    assert.equal(journal.append(entry(5)).seq, 6, 'the retried record takes the seq the failed one had');
    assert.equal(journal.head().seq, 6);
    journal.close();
  });
});
