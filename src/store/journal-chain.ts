/**
 * The journal hash chain (DESIGN §1 "journal (append, hash chain)", §5 `journal verify`), free of
 * any store: every store (SQLite today, PostgreSQL later) hashes and verifies with these helpers,
 * so a journal copied between stores verifies the same way.
 *
 * record.hash = sha256_hex(prevHash + canonicalJson({account?, body, kind, seq, ts}))
 * The first record's prevHash is GENESIS_HASH (64 zeros). Snapshots are anchored to the record
 * hash at their seq: snapshot.hash = sha256_hex(headHash + canonicalJson({seq, state})).
 */
import * as crypto from 'node:crypto';
import { AppError } from '../errors.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import type { JournalEntry, JournalHead, JournalRecord } from './journal.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** ISO-8601 UTC with milliseconds, the only time format the journal accepts (DESIGN §4). */
export const JOURNAL_TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Canonical JSON of the hashed record fields, built by concatenation from the body's canonical
 * text so the body is serialised exactly once (the same text is stored). Keys in sorted order:
 * account < body < kind < seq < ts; `account` is omitted when absent, as canonical JSON omits
 * undefined properties.
 */
export function recordPreimage(
  seq: number,
  ts: string,
  kind: string,
  account: string | undefined,
  bodyJson: string,
): string {
  const head = account === undefined ? '{"body":' : accountHead(account);
  const kindJson = kind === 'event' ? '"event"' : kind === 'decision' ? '"decision"' : JSON.stringify(kind);
  return `${head}${bodyJson},"kind":${kindJson},"seq":${seq},"ts":${tsJson(ts)}}`;
}

// A replay journals a handful of accounts and runs of records with the same time: the last
// JSON text of each is reused (the same JSON.stringify output, computed once per change).
let lastAccount: string | undefined;
let lastAccountHead = '';
let lastTs: string | undefined;
let lastTsJson = '';

function accountHead(account: string): string {
  if (account !== lastAccount) {
    lastAccountHead = `{"account":${JSON.stringify(account)},"body":`;
    lastAccount = account;
  }
  return lastAccountHead;
}

function tsJson(ts: string): string {
  if (ts !== lastTs) {
    lastTsJson = JSON.stringify(ts);
    lastTs = ts;
  }
  return lastTsJson;
}

/**
 * sha256 hex of a UTF-8 string. The one-shot `crypto.hash` (Node ≥ 20.12) is ~4× faster than
 * createHash/update/digest for short inputs, and hashing is on the hot path of every append.
 */
const sha256Hex: (data: string | Uint8Array) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

export function recordHash(
  prevHash: string,
  seq: number,
  ts: string,
  kind: string,
  account: string | undefined,
  bodyJson: string,
): string {
  return sha256Hex(prevHash + recordPreimage(seq, ts, kind, account, bodyJson));
}

/**
 * The same hash over the body's stored bytes, for verifiers: hashing the raw bytes (not a string
 * decoded from them) means any byte changed in storage changes the hash, even one that makes
 * the text invalid UTF-8.
 */
export function recordHashOfBytes(
  prevHash: string,
  seq: number,
  ts: string,
  kind: string,
  account: string | undefined,
  bodyBytes: Uint8Array,
): string {
  const head = account === undefined ? '{"body":' : `{"account":${JSON.stringify(account)},"body":`;
  const tail = `,"kind":${JSON.stringify(kind)},"seq":${seq},"ts":${JSON.stringify(ts)}}`;
  return sha256Hex(Buffer.concat([Buffer.from(prevHash + head), bodyBytes, Buffer.from(tail)]));
}

export function snapshotHash(headHash: string, seq: number, stateJson: string | Uint8Array): string {
  if (typeof stateJson === 'string') return sha256Hex(`${headHash}{"seq":${seq},"state":${stateJson}}`);
  return sha256Hex(Buffer.concat([Buffer.from(`${headHash}{"seq":${seq},"state":`), stateJson, Buffer.from('}')]));
}

/**
 * How a broken chain is reported. `changed`: a record's content no longer matches its hash.
 * `deleted`: a seq is missing (gap, or the tail is shorter than the committed head).
 * `reordered`: a record does not link to its predecessor (prevHash) or goes back in time.
 */
export type TamperReason = 'changed' | 'deleted' | 'reordered';

export interface ChainBreak {
  /** The first bad record: the missing seq for a deletion, else the record that fails. */
  readonly seq: number;
  readonly reason: TamperReason;
  readonly detail: string;
}

/**
 * A stored record as read back, untyped: tampering can change column types too. `body` is the
 * stored text, preferably as raw bytes (see recordHashOfBytes).
 */
export interface RawJournalRow {
  readonly seq: unknown;
  readonly ts: unknown;
  readonly kind: unknown;
  readonly account: unknown;
  readonly body: unknown;
  readonly prevHash: unknown;
  readonly hash: unknown;
}

/**
 * Recomputes the chain one row at a time (rows in seq order), so a verifier streams a journal of
 * any size in constant memory. Checks per row, in this order: seq is the next one (gap =
 * deleted), prevHash links to the previous hash (else reordered/deleted), the recomputed hash
 * matches (else changed), ts does not go back (else reordered).
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private prevTs = '';
  private count = 0;

  get records(): number {
    return this.count;
  }

  get head(): JournalHead {
    return { seq: this.expectedSeq - 1, hash: this.prevHash };
  }

  check(row: RawJournalRow): ChainBreak | undefined {
    const expected = this.expectedSeq;
    if (typeof row.seq !== 'number' || !Number.isSafeInteger(row.seq)) {
      return { seq: expected, reason: 'changed', detail: `seq column holds ${JSON.stringify(row.seq)}` };
    }
    if (row.seq > expected) {
      const missing =
        row.seq - expected === 1 ? `record ${expected} is missing` : `records ${expected}..${row.seq - 1} are missing`;
      return { seq: expected, reason: 'deleted', detail: `seq gap: ${missing}` };
    }
    if (row.seq < expected) {
      return { seq: row.seq, reason: 'reordered', detail: `seq ${row.seq} appears after seq ${expected - 1}` };
    }
    if (row.prevHash !== this.prevHash) {
      return {
        seq: expected,
        reason: 'reordered',
        detail: 'prevHash mismatch: does not link to the previous record (reordered or deleted)',
      };
    }
    const { ts, kind, account, body } = row;
    const bodyOk = typeof body === 'string' || body instanceof Uint8Array;
    if (
      typeof ts !== 'string' ||
      typeof kind !== 'string' ||
      !bodyOk ||
      (account !== null && account !== undefined && typeof account !== 'string')
    ) {
      return { seq: expected, reason: 'changed', detail: 'hash mismatch: column types changed' };
    }
    const acct = account ?? undefined;
    const hash =
      typeof body === 'string'
        ? recordHash(this.prevHash, expected, ts, kind, acct, body)
        : recordHashOfBytes(this.prevHash, expected, ts, kind, acct, body);
    if (hash !== row.hash) {
      return { seq: expected, reason: 'changed', detail: 'hash mismatch: record content changed' };
    }
    if (ts < this.prevTs) {
      return {
        seq: expected,
        reason: 'reordered',
        detail: `ts ${ts} is before the previous record's ts ${this.prevTs}`,
      };
    }
    this.prevHash = hash;
    this.prevTs = ts;
    this.expectedSeq = expected + 1;
    this.count++;
    return undefined;
  }

  /**
   * After the last row: the chain alone cannot see a truncated tail, so the store keeps the
   * committed head beside it (written in the same transaction as the records) and we compare.
   */
  finish(committedHead: JournalHead | undefined): ChainBreak | undefined {
    if (committedHead === undefined) return undefined;
    const head = this.head;
    if (committedHead.seq > head.seq) {
      return {
        seq: head.seq + 1,
        reason: 'deleted',
        detail: `tail truncated: committed head is seq ${committedHead.seq}, last record is seq ${head.seq}`,
      };
    }
    if (committedHead.seq < head.seq) {
      return {
        seq: committedHead.seq + 1,
        reason: 'changed',
        detail: `record beyond the committed head seq ${committedHead.seq} (inserted)`,
      };
    }
    if (committedHead.hash !== head.hash) {
      return {
        seq: head.seq,
        reason: 'changed',
        detail: 'hash mismatch: committed head hash differs from the last record',
      };
    }
    return undefined;
  }
}

/** Where the next record attaches: the last appended record (pending or committed). */
export interface ChainTip {
  readonly seq: number;
  readonly hash: string;
  readonly ts: string;
}

/** A validated, hashed record plus the exact body text that was hashed (to be stored as is). */
export interface SealedRecord {
  readonly record: JournalRecord;
  readonly bodyJson: string;
}

/**
 * Validates an entry and links it after `tip`. Event time must not go back: the engine's clock
 * is monotonic (DESIGN §4, events ordered by ts), so a record before its predecessor is a bug
 * upstream, and refusing it keeps "ts order" a meaningful tamper check for the verifier.
 */
export function sealEntry(entry: JournalEntry, tip: ChainTip): SealedRecord {
  const { ts, kind, account } = entry;
  if (typeof ts !== 'string' || !JOURNAL_TS_RE.test(ts)) {
    throw new AppError(
      'ERR_JOURNAL_RECORD_INVALID',
      `ts: expected ISO-8601 UTC with milliseconds (2026-03-02T14:30:00.000Z), got ${JSON.stringify(ts)}`,
    );
  }
  if (ts < tip.ts) {
    throw new AppError(
      'ERR_JOURNAL_OUT_OF_ORDER',
      `ts ${ts} is before the previous record's ts ${tip.ts} (seq ${tip.seq})`,
    );
  }
  if (typeof kind !== 'string' || kind.length === 0) {
    throw new AppError('ERR_JOURNAL_RECORD_INVALID', `kind: expected a non-empty string, got ${JSON.stringify(kind)}`);
  }
  if (account !== undefined && typeof account !== 'string') {
    throw new AppError('ERR_JOURNAL_RECORD_INVALID', `account: expected a string, got ${typeof account}`);
  }
  if (entry.seq !== undefined && entry.seq !== tip.seq + 1) {
    throw new AppError('ERR_JOURNAL_OUT_OF_ORDER', `seq: expected the next seq ${tip.seq + 1}, got ${entry.seq}`);
  }
  if (entry.body === undefined) throw new AppError('ERR_JOURNAL_RECORD_INVALID', 'body: required (use null for none)');
  const bodyJson = entry.bodyJson ?? canonicalJson(entry.body);
  const seq = tip.seq + 1;
  const hash = recordHash(tip.hash, seq, ts, kind, account, bodyJson);
  const record: JournalRecord =
    account === undefined
      ? { seq, ts, kind, body: entry.body, prevHash: tip.hash, hash }
      : { seq, ts, kind, account, body: entry.body, prevHash: tip.hash, hash };
  return { record, bodyJson };
}
