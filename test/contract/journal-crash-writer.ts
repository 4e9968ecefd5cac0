/**
 * Child process of journal-crash.test.ts: appends to a journal forever, in batches that commit the
 * "source offset" atomically with the records (as `riskgate ingest` does), until it is killed.
 * Prints "ready" once the first batch is durable.  Args: <journal.db> <FULL|NORMAL>
 */
import { openSqliteJournal } from '../../src/store/sqlite/journal.ts';

const [path, sync] = process.argv.slice(2);
if (path === undefined || (sync !== 'FULL' && sync !== 'NORMAL'))
  throw new Error('usage: journal-crash-writer <journal.db> <FULL|NORMAL>');

const journal = openSqliteJournal(path, { synchronous: sync, autoFlushEvery: 0 });
const PAD = 'x'.repeat(2000); // large records: a torn write would be visible
let t = Date.UTC(2026, 2, 2, 14, 30) + journal.head().seq;
let announced = false;
for (;;) {
  const batchStart = journal.head().seq + 1;
  const entries = Array.from({ length: 25 }, (_, k) => ({
    ts: new Date(++t).toISOString(),
    kind: 'event',
    account: 'A1',
    body: { seq: batchStart + k, pad: PAD },
  }));
  journal.appendBatch(entries, (tx) => tx.setMeta('source.offset', String(batchStart + entries.length - 1)));
  if (!announced) {
    process.stdout.write('ready\n');
    announced = true;
  }
}
