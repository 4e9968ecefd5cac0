/**
 * The SQLite journal file layout. `PRAGMA application_id` marks a file as a riskgate journal so
 * `journal verify` can tell "not a journal" (exit 2) from "a tampered journal" (exit 1);
 * `user_version` is the schema version for later migrations.
 *
 * Durability (DESIGN §1 invariants 2, 3): WAL mode. `synchronous = FULL` is the default: every
 * commit fsyncs the WAL, so a journaled enforcement survives power loss, not only `kill -9`.
 * Group commit amortises that fsync over a batch. `NORMAL` (fsync only at checkpoints) is
 * offered for replay/backtest journals, which can be regenerated: it is still safe against a
 * process crash — a committed transaction is in the OS page cache — but the last transactions
 * can roll back on power loss. Either way the file is never corrupted and a record is never
 * partially written: each flush is one SQLite transaction.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../errors.ts';

/** "RGJL" — riskgate journal. */
export const JOURNAL_APPLICATION_ID = 0x52474a4c;
export const JOURNAL_SCHEMA_VERSION = 1;

export type JournalSynchronous = 'FULL' | 'NORMAL';

const DDL = `
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  ts TEXT NOT NULL,
  kind TEXT NOT NULL,
  account TEXT,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
-- The committed head, written in the same transaction as the records: the chain alone cannot
-- show that its tail was cut off.
CREATE TABLE journal_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE snapshots (
  seq INTEGER PRIMARY KEY,
  head_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
`;

export function applyPragmas(db: Database.Database, synchronous: JournalSynchronous): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
}

/** Creates the schema in an empty file, or checks that an existing file is a journal. */
export function ensureJournalSchema(db: Database.Database, path: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId === JOURNAL_APPLICATION_ID) {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== JOURNAL_SCHEMA_VERSION) {
      throw new AppError(
        'ERR_JOURNAL_NOT_A_JOURNAL',
        `${path}: journal schema version ${version}, this riskgate reads version ${JOURNAL_SCHEMA_VERSION}`,
      );
    }
    return;
  }
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
  if (appId !== 0 || tables.n > 0) {
    throw new AppError(
      'ERR_JOURNAL_NOT_A_JOURNAL',
      `${path}: an SQLite database but not a riskgate journal (application_id ${appId}, ${tables.n} tables)`,
    );
  }
  db.transaction(() => {
    db.exec(DDL);
    db.pragma(`application_id = ${JOURNAL_APPLICATION_ID}`);
    db.pragma(`user_version = ${JOURNAL_SCHEMA_VERSION}`);
  }).immediate();
}

/** For a read-only opener: is this file a journal at all? */
export function isJournalDatabase(db: Database.Database): boolean {
  return (db.pragma('application_id', { simple: true }) as number) === JOURNAL_APPLICATION_ID;
}
