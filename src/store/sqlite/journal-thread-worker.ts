/**
 * Worker side of journal-thread.ts: owns the SqliteJournal (hashing, group commit, fsync) so the
 * engine thread never waits for them. Messages are handled in order; a flush answers with the
 * committed head once the transaction is durable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import { openSqliteJournal, type SqliteJournalOptions } from './journal.ts';

const { path, options } = workerData as { path: string; options: SqliteJournalOptions };
const port = parentPort!;
let journal: ReturnType<typeof openSqliteJournal> | undefined;

/** After a failure nothing more is appended: later records would not follow the failed one. */
function fail(err: unknown): void {
  journal = undefined;
  port.postMessage({ error: { code: err instanceof AppError ? err.code : 'ERR_JOURNAL_IO', message: err instanceof Error ? err.message : String(err) } });
}

try {
  journal = openSqliteJournal(path, options);
  port.postMessage({ ready: journal.head() });
} catch (err) {
  fail(err);
}

port.on('message', (m: { text?: string; lengths?: Int32Array; flush?: number; close?: boolean }) => {
  if (journal === undefined) {
    // Failed earlier (reported then): appends are dropped, close still answers.
    if (m.flush !== undefined) port.postMessage({ error: { code: 'ERR_JOURNAL_IO', message: `${path}: journal failed earlier` } });
    if (m.close) port.postMessage({ closed: true });
    return;
  }
  try {
    if (m.text !== undefined && m.lengths !== undefined) {
      // Four fields per record: ts, kind, account (length −1 = none), body JSON.
      const { text, lengths } = m;
      let at = 0;
      const field = (k: number): string | undefined => {
        const n = lengths[k]!;
        if (n < 0) return undefined;
        const s = text.slice(at, at + n);
        at += n;
        return s;
      };
      for (let k = 0; k < lengths.length; k += 4) {
        const ts = field(k)!;
        const kind = field(k + 1)!;
        const account = field(k + 2);
        const bodyJson = field(k + 3)!;
        journal.append(account === undefined ? { ts, kind, body: null, bodyJson } : { ts, kind, account, body: null, bodyJson });
      }
    }
    if (m.flush !== undefined) {
      journal.flush();
      port.postMessage({ flush: m.flush, head: journal.head() });
    }
    if (m.close) {
      const j = journal;
      journal = undefined;
      j.close();
      port.postMessage({ closed: true });
    }
  } catch (err) {
    fail(err);
  }
});
