/**
 * `riskgate journal verify` on an SQLite journal (DESIGN §5): recompute the hash chain from
 * genesis, compare the tail with the committed head, then check every snapshot's anchor and
 * hash. Read-only; streams rows, so memory stays flat for any journal size.
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../../errors.ts';
import { ChainVerifier, GENESIS_HASH, snapshotHash } from '../journal-chain.ts';
import type { JournalHead, JournalVerification } from '../journal.ts';
import { isJournalDatabase } from './schema.ts';

interface Row {
  seq: unknown;
  ts: unknown;
  kind: unknown;
  account: unknown;
  body: unknown;
  prev_hash: unknown;
  hash: unknown;
}

/**
 * Throws ERR_FILE_NOT_FOUND (no such file) or ERR_JOURNAL_NOT_A_JOURNAL (not an SQLite riskgate
 * journal); otherwise returns ok or the first bad record.
 */
export function verifyJournal(path: string): JournalVerification {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new AppError('ERR_FILE_NOT_FOUND', `journal file not found: ${path}`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw notAJournal(path, err);
  }
  try {
    try {
      if (!isJournalDatabase(db))
        throw new AppError('ERR_JOURNAL_NOT_A_JOURNAL', `${path}: not a riskgate journal (no journal application id)`);
    } catch (err) {
      throw err instanceof AppError ? err : notAJournal(path, err);
    }
    try {
      return verifyOpenJournal(db);
    } catch (err) {
      // Missing tables or a malformed page: not something we can verify as a chain.
      if (err instanceof Database.SqliteError) throw notAJournal(path, err);
      throw err;
    }
  } finally {
    db.close();
  }
}

function verifyOpenJournal(db: Database.Database): JournalVerification {
  const chain = new ChainVerifier();
  // One read transaction: a concurrent writer cannot move the tail between rows and head.
  db.exec('BEGIN');
  try {
    const rows = db
      .prepare('SELECT seq, ts, kind, account, CAST(body AS BLOB) AS body, prev_hash, hash FROM journal ORDER BY seq')
      .iterate() as IterableIterator<Row>;
    for (const row of rows) {
      const bad = chain.check({
        seq: row.seq,
        ts: row.ts,
        kind: row.kind,
        account: row.account,
        body: row.body,
        prevHash: row.prev_hash,
        hash: row.hash,
      });
      if (bad !== undefined) {
        rows.return?.();
        return { ok: false, target: 'record', ...bad, records: chain.records };
      }
    }
    const committed = db.prepare('SELECT seq, hash FROM journal_head WHERE id = 1').get() as JournalHead | undefined;
    const tail = chain.finish(committed ?? { seq: 0, hash: GENESIS_HASH });
    if (tail !== undefined) return { ok: false, target: 'record', ...tail, records: chain.records };

    let snapshots = 0;
    const hashAt = db.prepare('SELECT hash FROM journal WHERE seq = ?').pluck();
    const snapRows = db
      .prepare('SELECT seq, head_hash, CAST(state AS BLOB) AS state, hash FROM snapshots ORDER BY seq')
      .iterate() as IterableIterator<{ seq: number; head_hash: string; state: Uint8Array; hash: string }>;
    for (const s of snapRows) {
      const anchor = s.seq === 0 ? GENESIS_HASH : (hashAt.get(s.seq) as string | undefined);
      let bad: string | undefined;
      if (anchor === undefined) bad = `snapshot beyond the journal head (seq ${chain.head.seq})`;
      else if (anchor !== s.head_hash) bad = 'snapshot head hash does not match the journal record at its seq';
      else if (snapshotHash(s.head_hash, s.seq, s.state) !== s.hash) bad = 'hash mismatch: snapshot state changed';
      if (bad !== undefined) {
        snapRows.return?.();
        return { ok: false, target: 'snapshot', seq: s.seq, reason: 'changed', detail: bad, records: chain.records };
      }
      snapshots++;
    }
    return { ok: true, records: chain.records, head: chain.head, snapshots };
  } finally {
    db.exec('COMMIT');
  }
}

function notAJournal(path: string, err: unknown): AppError {
  return new AppError(
    'ERR_JOURNAL_NOT_A_JOURNAL',
    `${path}: not a riskgate journal (${err instanceof Error ? err.message : String(err)})`,
  );
}
