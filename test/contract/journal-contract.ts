/**
 * The journal contract: every store (SQLite now, PostgreSQL later) passes this suite through the
 * store-independent `Journal` interface (src/store/journal.ts). Store-specific files call
 * `journalContract(name, factory)`; nothing here knows which store runs.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isAppError } from '../../src/errors.ts';
import { GENESIS_HASH } from '../../src/store/journal.ts';
import type { Journal, JournalEntry, JournalRecord } from '../../src/store/journal.ts';

export interface JournalFixture {
  /** The journal under test, empty. */
  journal: Journal;
  /** Closes `journal` (if still open) and opens the same store again. */
  reopen(): Promise<Journal>;
}

export type JournalFactory = () => Promise<JournalFixture>;

const REPLAY_EXAMPLES = ['basic-day', 'fifo-partial-close', 'day-boundary-dst'];

/** Real events (shared/data/replay-examples) as journal entries, in file order. */
export function replayExampleEntries(): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const name of REPLAY_EXAMPLES) {
    const text = readFileSync(
      new URL(`../../../shared/data/replay-examples/${name}/events.ndjson`, import.meta.url),
      'utf8',
    );
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const event = JSON.parse(line) as { ts: string; account?: string };
      entries.push(
        event.account === undefined
          ? { ts: event.ts, kind: 'event', body: event }
          : { ts: event.ts, kind: 'event', account: event.account, body: event },
      );
    }
  }
  // The three files are separate days; the journal is one timeline.
  return entries.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

/** Independent oracle for the chain (DESIGN §5): sorted-key JSON via an array replacer, streamed sha256. */
export function oracleHead(entries: readonly JournalEntry[]): string {
  let prev = GENESIS_HASH;
  entries.forEach((e, i) => {
    const record = { seq: i + 1, ts: e.ts, kind: e.kind, account: e.account, body: e.body };
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v !== 'object' || v === null) return;
      if (Array.isArray(v)) v.forEach(walk);
      else
        for (const [k, x] of Object.entries(v)) {
          keys.add(k);
          walk(x);
        }
    };
    walk(record);
    prev = createHash('sha256')
      .update(prev)
      .update(JSON.stringify(record, [...keys].sort()))
      .digest('hex');
  });
  return prev;
}

async function collect(journal: Journal, fromSeq?: number): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of journal.iterate(fromSeq)) out.push(r);
  return out;
}

function entry(i: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  const ts = new Date(Date.UTC(2026, 2, 2, 14, 30, 0, i)).toISOString();
  return {
    ts,
    kind: i % 3 === 0 ? 'decision' : 'event',
    account: 'A1',
    body: { n: i, price: '18000.25', tags: ['mnq', i] },
    ...extra,
  };
}

function hasCode(code: string): (err: unknown) => boolean {
  return (err) => isAppError(err) && err.code === code;
}

export function journalContract(name: string, factory: JournalFactory): void {
  describe(`journal contract: ${name}`, () => {
    it('starts empty at the genesis head', async () => {
      const { journal } = await factory();
      assert.deepEqual(journal.head(), { seq: 0, hash: GENESIS_HASH });
      assert.deepEqual(await collect(journal), []);
      assert.equal(await journal.latestSnapshot(), undefined);
      await journal.close();
    });

    it('given real events, when appended and flushed, then iterate returns them in order with gapless seqs and the oracle head', async () => {
      const { journal } = await factory();
      const entries = replayExampleEntries();
      const appended = entries.map((e) => journal.append(e));
      assert.deepEqual(
        appended.map((r) => r.seq),
        entries.map((_, i) => i + 1),
      );
      assert.equal(journal.pendingCount, entries.length);
      assert.equal(journal.head().seq, 0, 'nothing is durable before flush');
      assert.equal(await journal.flush(), entries.length);
      assert.equal(journal.pendingCount, 0);
      const head = journal.head();
      assert.deepEqual(head, { seq: entries.length, hash: oracleHead(entries) });
      const read = await collect(journal);
      assert.deepEqual(read, appended);
      assert.deepEqual(
        read.map((r) => r.body),
        entries.map((e) => e.body),
      );
      assert.deepEqual(await collect(journal, 5), appended.slice(4));
      await journal.close();
    });

    it('gives the same head for the same records, and a different one for a different record', async () => {
      const a = (await factory()).journal;
      const b = (await factory()).journal;
      const c = (await factory()).journal;
      for (let i = 0; i < 50; i++) {
        a.append(entry(i));
        b.append(entry(i));
        c.append(i === 37 ? entry(i, { body: { n: i, price: '18000.26', tags: ['mnq', i] } }) : entry(i));
      }
      const [ha, hb, hc] = [await a.commit(), await b.commit(), await c.commit()];
      assert.deepEqual(ha, hb);
      assert.notEqual(ha.hash, hc.hash);
      assert.equal(ha.hash, oracleHead(Array.from({ length: 50 }, (_, i) => entry(i))));
      await Promise.all([a.close(), b.close(), c.close()]);
    });

    it('lets a caller append (and flush) while iterating; the loop sees the records committed when it started', async () => {
      const { journal } = await factory();
      for (let i = 0; i < 5; i++) journal.append(entry(i));
      await journal.commit();
      const seen: number[] = [];
      let i = 5;
      for await (const r of journal.iterate()) {
        seen.push(r.seq);
        journal.append(entry(i++));
        await journal.flush();
      }
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
      assert.equal(journal.head().seq, 10);
      assert.equal((await collect(journal)).length, 10);
      await journal.close();
    });

    it('keeps records and continues the chain after reopening', async () => {
      const fx = await factory();
      for (let i = 0; i < 10; i++) fx.journal.append(entry(i));
      await fx.journal.close(); // close flushes what is pending
      const again = await fx.reopen();
      assert.equal(again.head().seq, 10);
      again.append(entry(10));
      await again.commit();
      const all = await collect(again);
      assert.equal(all.length, 11);
      assert.equal(all[10]!.prevHash, all[9]!.hash);
      assert.equal(again.head().hash, oracleHead(Array.from({ length: 11 }, (_, i) => entry(i))));
      await again.close();
    });

    it('refuses invalid records without consuming a seq', async () => {
      const { journal } = await factory();
      journal.append(entry(5));
      assert.throws(() => journal.append(entry(4)), hasCode('ERR_JOURNAL_OUT_OF_ORDER'));
      assert.throws(
        () => journal.append({ ts: '2026-03-02 14:30:00', kind: 'event', body: {} }),
        hasCode('ERR_JOURNAL_RECORD_INVALID'),
      );
      assert.throws(() => journal.append(entry(6, { body: { qty: 1n } })), hasCode('ERR_JOURNAL_RECORD_INVALID'));
      assert.throws(() => journal.append(entry(6, { body: undefined })), hasCode('ERR_JOURNAL_RECORD_INVALID'));
      assert.equal(journal.append(entry(6)).seq, 2);
      // Expected-seq guard: a writer that believes it is at a different position is refused.
      assert.throws(() => journal.append(entry(7, { seq: 2 })), hasCode('ERR_JOURNAL_OUT_OF_ORDER'));
      assert.equal(journal.append(entry(7, { seq: 3 })).seq, 3);
      await journal.close();
    });

    it('appendBatch commits records and meta (the source offset) in one transaction', async () => {
      const { journal } = await factory();
      journal.append(entry(0));
      journal.setMeta('operator', 'alice');
      assert.equal(await journal.getMeta('operator'), undefined, 'meta is pending until the flush');
      const head = await journal.appendBatch([entry(1), entry(2)], (tx) => tx.setMeta('ingest.offset', '812'));
      assert.equal(head.seq, 3);
      assert.equal(journal.pendingCount, 0);
      assert.equal(await journal.getMeta('ingest.offset'), '812');
      assert.equal(await journal.getMeta('operator'), 'alice');
      assert.equal((await collect(journal)).length, 3);
      await journal.close();
    });

    it('appendBatch is all or nothing: when the callback throws, neither the batch nor the offset is written', async () => {
      const { journal } = await factory();
      await journal.appendBatch([entry(0)], (tx) => tx.setMeta('ingest.offset', '100'));
      journal.append(entry(1)); // pending before the failed batch: stays pending
      await assert.rejects(
        async () =>
          journal.appendBatch([entry(2), entry(3)], (tx) => {
            tx.setMeta('ingest.offset', '300');
            throw new Error('source read failed');
          }),
        /source read failed/,
      );
      assert.equal(journal.head().seq, 1);
      assert.equal(journal.pendingCount, 1);
      assert.equal(await journal.getMeta('ingest.offset'), '100');
      assert.deepEqual(
        (await collect(journal)).map((r) => r.seq),
        [1],
      );
      // The chain continues from the kept record: no gap where the failed batch was.
      const next = journal.append(entry(4));
      assert.equal(next.seq, 3);
      await journal.commit();
      assert.equal(journal.head().hash, oracleHead([entry(0), entry(1), entry(4)]));
      await journal.close();
    });

    it('anchors snapshots to the record hash at their seq; latestSnapshot is the highest seq', async () => {
      const { journal } = await factory();
      const records = Array.from({ length: 6 }, (_, i) => journal.append(entry(i)));
      const s4 = await journal.writeSnapshot(4, { positions: { MNQ: { qty: 1, avgPrice: '18000.25' } } }); // flushes first
      assert.equal(journal.head().seq, 6);
      assert.equal(s4.headHash, records[3]!.hash);
      const s2 = await journal.writeSnapshot(2, { positions: {} });
      assert.equal(s2.headHash, records[1]!.hash);
      assert.notEqual(s4.hash, s2.hash);
      const latest = await journal.latestSnapshot();
      assert.deepEqual(latest, s4);
      assert.deepEqual(await journal.lastSnapshot(), s4);
      assert.deepEqual(latest?.state, { positions: { MNQ: { qty: 1, avgPrice: '18000.25' } } });
      // Recovery reads what follows the snapshot.
      assert.deepEqual(
        (await collect(journal, latest!.seq + 1)).map((r) => r.seq),
        [5, 6],
      );
      await assert.rejects(async () => journal.writeSnapshot(7, {}), hasCode('ERR_INPUT_INVALID'));
      await assert.rejects(async () => journal.writeSnapshot(6, { pnl: 1n }), hasCode('ERR_JOURNAL_RECORD_INVALID'));
      await journal.close();
    });
  });
}
