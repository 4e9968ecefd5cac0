import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { isAppError } from '../errors.ts';
import { ChainVerifier, GENESIS_HASH, recordHash, recordHashOfBytes, sealEntry } from './journal-chain.ts';
import type { ChainTip, RawJournalRow } from './journal-chain.ts';
import type { JournalEntry, JournalRecord } from './journal.ts';

const START: ChainTip = { seq: 0, hash: GENESIS_HASH, ts: '' };

function chainOf(entries: JournalEntry[]): { records: JournalRecord[]; bodies: string[] } {
  let tip = START;
  const records: JournalRecord[] = [];
  const bodies: string[] = [];
  for (const e of entries) {
    const { record, bodyJson } = sealEntry(e, tip);
    records.push(record);
    bodies.push(bodyJson);
    tip = { seq: record.seq, hash: record.hash, ts: record.ts };
  }
  return { records, bodies };
}

function rows(entries: JournalEntry[]): RawJournalRow[] {
  const { records, bodies } = chainOf(entries);
  return records.map((r, i) => ({
    seq: r.seq,
    ts: r.ts,
    kind: r.kind,
    account: r.account ?? null,
    body: bodies[i],
    prevHash: r.prevHash,
    hash: r.hash,
  }));
}

const ENTRIES: JournalEntry[] = [
  {
    ts: '2026-04-07T13:30:00.000Z',
    kind: 'event',
    account: 'T1',
    body: { type: 'account', canTrade: true, balance: '50000' },
  },
  { ts: '2026-04-07T13:31:00.000Z', kind: 'event', account: 'T1', body: { type: 'fill', qty: 2, price: '19000.00' } },
  { ts: '2026-04-07T13:31:00.000Z', kind: 'decision', account: 'T1', body: { rule: 'RULE-003', outcome: 'allow' } },
  { ts: '2026-04-07T13:35:00.000Z', kind: 'event', body: { type: 'quote', symbol: 'MNQ', bid: '18990.00' } },
];

describe('journal hash chain', () => {
  it('hashes sha256(prevHash + canonical JSON of {account?, body, kind, seq, ts}), from 64 zeros', () => {
    const { records } = chainOf(ENTRIES.slice(0, 1));
    const expected = createHash('sha256')
      .update('0'.repeat(64))
      .update(
        JSON.stringify({
          account: 'T1',
          body: { balance: '50000', canTrade: true, type: 'account' },
          kind: 'event',
          seq: 1,
          ts: '2026-04-07T13:30:00.000Z',
        }),
      )
      .digest('hex');
    assert.equal(records[0]?.prevHash, GENESIS_HASH);
    assert.equal(records[0]?.hash, expected);
  });

  it('leaves account out of the hashed JSON when the record has none', () => {
    const { records } = chainOf(ENTRIES);
    const r = records[3]!;
    const expected = createHash('sha256')
      .update(
        r.prevHash +
          '{"body":{"bid":"18990.00","symbol":"MNQ","type":"quote"},"kind":"event","seq":4,"ts":"2026-04-07T13:35:00.000Z"}',
      )
      .digest('hex');
    assert.equal(r.hash, expected);
  });

  it('hashing the stored bytes equals hashing the text', () => {
    const body = '{"note":"déjà vu ✓"}';
    assert.equal(
      recordHashOfBytes(GENESIS_HASH, 1, ENTRIES[0]!.ts, 'admin', 'T1', Buffer.from(body)),
      recordHash(GENESIS_HASH, 1, ENTRIES[0]!.ts, 'admin', 'T1', body),
    );
  });

  it('links each record to the previous hash with gapless seqs', () => {
    const { records } = chainOf(ENTRIES);
    assert.deepEqual(
      records.map((r) => r.seq),
      [1, 2, 3, 4],
    );
    for (let i = 1; i < records.length; i++) assert.equal(records[i]!.prevHash, records[i - 1]!.hash);
  });

  it('refuses a record whose ts goes back, and a malformed ts', () => {
    const { records } = chainOf(ENTRIES);
    const last = records[3]!;
    const tip = { seq: last.seq, hash: last.hash, ts: last.ts };
    assert.throws(
      () => sealEntry({ ts: '2026-04-07T13:34:59.999Z', kind: 'event', body: {} }, tip),
      (e: unknown) => isAppError(e) && e.code === 'ERR_JOURNAL_OUT_OF_ORDER',
    );
    assert.throws(
      () => sealEntry({ ts: '2026-04-07T13:40:00Z', kind: 'event', body: {} }, tip),
      (e: unknown) => isAppError(e) && e.code === 'ERR_JOURNAL_RECORD_INVALID' && e.message.startsWith('ts'),
    );
    assert.throws(
      () => sealEntry({ ts: '2026-04-07T13:40:00.000Z', kind: '', body: {} }, tip),
      (e: unknown) => isAppError(e) && e.message.startsWith('kind'),
    );
  });

  it('verifies an intact chain and reports its head', () => {
    const v = new ChainVerifier();
    const all = rows(ENTRIES);
    for (const r of all) assert.equal(v.check(r), undefined);
    assert.equal(v.records, 4);
    assert.deepEqual(v.head, { seq: 4, hash: all[3]!.hash });
    assert.equal(v.finish({ seq: 4, hash: all[3]!.hash as string }), undefined);
  });

  it('names the first bad record: changed, deleted, reordered, truncated', () => {
    const firstBreak = (list: RawJournalRow[], head?: { seq: number; hash: string }) => {
      const v = new ChainVerifier();
      for (const r of list) {
        const bad = v.check(r);
        if (bad) return bad;
      }
      return v.finish(head);
    };
    const all = rows(ENTRIES);
    const changed = all.map((r) => (r.seq === 2 ? { ...r, body: '{"price":"19000.01","qty":2,"type":"fill"}' } : r));
    assert.deepEqual(pick(firstBreak(changed)), { seq: 2, reason: 'changed' });
    assert.deepEqual(pick(firstBreak(all.filter((r) => r.seq !== 3))), { seq: 3, reason: 'deleted' });
    assert.deepEqual(pick(firstBreak([all[0]!, all[2]!, all[1]!, all[3]!].map((r, i) => ({ ...r, seq: i + 1 })))), {
      seq: 2,
      reason: 'reordered',
    });
    assert.deepEqual(pick(firstBreak(all.slice(0, 3), { seq: 4, hash: all[3]!.hash as string })), {
      seq: 4,
      reason: 'deleted',
    });
  });
});

function pick(b: { seq: number; reason: string } | undefined): { seq: number; reason: string } | undefined {
  return b && { seq: b.seq, reason: b.reason };
}
