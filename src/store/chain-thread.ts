/**
 * The in-memory hash chain (memory-chain.ts) with the sha256 work on a worker thread, so a replay
 * uses both cores: the engine thread ships records in batches and the worker folds them into the
 * chain in order. A record's preimage (the same `recordPreimage` text MemoryChain hashes) is
 * built on the engine thread, except for two kinds the worker builds: a decision by template
 * (`appendDecision`: the template travels once, then only each decision's reason), and an event
 * line read from a file, sent as a place in its chunk, and
 * the worker builds the same preimage from the chunk text (`appendEventText`), so the engine thread
 * neither copies nor joins event lines. The chunk texts come with the batches, or, when the worker
 * reader was given `chunkPort()`, from the reader directly. Same records, same hashes, same head
 * as MemoryChain.
 *
 * `head()` is the head as of the last `flush()` (a promise): call `await flush()` first.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { startTsWorker } from '../ts-worker.ts';
import { DECISION, RECORD_INTS, type BodyTemplateText, type ChainBatch } from './chain-batch.ts';
import { AppError } from '../errors.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { GENESIS_HASH, recordPreimage } from './journal-chain.ts';
import type { JournalEntry, JournalHead } from './journal.ts';
import { ChunkRefs } from './chunk-refs.ts';

/** Records per message: large enough that messaging costs little per record. */
const BATCH = 4096;
/** Templates the worker holds at most (it forgets them all at once, then is sent them again). */
const TEMPLATES_MAX = 4096;

export class OffThreadChain {
  private seq = 0;
  private count = 0;
  private recs = new Int32Array(RECORD_INTS * BATCH);
  private times = new Float64Array(BATCH);
  private strings: string[] = [];
  private readonly chunks = new ChunkRefs();
  private newAccounts: string[] = [];
  private readonly accountIndex = new Map<string, number>();
  private readonly templatesSent = new Set<number>();
  private newTemplates: BodyTemplateText[] = [];
  private resetTemplates = false;
  private readonly worker: Worker;
  private flushed: JournalHead = { seq: 0, hash: GENESIS_HASH };
  private nextFlush = 0;
  private readonly waiting = new Map<number, { resolve: (head: JournalHead) => void; reject: (err: Error) => void }>();
  private failure: Error | undefined;

  constructor() {
    this.worker = startTsWorker(new URL('./chain-worker.ts', import.meta.url), { genesis: GENESIS_HASH });
    this.worker.on('message', (m: { flush: number; seq: number; hash: string }) => {
      this.flushed = { seq: m.seq, hash: m.hash };
      this.waiting.get(m.flush)?.resolve(this.flushed);
      this.waiting.delete(m.flush);
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      // A flush waiting for the worker would never hear back.
      for (const w of this.waiting.values())
        w.reject(new AppError('ERR_JOURNAL_IO', `hash worker failed: ${err.message}`));
      this.waiting.clear();
    });
    this.worker.unref();
  }

  /**
   * A port for the worker reader to post chunk texts to ({ id, text }): the hash worker takes
   * them from there (events then name their chunk by that id), not from this thread.
   */
  chunkPort(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ chunkPort: port2 }, [port2]);
    return port1;
  }

  append(entry: JournalEntry): void {
    this.check();
    this.seq++;
    this.strings.push(
      recordPreimage(this.seq, entry.ts, entry.kind, entry.account, entry.bodyJson ?? canonicalJson(entry.body)),
    );
    this.recs[RECORD_INTS * this.count] = -1;
    this.added();
  }

  /**
   * An event line of a file, by its place in the decoded chunk (the chunk is shipped once), and
   * its ts when canonical (`tsAt`: the worker then need not format the time).
   */
  appendEventText(
    t: number,
    account: string | undefined,
    chunk: string,
    start: number,
    end: number,
    tsAt = -1,
    chunkId = 0,
  ): void {
    this.check();
    this.seq++;
    const at = RECORD_INTS * this.count;
    this.recs[at] = account === undefined ? 0 : this.accountOf(account);
    this.recs[at + 1] = chunkId > 0 ? -chunkId : this.chunks.idOf(chunk); // < 0: a chunk the reader posted
    this.recs[at + 2] = start;
    this.recs[at + 3] = end;
    this.recs[at + 4] = tsAt;
    this.times[this.count] = t;
    this.added();
  }

  /**
   * A decision by its body's template (sent once) and reason: the worker writes the body and the
   * record around it, so per decision only the reason crosses (and its ts, when not isoOf(t)).
   */
  appendDecision(t: number, ts: string, account: string, template: BodyTemplateText, reason: string): void {
    this.check();
    this.seq++;
    if (!this.templatesSent.has(template.id)) {
      this.templatesSent.add(template.id);
      this.newTemplates.push(template);
    }
    const at = RECORD_INTS * this.count;
    this.recs[at] = DECISION;
    this.recs[at + 1] = this.accountOf(account);
    this.recs[at + 2] = template.id;
    this.strings.push(reason);
    if (t === t) this.recs[at + 3] = 0;
    else {
      this.recs[at + 3] = 1;
      this.strings.push(ts);
    }
    this.times[this.count] = t;
    this.added();
  }

  /** An account's index at the worker (1, 2, …), its name sent with the next batch when new. */
  private accountOf(account: string): number {
    let a = this.accountIndex.get(account) ?? 0;
    if (a === 0) {
      a = this.accountIndex.size + 1;
      this.accountIndex.set(account, a);
      this.newAccounts.push(account);
    }
    return a;
  }

  private check(): void {
    if (this.failure) throw new AppError('ERR_JOURNAL_IO', `hash worker failed: ${this.failure.message}`);
  }

  private added(): void {
    if (++this.count >= BATCH) this.send();
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
      this.waiting.set(id, { resolve, reject });
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
    if (this.count === 0) return;
    const n = this.count;
    const recs = this.recs.slice(0, RECORD_INTS * n);
    const times = this.times.slice(0, n);
    const batch: ChainBatch = {
      recs,
      times,
      strings: this.strings,
      chunks: this.chunks.take(),
      accounts: this.newAccounts,
      templates: this.newTemplates,
      resetTemplates: this.resetTemplates,
    };
    this.worker.postMessage(batch, [recs.buffer, times.buffer]); // the slices move, not copied again
    this.count = 0;
    this.strings = [];
    this.newAccounts = [];
    this.newTemplates = [];
    // At a batch boundary, so every template the next batch uses travels with it.
    this.resetTemplates = this.templatesSent.size >= TEMPLATES_MAX;
    if (this.resetTemplates) this.templatesSent.clear();
  }
}
