/**
 * Tamper evidence (DESIGN §5 `journal verify`): a journal is written through the API, then edited
 * behind its back with plain better-sqlite3, and verify must name the first bad record.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { recordHash } from '../../src/store/journal.ts';
import type { JournalEntry, JournalVerification } from '../../src/store/journal.ts';
import { openSqliteJournal } from '../../src/store/sqlite/journal.ts';
import { verifyJournal } from '../../src/store/sqlite/verify.ts';

const dir = mkdtempSync(join(tmpdir(), 'riskgate-journal-tamper-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const ACCOUNTS = ['A1', 'A2', undefined] as const;

function entry(i: number): JournalEntry {
  const ts = new Date(Date.UTC(2026, 2, 2, 14, 30, i)).toISOString();
  const account = ACCOUNTS[i % 3];
  const body = { type: 'fill', orderId: `o${i}`, qty: (i % 4) + 1, price: `${18000 + i}.25`, fee: '0.37' };
  return account === undefined
    ? { ts, kind: 'event', body }
    : { ts, kind: i % 2 ? 'decision' : 'event', account, body };
}

/** A journal of `count` records (plus a snapshot at seq 10) and its intact verification. */
function writeJournal(count = 20, entries?: readonly JournalEntry[]): { path: string; intact: JournalVerification } {
  const path = join(dir, `t${++n}.db`);
  const journal = openSqliteJournal(path, { autoFlushEvery: 7 });
  for (const e of entries ?? Array.from({ length: count }, (_, i) => entry(i))) journal.append(e);
  journal.flush();
  if (journal.head().seq >= 10) journal.writeSnapshot(10, { positions: { MNQ: { qty: 2, avgPrice: '18001.25' } } });
  journal.close();
  return { path, intact: verifyJournal(path) };
}

function tamper(path: string, edit: (db: Database.Database) => void): JournalVerification {
  const db = new Database(path);
  edit(db);
  db.close();
  return verifyJournal(path);
}

function firstBad(v: JournalVerification): { target: string; seq: number; reason: string } | 'ok' {
  return v.ok ? 'ok' : { target: v.target, seq: v.seq, reason: v.reason };
}

describe('journal verify names the first bad record', () => {
  it('given an untouched journal, then it verifies with the head hash', () => {
    const { path, intact } = writeJournal();
    assert.ok(intact.ok);
    const journal = openSqliteJournal(path);
    assert.deepEqual(intact.head, journal.head());
    assert.equal(intact.records, 20);
    journal.close();
  });

  it('(a) a changed body is "changed" at that seq', () => {
    const { path } = writeJournal();
    const v = tamper(path, (db) =>
      db.prepare("UPDATE journal SET body = replace(body, '18007.25', '18007.50') WHERE seq = 8").run(),
    );
    assert.deepEqual(firstBad(v), { target: 'record', seq: 8, reason: 'changed' });
  });

  it('(a) a changed ts, kind or account is "changed" too', () => {
    for (const sql of [
      "UPDATE journal SET account = 'A9' WHERE seq = 3",
      "UPDATE journal SET kind = 'admin' WHERE seq = 3",
      "UPDATE journal SET ts = '2026-03-02T14:30:02.500Z' WHERE seq = 3",
    ]) {
      const { path } = writeJournal();
      assert.deepEqual(
        firstBad(tamper(path, (db) => db.prepare(sql).run())),
        { target: 'record', seq: 3, reason: 'changed' },
        sql,
      );
    }
  });

  it('(b) a deleted row is "deleted" at the missing seq — in the middle, at the start and at the tail', () => {
    for (const seq of [12, 1, 20]) {
      const { path } = writeJournal();
      const v = tamper(path, (db) => db.prepare('DELETE FROM journal WHERE seq = ?').run(seq));
      assert.deepEqual(firstBad(v), { target: 'record', seq, reason: 'deleted' }, `delete ${seq}`);
    }
  });

  it('(b) rows deleted and the rest renumbered to close the gap are caught by the prevHash link', () => {
    const { path } = writeJournal();
    const v = tamper(path, (db) => {
      db.prepare('DELETE FROM journal WHERE seq = 6').run();
      db.prepare('UPDATE journal SET seq = seq - 1 WHERE seq > 6').run();
    });
    assert.deepEqual(firstBad(v), { target: 'record', seq: 6, reason: 'reordered' });
  });

  it('(c) two rows with swapped contents are "reordered" at the earlier seq', () => {
    const { path } = writeJournal();
    const v = tamper(path, (db) => {
      const cols = 'ts, kind, account, body, prev_hash, hash';
      const get = db.prepare(`SELECT ${cols} FROM journal WHERE seq = ?`);
      const put = db.prepare(
        'UPDATE journal SET ts = ?, kind = ?, account = ?, body = ?, prev_hash = ?, hash = ? WHERE seq = ?',
      );
      const a = Object.values(get.get(5) as object);
      const b = Object.values(get.get(9) as object);
      db.transaction(() => {
        put.run(...b, 5);
        put.run(...a, 9);
      })();
    });
    assert.deepEqual(firstBad(v), { target: 'record', seq: 5, reason: 'reordered' });
  });

  it('(c) two rows with swapped bodies only are "changed" at the earlier seq', () => {
    const { path } = writeJournal();
    const v = tamper(path, (db) => {
      const b4 = db.prepare('SELECT body FROM journal WHERE seq = 4').pluck().get();
      const b15 = db.prepare('SELECT body FROM journal WHERE seq = 15').pluck().get();
      db.prepare('UPDATE journal SET body = ? WHERE seq = 4').run(b15);
      db.prepare('UPDATE journal SET body = ? WHERE seq = 15').run(b4);
    });
    assert.deepEqual(firstBad(v), { target: 'record', seq: 4, reason: 'changed' });
  });

  it('(d) a changed hash is "changed" at that seq', () => {
    for (const seq of [7, 20]) {
      const { path } = writeJournal();
      const v = tamper(path, (db) =>
        db
          .prepare(
            "UPDATE journal SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(hash, 2) WHERE seq = ?",
          )
          .run(seq),
      );
      assert.deepEqual(firstBad(v), { target: 'record', seq, reason: 'changed' }, `hash of ${seq}`);
    }
  });

  it("a record appended behind the journal's back, even with a valid hash, is caught by the committed head", () => {
    const { path, intact } = writeJournal();
    assert.ok(intact.ok);
    const ts = '2026-03-02T14:31:00.000Z';
    const forged = recordHash(intact.head.hash, 21, ts, 'admin', undefined, '{}');
    const v = tamper(path, (db) =>
      db.prepare("INSERT INTO journal VALUES (21, ?, 'admin', NULL, '{}', ?, ?)").run(ts, intact.head.hash, forged),
    );
    assert.equal(v.ok, false);
    assert.equal(v.ok ? 0 : v.seq, 21);
    assert.match(v.ok ? '' : v.detail, /committed head/);
  });

  it('a changed snapshot state is reported as a bad snapshot', () => {
    const { path } = writeJournal();
    const v = tamper(path, (db) =>
      db.prepare("UPDATE snapshots SET state = replace(state, '18001.25', '18000.00') WHERE seq = 10").run(),
    );
    assert.deepEqual(firstBad(v), { target: 'snapshot', seq: 10, reason: 'changed' });
  });
});

describe('journal verify, property-based', () => {
  const arbEntries = fc
    .array(
      fc.record({
        gapMs: fc.nat({ max: 5000 }),
        kind: fc.constantFrom('event', 'decision', 'snapshot', 'admin', 'offset', 'x'),
        account: fc.option(fc.string({ minLength: 1, maxLength: 6 }), { nil: undefined }),
        body: fc.jsonValue({ maxDepth: 3 }),
      }),
      { minLength: 1, maxLength: 25 },
    )
    .map((items) => {
      let t = Date.UTC(2026, 2, 2, 14, 30);
      return items.map(({ gapMs, kind, account, body }): JournalEntry => {
        t += gapMs;
        const ts = new Date(t).toISOString();
        return account === undefined ? { ts, kind, body } : { ts, kind, account, body };
      });
    });

  it('any sequence of appends verifies ok, with the head the journal reports', () => {
    fc.assert(
      fc.property(arbEntries, (entries) => {
        const { path, intact } = writeJournal(0, entries);
        const journal = openSqliteJournal(path);
        const head = journal.head();
        journal.close();
        rmSync(path, { force: true });
        assert.ok(intact.ok, JSON.stringify(intact));
        assert.equal(intact.records, entries.length);
        assert.deepEqual(intact.head, head);
      }),
      { numRuns: 40 },
    );
  });

  it('any single-byte mutation of any stored body is detected at that record', () => {
    fc.assert(
      fc.property(
        arbEntries,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (entries, pickRecord, pickByte, xor) => {
          const { path } = writeJournal(0, entries);
          const seq = (pickRecord % entries.length) + 1;
          const v = tamper(path, (db) => {
            const bytes = db.prepare('SELECT CAST(body AS BLOB) FROM journal WHERE seq = ?').pluck().get(seq) as Buffer;
            const at = pickByte % bytes.length;
            bytes[at] = bytes[at]! ^ xor;
            db.prepare('UPDATE journal SET body = CAST(? AS TEXT) WHERE seq = ?').run(bytes, seq);
          });
          rmSync(path, { force: true });
          assert.deepEqual(firstBad(v), { target: 'record', seq, reason: 'changed' });
        },
      ),
      { numRuns: 60 },
    );
  });
});
