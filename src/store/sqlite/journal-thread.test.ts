import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteJournal } from './journal.ts';
import { openThreadedSqliteJournal } from './journal-thread.ts';
import type { JournalEntry } from '../journal.ts';

function entries(n: number): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (let i = 0; i < n; i++) {
    const ts = new Date(Date.UTC(2026, 2, 2, 14, 0, 0, i)).toISOString();
    if (i % 2 === 0) out.push({ ts, kind: 'decision', account: 'A1', body: { rule: 'RULE-003', n: i, text: 'é 😀' } });
    else
      out.push({ ts, kind: 'event', body: { type: 'quote' }, bodyJson: `{"ts":"${ts}","type":"quote","last":"${i}"}` });
  }
  return out;
}

test('threaded SQLite journal: same rows and head as SqliteJournal; flush resolves with the committed head', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-jthread-'));
  try {
    const all = entries(5000);
    const plain = openSqliteJournal(path.join(dir, 'a.db'), { autoFlushEvery: 700 });
    for (const e of all) plain.append(e);
    plain.flush();
    const expected = plain.head();
    const rows = [...plain.iterate()];
    plain.close();

    const file = path.join(dir, 'b.db');
    const threaded = await openThreadedSqliteJournal(file, { autoFlushEvery: 700 });
    for (const e of all.slice(0, 3000)) threaded.append(e);
    const mid = await threaded.flush();
    assert.equal(mid.seq, 3000);
    assert.deepEqual(threaded.head(), mid);
    for (const e of all.slice(3000)) threaded.append(e);
    assert.deepEqual(await threaded.flush(), expected);
    await threaded.close();

    const reopened = openSqliteJournal(file);
    assert.deepEqual(reopened.head(), expected);
    assert.deepEqual(
      [...reopened.iterate()].map((r) => [r.seq, r.ts, r.kind, r.account, JSON.stringify(r.body), r.prevHash, r.hash]),
      rows.map((r) => [r.seq, r.ts, r.kind, r.account, JSON.stringify(r.body), r.prevHash, r.hash]),
    );
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('threaded SQLite journal: a record the journal refuses fails the flush with its code, nothing after it is written', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-jthread-'));
  try {
    const file = path.join(dir, 'c.db');
    const j = await openThreadedSqliteJournal(file, { autoFlushEvery: 0 });
    j.append({ ts: '2026-03-02T14:00:01.000Z', kind: 'event', body: { a: 1 } });
    await j.flush();
    j.append({ ts: '2026-03-02T14:00:00.000Z', kind: 'event', body: { a: 2 } }); // earlier: refused
    j.append({ ts: '2026-03-02T14:00:02.000Z', kind: 'event', body: { a: 3 } });
    await assert.rejects(j.flush(), (err: { code?: string }) => err.code === 'ERR_JOURNAL_OUT_OF_ORDER');
    assert.throws(
      () => j.append({ ts: '2026-03-02T14:00:03.000Z', kind: 'event', body: {} }),
      (err: { code?: string }) => err.code === 'ERR_JOURNAL_OUT_OF_ORDER',
    );
    await j.close();
    const reopened = openSqliteJournal(file);
    assert.equal(reopened.head().seq, 1);
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('threaded SQLite journal: event lines given by their place in a chunk are stored and hashed as the same records', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-jthread-'));
  try {
    const plain = openSqliteJournal(path.join(dir, 'a.db'));
    const threaded = await openThreadedSqliteJournal(path.join(dir, 'b.db'));
    let t = Date.UTC(2026, 2, 2, 14, 0, 0, 0);
    const accounts = [undefined, 'A1', 'B "2"'];
    for (const size of [2, 3000, 1, 2500]) {
      const lines = Array.from({ length: size }, (_, i) => `{"i":${i},"s":"é ${size}"}`);
      const chunk = lines.join('\n');
      let start = 0;
      for (let i = 0; i < size; i++) {
        const end = start + lines[i]!.length;
        if (i % 4 === 0) t += 1;
        const account = accounts[i % 3];
        plain.append({
          ts: new Date(t).toISOString(),
          kind: 'event',
          ...(account === undefined ? {} : { account }),
          body: null,
          bodyJson: chunk.slice(start, end),
        });
        threaded.appendEventText(t, account, chunk, start, end);
        if (i % 999 === 5) {
          const d = { ts: new Date(t).toISOString(), kind: 'decision', account: 'A1', body: { i } };
          plain.append(d);
          threaded.append(d);
        }
        start = end + 1;
      }
    }
    plain.flush();
    assert.deepEqual(await threaded.flush(), plain.head());
    const rows = (j: ReturnType<typeof openSqliteJournal>) =>
      [...j.iterate()].map((r) => [r.seq, r.ts, r.kind, r.account, JSON.stringify(r.body), r.hash]);
    await threaded.close();
    const reopened = openSqliteJournal(path.join(dir, 'b.db'));
    assert.deepEqual(rows(reopened), rows(plain));
    reopened.close();
    plain.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
