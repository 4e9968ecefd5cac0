/**
 * Reads for reports: the first record at a time by binary search, the account's history before a
 * day, the last quote of its symbols before it, and the day's events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteJournal } from './journal.ts';
import { JournalDayReader } from './day-reads.ts';

function journal(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rg-day-reads-')), 'journal.db');
  const j = openSqliteJournal(file);
  const add = (ts: string, body: Record<string, unknown>, account?: string) =>
    j.append({ ts, kind: 'event', ...(account ? { account } : {}), body: { ts, ...body } });
  add('2026-03-02T10:00:00.000Z', { type: 'quote', symbol: 'MES', last: '5000' });
  add('2026-03-02T10:00:00.000Z', { type: 'quote', symbol: 'M_S', last: '1' });
  add(
    '2026-03-02T11:00:00.000Z',
    { type: 'fill', account: 'A1', symbol: 'MES', side: 'buy', qty: 1, price: '5001' },
    'A1',
  );
  add(
    '2026-03-02T11:00:00.000Z',
    { type: 'fill', account: 'A2', symbol: 'ES', side: 'buy', qty: 1, price: '5001' },
    'A2',
  );
  add('2026-03-02T12:00:00.000Z', { type: 'quote', symbol: 'MES', last: '5002' });
  j.append({ ts: '2026-03-02T12:30:00.000Z', kind: 'alert', account: 'A1', body: { rule: 'RECONCILE' } });
  add('2026-03-03T09:00:00.000Z', { type: 'quote', symbol: 'MES', last: '5010' });
  add(
    '2026-03-03T10:00:00.000Z',
    { type: 'fill', account: 'A1', symbol: 'MES', side: 'sell', qty: 1, price: '5011' },
    'A1',
  );
  add('2026-03-04T10:00:00.000Z', { type: 'quote', symbol: 'MES', last: '5020' });
  j.commit();
  j.close();
  return file;
}

test('seqAt: the first record at or after a time; one past the end after the last', () => {
  const r = new JournalDayReader(journal());
  try {
    assert.equal(r.seqAt('2026-03-01T00:00:00.000Z'), 1);
    assert.equal(r.seqAt('2026-03-02T11:00:00.000Z'), 3);
    assert.equal(r.seqAt('2026-03-03T00:00:00.000Z'), 7);
    assert.equal(r.seqAt('2026-03-05T00:00:00.000Z'), 10);
  } finally {
    r.close();
  }
});

test('read: the account’s history, its symbols’ last quotes before the day, the day’s events', () => {
  const r = new JournalDayReader(journal());
  try {
    const d = r.read('A1', '2026-03-03T00:00:00.000Z', '2026-03-04T00:00:00.000Z', () => ['MES', 'M_S', 'NQ']);
    assert.deepEqual(
      d.history.map((e) => [e.type, e.price]),
      [['fill', '5001']],
    );
    assert.deepEqual(
      d.carriedQuotes.map((e) => [e.symbol, e.last]),
      [
        ['MES', '5002'],
        ['M_S', '1'],
      ],
      'the last quote of each symbol; LIKE wildcards in a symbol match literally; none for NQ',
    );
    assert.deepEqual(
      d.day.map((e) => e.ts),
      ['2026-03-03T09:00:00.000Z', '2026-03-03T10:00:00.000Z'],
    );
    assert.deepEqual(r.eventTimes('A1'), ['2026-03-02T11:00:00.000Z', '2026-03-03T10:00:00.000Z']);
  } finally {
    r.close();
  }
});
