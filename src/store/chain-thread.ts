/**
 * The in-memory hash chain (memory-chain.ts) with the sha256 work on a worker thread, so a replay
 * uses both cores: the engine thread only builds each record's preimage (the same
 * `recordPreimage` text MemoryChain hashes) and ships them in batches; the worker folds them into
 * the chain in order. Same records, same hashes, same head as MemoryChain.
 *
 * `head()` is the head as of the last `flush()` (a promise): call `await flush()` first.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { GENESIS_HASH, recordPreimage } from './journal-chain.ts';
import type { JournalEntry, JournalHead } from './journal.ts';

/** Records per message: large enough that messaging costs little per record. */
const BATCH = 4096;

/**
 * Plain JavaScript (an eval worker needs no TypeScript loader). A batch is one string with every
 * preimage concatenated plus their lengths; the chain state (last hash) lives in the worker.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const sha256 = typeof crypto.hash === 'function'
  ? (s) => crypto.hash('sha256', s, 'hex')
  : (s) => crypto.createHash('sha256').update(s).digest('hex');
let hash = workerData.genesis;
let seq = 0;
parentPort.on('message', (m) => {
  if (m.text !== undefined) {
    const text = m.text;
    const lengths = m.lengths;
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      const end = at + lengths[i];
      hash = sha256(hash + text.slice(at, end));
      at = end;
    }
    seq += lengths.length;
  }
  if (m.flush !== undefined) parentPort.postMessage({ flush: m.flush, seq, hash });
});
`;

export class OffThreadChain {
  private seq = 0;
  private parts: string[] = [];
  private lengths: number[] = [];
  private readonly worker: Worker;
  private flushed: JournalHead = { seq: 0, hash: GENESIS_HASH };
  private nextFlush = 0;
  private readonly waiting = new Map<number, (head: JournalHead) => void>();
  private failure: Error | undefined;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { genesis: GENESIS_HASH } });
    this.worker.on('message', (m: { flush: number; seq: number; hash: string }) => {
      this.flushed = { seq: m.seq, hash: m.hash };
      this.waiting.get(m.flush)?.(this.flushed);
      this.waiting.delete(m.flush);
    });
    this.worker.on('error', (err) => {
      this.failure = err;
    });
    this.worker.unref();
  }

  append(entry: JournalEntry): void {
    if (this.failure) throw new AppError('ERR_JOURNAL_IO', `hash worker failed: ${this.failure.message}`);
    this.seq++;
    const pre = recordPreimage(this.seq, entry.ts, entry.kind, entry.account, entry.bodyJson ?? canonicalJson(entry.body));
    this.parts.push(pre);
    this.lengths.push(pre.length);
    if (this.parts.length >= BATCH) this.send();
  }

  /** Hashes everything appended so far; resolves with the head. */
  flush(): Promise<JournalHead> {
    this.send();
    const id = ++this.nextFlush;
    return new Promise<JournalHead>((resolve, reject) => {
      if (this.failure) {
        reject(new AppError('ERR_JOURNAL_IO', `hash worker failed: ${this.failure.message}`));
        return;
      }
      this.waiting.set(id, resolve);
      this.worker.ref();
      this.worker.postMessage({ flush: id });
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
  }

  /** The head as of the last completed flush. */
  head(): JournalHead {
    return this.flushed;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private send(): void {
    if (this.parts.length === 0) return;
    const lengths = Int32Array.from(this.lengths);
    this.worker.postMessage({ text: this.parts.join(''), lengths }, [lengths.buffer]);
    this.parts = [];
    this.lengths = [];
  }
}
