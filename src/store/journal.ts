/**
 * The journal: the durable, tamper-evident, append-only record of every event, decision,
 * snapshot and admin action (DESIGN §1; invariants 2 and 3). This file is the store-independent
 * seam: the SQLite implementation lives in `sqlite/journal.ts`; a PostgreSQL one can be added in
 * `postgres/` against the same interface and the same contract suite
 * (`test/contract/journal-contract.ts`).
 *
 * Why `Awaitable`: SQLite (better-sqlite3) is synchronous, PostgreSQL clients are not. Interface
 * methods that touch storage return `T | Promise<T>`; callers holding a `Journal` write
 * `await journal.flush()` and work with both, while code holding a `SqliteJournal` may call it
 * synchronously. `append` and `setMeta` never do I/O (they buffer, hashing in memory), so they
 * are synchronous everywhere.
 */
import type { TamperReason } from './journal-chain.ts';

export type Awaitable<T> = T | Promise<T>;

/** Known kinds; any other string is allowed (the journal does not interpret kinds). */
export type JournalKind = 'event' | 'decision' | 'snapshot' | 'admin' | 'offset' | (string & {});

/** What a caller appends. `ts` is event time, ISO-8601 UTC with milliseconds. */
export interface JournalEntry {
  /**
   * Optional expected seq (an expected-version guard, as in event stores): if given it must be
   * the next seq, else the append fails with ERR_JOURNAL_OUT_OF_ORDER. Normally left out.
   */
  readonly seq?: number;
  readonly ts: string;
  readonly kind: JournalKind;
  readonly account?: string;
  /** Plain JSON: no bigint (money as decimal strings), no NaN, no Map/Set/class instances. */
  readonly body: unknown;
  /**
   * The body's JSON text, when the caller already has it (an event line exactly as read): stored
   * and hashed verbatim instead of `canonicalJson(body)`, so the hot path never re-serializes.
   * It must be the JSON of `body`.
   */
  readonly bodyJson?: string;
}

/** A record as stored: the entry plus its gapless seq (1, 2, 3, …) and its chain links. */
export interface JournalRecord extends JournalEntry {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** The last record of the chain: seq 0 and GENESIS_HASH for an empty journal. */
export interface JournalHead {
  readonly seq: number;
  readonly hash: string;
}

/** A state snapshot anchored to the chain: valid for the journal up to and including `seq`. */
export interface JournalSnapshot {
  readonly seq: number;
  /** The hash of record `seq` (GENESIS_HASH for seq 0). */
  readonly headHash: string;
  readonly state: unknown;
  /** sha256(headHash + canonicalJson({seq, state})); see journal-chain.ts. */
  readonly hash: string;
}

/** What `appendBatch`'s callback may do inside the write transaction. */
export interface JournalTx {
  /** Written in the same transaction as the records (e.g. the ingest source offset). */
  setMeta(key: string, value: string): void;
}

export interface Journal {
  /** The last durable (committed) record. Pending, unflushed records are not included. */
  head(): JournalHead;
  /** Records appended but not yet flushed. */
  readonly pendingCount: number;
  /**
   * Buffers one record: assigns the next seq, hashes it, returns it. Not durable until
   * `flush()`/`commit()`; an implementation may auto-flush every N records (`autoFlushEvery`).
   * Throws ERR_JOURNAL_RECORD_INVALID (bad ts/kind/body) or ERR_JOURNAL_OUT_OF_ORDER (ts before
   * the previous record's ts).
   */
  append(entry: JournalEntry): JournalRecord;
  /** Buffers a meta key/value, written with the next flush (same transaction as the records). */
  setMeta(key: string, value: string): void;
  /** Writes all pending records and meta in one transaction; returns the number of records. */
  flush(): Awaitable<number>;
  /** `flush()`, then the durable head. */
  commit(): Awaitable<JournalHead>;
  /**
   * Appends `entries` and writes them with everything pending in ONE transaction; `extra` runs
   * inside that transaction. All or nothing: if `extra` (or any write) throws, none of `entries`
   * is kept and the error is rethrown (records appended earlier stay pending).
   */
  appendBatch(entries: readonly JournalEntry[], extra?: (tx: JournalTx) => void): Awaitable<JournalHead>;
  /** A committed meta value. */
  getMeta(key: string): Awaitable<string | undefined>;
  /** Committed records with seq ≥ fromSeq (default 1), in seq order, streamed. */
  iterate(fromSeq?: number): Iterable<JournalRecord> | AsyncIterable<JournalRecord>;
  /**
   * Stores a snapshot of the state after record `seq` (flushing first if `seq` is still
   * pending). Throws if `seq` is beyond the journal.
   */
  writeSnapshot(seq: number, state: unknown): Awaitable<JournalSnapshot>;
  /** The snapshot with the highest seq, if any: recovery = latest snapshot + iterate(seq + 1). */
  latestSnapshot(): Awaitable<JournalSnapshot | undefined>;
  /** Alias of `latestSnapshot()`. */
  lastSnapshot(): Awaitable<JournalSnapshot | undefined>;
  /** Flushes pending records, then releases the store. */
  close(): Awaitable<void>;
}

/** The outcome of verifying a whole journal (records, committed head and snapshots). */
export type JournalVerification =
  | { readonly ok: true; readonly records: number; readonly head: JournalHead; readonly snapshots: number }
  | {
      readonly ok: false;
      readonly target: 'record' | 'snapshot';
      readonly seq: number;
      readonly reason: TamperReason;
      readonly detail: string;
      readonly records: number;
    };

export { canonicalJson } from '../domain/canonical-json.ts';
export {
  ChainVerifier,
  GENESIS_HASH,
  JOURNAL_TS_RE,
  recordHash,
  recordHashOfBytes,
  recordPreimage,
  sealEntry,
  snapshotHash,
} from './journal-chain.ts';
export type { ChainBreak, ChainTip, RawJournalRow, SealedRecord, TamperReason } from './journal-chain.ts';
