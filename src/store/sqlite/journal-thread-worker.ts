/**
 * Worker side of journal-thread.ts: owns the SqliteJournal (hashing, group commit, fsync) so the
 * engine thread never waits for them. Messages are handled in order; a flush answers with the
 * committed head once the transaction is durable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import { openSqliteJournal, type SqliteJournalOptions } from './journal.ts';
import type { JournalBatch } from './journal-thread.ts';
import { ChunkTexts } from '../chunk-refs.ts';
import { isoOf } from '../../domain/events.ts';

const { path, options } = workerData as { path: string; options: SqliteJournalOptions };
const port = parentPort!;
let journal: ReturnType<typeof openSqliteJournal> | undefined;

/** After a failure nothing more is appended: later records would not follow the failed one. */
function fail(err: unknown): void {
  journal = undefined;
  port.postMessage({
    error: {
      code: err instanceof AppError ? err.code : 'ERR_JOURNAL_IO',
      message: err instanceof Error ? err.message : String(err),
    },
  });
}

try {
  journal = openSqliteJournal(path, options);
  port.postMessage({ ready: journal.head() });
} catch (err) {
  fail(err);
}

/** Chunk texts of event lines. */
const chunks = new ChunkTexts();

function appendBatch(j: NonNullable<typeof journal>, b: JournalBatch): void {
  chunks.add(b.chunks);
  const { text, ints, times } = b;
  let at = 0;
  const field = (n: number): string | undefined => {
    if (n < 0) return undefined;
    const s = text.slice(at, at + n);
    at += n;
    return s;
  };
  for (let r = 0; r < times.length; r++) {
    const k = 5 * r;
    let ts: string;
    let kind: string;
    let account: string | undefined;
    let bodyJson: string;
    if (ints[k] === 0) {
      ts = field(ints[k + 1]!)!;
      kind = field(ints[k + 2]!)!;
      account = field(ints[k + 3]!);
      bodyJson = field(ints[k + 4]!)!;
    } else {
      account = field(ints[k + 1]!);
      ts = isoOf(times[r]!);
      kind = 'event';
      bodyJson = chunks.slice(ints[k + 2]!, ints[k + 3]!, ints[k + 4]!);
    }
    j.append(account === undefined ? { ts, kind, body: null, bodyJson } : { ts, kind, account, body: null, bodyJson });
  }
  chunks.dropOlder();
}

port.on('message', (m: { batch?: JournalBatch; flush?: number; close?: boolean }) => {
  if (journal === undefined) {
    // Failed earlier (reported then): appends are dropped, close still answers.
    if (m.flush !== undefined)
      port.postMessage({ error: { code: 'ERR_JOURNAL_IO', message: `${path}: journal failed earlier` } });
    if (m.close) port.postMessage({ closed: true });
    return;
  }
  try {
    if (m.batch !== undefined) appendBatch(journal, m.batch);
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
