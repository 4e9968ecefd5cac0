/**
 * The durable SQLite journal (journal.ts, synchronous=FULL, group commit) driven from another
 * thread: `append` only queues the record's fields and ships them in batches (an event line read
 * from a file as its place in the chunk, `appendEventText`); the worker seals
 * (hashes) and writes them exactly as SqliteJournal does in-thread, so the file, the chain and the
 * head are the same. The engine thread keeps one core, hashing + SQLite + fsync get the other.
 *
 * Durability contract: `flush()` resolves only once everything appended before it is committed,
 * and `head()` is the last committed head known here (as of the last flush). A record the worker
 * refuses (or an I/O error) fails the next `append`/`flush` with the worker's error code, and
 * nothing after it is written.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../ts-worker.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import type { JournalEntry, JournalHead } from '../journal.ts';
import type { SqliteJournalOptions } from './journal.ts';
import { ChunkRefs, type ChunkText } from '../chunk-refs.ts';

/** Records per message. */
const BATCH = 2048;

type WorkerReply =
  | { ready: JournalHead }
  | { flush: number; head: JournalHead }
  | { closed: true }
  | { error: { code: string; message: string } };

/**
 * A batch: `ints` holds five per record, `text` their strings back to back. A record given by its
 * fields is [0, ts length, kind length, account length (−1 = none), body length]; an event read
 * from a file (`appendEventText`) is [1, account length (−1 = none), chunk id, start, end] with its
 * time in `times` (ts = isoOf(t)); the chunk texts ride along once, in `chunks`.
 */
export interface JournalBatch {
  text: string;
  ints: Int32Array;
  times: Float64Array;
  chunks: ChunkText[];
}

export class ThreadedSqliteJournal {
  private parts: string[] = [];
  private ints: number[] = [];
  private times: number[] = [];
  private readonly chunks = new ChunkRefs();
  private committed: JournalHead;
  private nextFlush = 0;
  private readonly waiting = new Map<number, { resolve: (h: JournalHead) => void; reject: (e: Error) => void }>();
  private failure: AppError | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly worker: Worker,
    head: JournalHead,
  ) {
    this.committed = head;
    worker.on('message', (m: WorkerReply) => this.onReply(m));
    worker.on('error', (err) =>
      this.onFailure(new AppError('ERR_JOURNAL_IO', `journal worker for ${path} failed: ${err.message}`)),
    );
  }

  /** Opens (or creates) the journal file in a worker; resolves once it is open. */
  static open(path: string, options: SqliteJournalOptions = {}): Promise<ThreadedSqliteJournal> {
    const worker = startTsWorker(new URL('./journal-thread-worker.ts', import.meta.url), { path, options });
    return new Promise((resolve, reject) => {
      const onFirst = (m: WorkerReply): void => {
        worker.off('error', onError);
        if ('ready' in m) resolve(new ThreadedSqliteJournal(path, worker, m.ready));
        else {
          void worker.terminate();
          reject(
            'error' in m
              ? new AppError(m.error.code as ErrorCode, m.error.message)
              : new AppError('ERR_JOURNAL_IO', `journal worker for ${path}: unexpected reply`),
          );
        }
      };
      const onError = (err: Error): void =>
        reject(new AppError('ERR_JOURNAL_IO', `journal worker for ${path} failed: ${err.message}`));
      worker.once('message', onFirst);
      worker.once('error', onError);
    });
  }

  append(entry: JournalEntry): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new AppError('ERR_JOURNAL_IO', `${this.path}: journal is closed`);
    // The expected-seq guard needs the worker's answer before returning: use SqliteJournal for it.
    if (entry.seq !== undefined)
      throw new AppError('ERR_INPUT_INVALID', 'seq: the threaded journal does not take an expected seq');
    const bodyJson = entry.bodyJson ?? canonicalJson(entry.body);
    this.parts.push(entry.ts, entry.kind);
    this.ints.push(0, entry.ts.length, entry.kind.length);
    this.pushAccount(entry.account);
    this.parts.push(bodyJson);
    this.ints.push(bodyJson.length);
    this.times.push(0);
    if (this.times.length >= BATCH) this.send();
  }

  /** An event line of a file by its place in the decoded chunk: the chunk is shipped once. */
  appendEventText(t: number, account: string | undefined, chunk: string, start: number, end: number): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new AppError('ERR_JOURNAL_IO', `${this.path}: journal is closed`);
    const id = this.chunks.idOf(chunk);
    this.ints.push(1);
    this.pushAccount(account);
    this.ints.push(id, start, end);
    this.times.push(t);
    if (this.times.length >= BATCH) this.send();
  }

  private pushAccount(account: string | undefined): void {
    if (account === undefined) this.ints.push(-1);
    else {
      this.parts.push(account);
      this.ints.push(account.length);
    }
  }

  /** Resolves with the committed head once everything appended so far is durable. */
  flush(): Promise<JournalHead> {
    if (this.failure) return Promise.reject(this.failure);
    this.send();
    const id = ++this.nextFlush;
    return new Promise<JournalHead>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ flush: id });
    });
  }

  /** The last committed head known to this thread (as of the last flush). */
  head(): JournalHead {
    return this.committed;
  }

  /** Flushes, closes the file and stops the worker. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.failure) await this.flush();
        await new Promise<void>((resolve) => {
          this.worker.once('message', () => resolve());
          this.worker.postMessage({ close: true });
        });
      } finally {
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  private send(): void {
    if (this.times.length === 0) return;
    const ints = Int32Array.from(this.ints);
    const times = Float64Array.from(this.times);
    const batch: JournalBatch = { text: this.parts.join(''), ints, times, chunks: this.chunks.take() };
    this.worker.postMessage({ batch }, [ints.buffer as ArrayBuffer, times.buffer as ArrayBuffer]);
    this.parts = [];
    this.ints = [];
    this.times = [];
  }

  private onReply(m: WorkerReply): void {
    if ('flush' in m) {
      this.committed = m.head;
      this.waiting.get(m.flush)?.resolve(m.head);
      this.waiting.delete(m.flush);
    } else if ('error' in m) {
      this.onFailure(new AppError(m.error.code as ErrorCode, m.error.message));
    }
  }

  private onFailure(err: AppError): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }
}

export function openThreadedSqliteJournal(
  path: string,
  options: SqliteJournalOptions = {},
): Promise<ThreadedSqliteJournal> {
  return ThreadedSqliteJournal.open(path, options);
}
